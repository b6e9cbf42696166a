// sextant without its optional packages (node-llama-cpp, @huggingface/transformers), as after
// `npm ci --omit=optional` or an install whose optional packages failed: the source is copied beside a
// node_modules that holds every installed package except those, built with tsc as `npm ci`'s prepare does, and the
// built CLI is asked to run each in-process backend. The build must succeed and each run must stop with the exact
// install command, without a stack trace.
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATA_DIR, REPO_ROOT } from './cli-harness.js';

const run = promisify(execFile);
/** The optional packages and the packages only they need (scoped names as `@scope/name`). */
const hidden = new Set(['node-llama-cpp', '@node-llama-cpp', '@huggingface', 'onnxruntime-node', 'onnxruntime-web', 'onnxruntime-common']);
const models = join(REPO_ROOT, '..', 'shared', 'models');

let copy: string;
let buildOutput: string;

/** node_modules with a link to each of the repository's installed packages except the hidden ones. */
async function linkInstalledPackages(target: string): Promise<void> {
  const source = join(REPO_ROOT, 'node_modules');
  await mkdir(target);
  for (const entry of await readdir(source, { withFileTypes: true })) {
    if (hidden.has(entry.name) || entry.name.startsWith('.')) continue;
    if (entry.name.startsWith('@')) {
      await mkdir(join(target, entry.name));
      for (const scoped of await readdir(join(source, entry.name))) {
        if (!hidden.has(`${entry.name}/${scoped}`)) await symlink(join(source, entry.name, scoped), join(target, entry.name, scoped));
      }
    } else {
      await symlink(join(source, entry.name), join(target, entry.name));
    }
  }
}

async function sextant(args: readonly string[]) {
  const env = { ...process.env, SEXTANT_DATA_DIR: DATA_DIR, NO_COLOR: '1' };
  try {
    const { stdout, stderr } = await run(process.execPath, [join(copy, 'dist', 'cli', 'main.js'), ...args], { cwd: copy, env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

beforeAll(async () => {
  copy = await mkdtemp(join(tmpdir(), 'sextant-without-optional-'));
  for (const path of ['src', 'package.json', 'tsconfig.json', 'tsconfig.build.json']) await cp(join(REPO_ROOT, path), join(copy, path), { recursive: true });
  await linkInstalledPackages(join(copy, 'node_modules'));
  const tsc = join(copy, 'node_modules', 'typescript', 'bin', 'tsc');
  const built = await run(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: copy }).catch((error: { stdout: string; stderr: string }) => error);
  buildOutput = built.stdout + built.stderr;
}, 240_000);

afterAll(async () => {
  if (copy) await rm(copy, { recursive: true, force: true });
});

describe('without the optional packages', () => {
  it('the optional packages cannot be resolved from the copy', async () => {
    const script =
      "for (const name of ['node-llama-cpp', '@huggingface/transformers']) import(name).then(() => console.log(name + ' found'), (error) => console.log(error.code))";
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: copy });
    expect(stdout.trim().split('\n')).toEqual(['ERR_MODULE_NOT_FOUND', 'ERR_MODULE_NOT_FOUND']);
  });

  it('builds with tsc', async () => {
    expect(buildOutput).toBe('');
    expect(await readdir(join(copy, 'dist', 'backends', 'llama-cpp'))).toContain('llama-cpp-backend.js');
  });

  it.each([
    ['a GGUF file', join(models, 'stories260K-gguf', 'stories260Ktok512.gguf'), 'npm install node-llama-cpp@3.21.1'],
    ['an ONNX folder', join(models, 'stories260K-onnx'), 'npm install @huggingface/transformers@4.3.1'],
  ])(
    'a run of %s stops with the install command and no stack trace',
    async (_what, model, command) => {
      const result = await sextant(['run', '--hf-path', model, '--datasets', 'ceval_zero_shot_gen_bd40ef', '--limit', '1', '-w', join(copy, 'outputs')]);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain(command);
      expect(result.stderr).not.toMatch(/^\s+at /m);
    },
    60_000,
  );
});
