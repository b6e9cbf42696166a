import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ResolvedConfig, ResolvedModel } from '../config/index.js';
import { describeLaunch } from '../registry/index.js';
import { ConfigError, EvalError } from '../spec/index.js';
import { assertUsableWorkDir, openRunDirectory } from '../store/index.js';
import { findExecutable } from '../utils/command-line.js';

/** A server a dry run would launch. */
export interface PlannedLaunch {
  readonly model: string;
  /** e.g. `lmdeploy serve api_server internlm/internlm2-chat-7b --server-name 127.0.0.1 --server-port <port> …` */
  readonly commandLine: string;
}

/**
 * What a dry run checks before it reports the plan: everything the real run would stop at before its first
 * request — each model file (GGUF file, ONNX folder, a local checkpoint to serve), each engine executable on
 * `PATH` for a launched server (and the HuggingFace worker's Python), the work dir (or the `-r` run folder), and the data (`loadData`, which throws on missing files).
 * Every problem is reported at once.
 *
 * @throws {ConfigError} listing every problem found.
 */
export async function checkRunInputs(options: {
  resolved: ResolvedConfig;
  labels: readonly string[];
  reuse: string | undefined;
  env: NodeJS.ProcessEnv;
  loadData: () => Promise<unknown>;
}): Promise<PlannedLaunch[]> {
  const problems: string[] = [];
  const launches: PlannedLaunch[] = [];
  for (const [index, model] of options.resolved.models.entries()) {
    const label = options.labels[index] as string;
    problems.push(...(await modelProblems(model, options.env)).map((problem) => `${label}: ${problem}`));
    const launch = await describeLaunch(model);
    if (launch) launches.push({ model: label, commandLine: launch.commandLine });
  }
  if (options.reuse !== undefined) {
    await openRunDirectory({ workDir: options.resolved.workDir, reuse: options.reuse }).catch((error: unknown) => problems.push(messageOf(error)));
  } else if ((await kindOf(options.resolved.workDir)) !== undefined) {
    // Only an existing work dir: checking a missing one would create it, and a dry run writes nothing.
    await assertUsableWorkDir(resolve(options.resolved.workDir)).catch((error: unknown) => problems.push(messageOf(error)));
  }
  await options.loadData().catch((error: unknown) => problems.push(messageOf(error)));
  if (problems.length > 0) {
    throw new ConfigError({ message: `the run would stop here (dry run):\n  - ${problems.join('\n  - ')}` });
  }
  return launches;
}

async function modelProblems(model: ResolvedModel, env: NodeJS.ProcessEnv): Promise<string[]> {
  const config = model.config;
  switch (config.type) {
    case 'llama-cpp':
      return (await kindOf(config.path)) === 'file' ? [] : [`model file ${config.path} not found (a .gguf file)`];
    case 'transformers':
      return (await kindOf(join(config.path, 'onnx'))) === 'directory'
        ? []
        : [`model folder ${config.path} not found or has no onnx/ (an ONNX model in Optimum layout)`];
    case 'lmdeploy':
    case 'vllm': {
      const launch = await describeLaunch(model);
      if (!launch) return [];
      const problems: string[] = [];
      if (!(await findExecutable(launch.command, env))) {
        problems.push(
          `cannot launch \`${launch.command}\`: not found on PATH (install ${config.type === 'vllm' ? 'vLLM' : 'LMDeploy'}, or give apiBase for a running server)`,
        );
      }
      const path = config.path as string;
      if (/^[./~]/.test(path) && (await kindOf(path)) === undefined) problems.push(`model ${path} not found`);
      return problems;
    }
    case 'huggingface': {
      const problems: string[] = [];
      const python = config.python ?? (env.SEXTANT_PYTHON || 'python3');
      if (!(await findExecutable(python, env))) {
        problems.push(`the HuggingFace worker needs Python: \`${python}\` not found on PATH (give --python PATH or set SEXTANT_PYTHON)`);
      }
      if (/^[./~]/.test(config.path) && (await kindOf(config.path)) === undefined) problems.push(`model ${config.path} not found`);
      return problems;
    }
    case 'openai':
      return [];
    default: {
      const unreachable: never = config;
      throw new TypeError(`unknown model type ${JSON.stringify(unreachable)}`);
    }
  }
}

async function kindOf(path: string): Promise<'file' | 'directory' | undefined> {
  const stats = await stat(path).catch(() => undefined);
  return stats ? (stats.isDirectory() ? 'directory' : 'file') : undefined;
}

function messageOf(error: unknown): string {
  if (EvalError.isInstance(error)) return error.message;
  throw error;
}
