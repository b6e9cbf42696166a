// Dry runs refuse what the real run would stop at, and print the launch command line; real launches record it;
// `--mode eval|viz -r` reuse the datasets and models a run recorded; LMDeploy's GenerationConfig fields travel
// with each request; a caveat shared by many datasets is printed once. Through the built CLI (`npm run build`),
// against the in-process test server and the stand-in `lmdeploy` (test/support/bin).
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAITestServer, type OpenAITestServer } from '../support/openai-test-server.mjs';
import { listFiles, onlyRunDir, readJson, REPO_ROOT, runCli } from './cli-harness.js';

const STAND_IN_BIN = join(REPO_ROOT, 'test', 'support', 'bin');
const withStandIn = { PATH: `${STAND_IN_BIN}${delimiter}${process.env.PATH ?? ''}` };

/** OpenCompass's own spellings: snake_case fields are accepted as aliases. */
const launchedModel = {
  type: 'lmdeploy',
  abbr: 'internlm2-chat-7b-turbomind',
  path: 'internlm/internlm2-chat-7b',
  engine_config: { session_len: 2048, max_batch_size: 8, rope_scaling_factor: 1.0 },
  gen_config: { top_k: 1, temperature: 0, max_new_tokens: 100 },
  max_out_len: 100,
  run_cfg: { num_gpus: 1 },
};
const expectedLaunch = (port: string) =>
  `lmdeploy serve api_server internlm/internlm2-chat-7b --server-name 127.0.0.1 --server-port ${port} --backend turbomind --session-len 2048 --max-batch-size 8 --tp 1 --rope-scaling-factor 1`;

let root: string;
let server: OpenAITestServer;
let counter = 0;

async function folder(label: string): Promise<string> {
  counter += 1;
  const path = join(root, `${label}-${counter}`);
  await mkdir(path, { recursive: true });
  return path;
}

async function writeConfig(models: unknown[], datasets = ['ceval_gen']): Promise<string> {
  const path = join(await folder('config'), 'config.json');
  await writeFile(path, JSON.stringify({ datasets, models }));
  return path;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'sextant-e2e-dry-run-'));
  server = await startOpenAITestServer({ modelName: 'served-model', flavor: 'lmdeploy' });
});
afterAll(async () => {
  await server.close();
  await rm(root, { recursive: true, force: true });
});

describe('--dry-run', () => {
  it('prints the command line it would launch, from a config in OpenCompass spellings', async () => {
    const work = await folder('work');
    const result = await runCli(['run', await writeConfig([launchedModel]), '--dry-run', '--limit', '1', '-w', work], { env: withStandIn });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('dry run: 52 (model, dataset) tasks, 52 samples; nothing was sent');
    expect(result.stdout).toContain(`would launch (internlm2-chat-7b-turbomind): ${expectedLaunch('<port>')}\n`);
    expect(await readdir(work)).toEqual([]);
  });

  it('refuses, all at once, a missing engine executable, a missing -r run folder and missing data', async () => {
    const emptyBin = await folder('empty-bin');
    const work = await folder('work');
    const noData = await folder('no-data');
    const result = await runCli(['run', await writeConfig([launchedModel]), '--dry-run', '-w', work, '-r', '20200101_000000', '--data-dir', noData], {
      env: { PATH: emptyBin },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('the run would stop here (dry run):');
    expect(result.stderr).toContain(
      'internlm2-chat-7b-turbomind: cannot launch `lmdeploy`: not found on PATH (install LMDeploy, or give apiBase for a running server)',
    );
    expect(result.stderr).toContain(`--reuse: no run 20200101_000000 in ${work}`);
    expect(result.stderr).toContain(`C-Eval data not found at ${join(noData, 'ceval')}`);
    expect(result.stdout).not.toContain('would launch');
    expect(await readdir(work)).toEqual([]);
  });

  it('refuses a missing model file (GGUF through --hf-path, a local checkpoint to serve)', async () => {
    const missing = join(root, 'nowhere', 'model.gguf');
    const gguf = await runCli(['run', '--datasets', 'ceval_gen', '--hf-path', missing, '--dry-run', '-w', await folder('work')]);
    expect(gguf.code).toBe(2);
    expect(gguf.stderr).toContain(`model-gguf: model file ${missing} not found (a .gguf file)`);
    const local = await runCli(['run', await writeConfig([{ ...launchedModel, path: './no/such/checkpoint' }]), '--dry-run', '-w', await folder('work')], {
      env: withStandIn,
    });
    expect(local.code).toBe(2);
    expect(local.stderr).toContain('internlm2-chat-7b-turbomind: model ./no/such/checkpoint not found');
  });

  it('--hf-path takes a folder holding one .gguf, and an ONNX model as its onnx/ folder or its model.onnx', async () => {
    const models = join(REPO_ROOT, '..', 'shared', 'models');
    const cases = [
      [join(models, 'stories260K-gguf'), 'stories260Ktok512-gguf'],
      [join(models, 'stories260K-onnx', 'onnx'), 'stories260K-onnx_hf'],
      [join(models, 'stories260K-onnx', 'onnx', 'model.onnx'), 'stories260K-onnx_hf'],
    ] as const;
    for (const [path, abbr] of cases) {
      const result = await runCli(['run', '--datasets', 'ceval_gen', '--hf-path', path, '--dry-run', '--limit', '1', '-w', await folder('work')]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain(`  ${abbr}  ceval-computer_network  1 samples`);
    }
  });

  it('prints a caveat shared by 52 datasets once (test split of ceval_gen_2daf24)', async () => {
    const result = await runCli([
      'run',
      '--datasets',
      'ceval_gen_2daf24',
      '--api-base',
      `${server.url}/v1`,
      '--dry-run',
      '--limit',
      '1',
      '-w',
      await folder('work'),
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr.match(/test split has no answers/g)).toHaveLength(1);
    expect(result.stderr).toMatch(/^warning: 52 datasets \(ceval-test-\w+, ceval-test-\w+, …\): the public C-Eval test split has no answers/m);
  });
});

describe('real runs', () => {
  it('a caveat is printed once, and logged once per dataset', async () => {
    const work = await folder('work');
    const result = await runCli(['run', '--datasets', 'ceval_gen_2daf24', '--api-base', `${server.url}/v1`, '--abbr', 'm', '--limit', '1', '-w', work], {
      timeoutMs: 120_000,
    });
    expect(result.code).toBe(0);
    expect(result.stderr.match(/test split has no answers/g)).toHaveLength(1);
    const log = await readFile(join(await onlyRunDir(work), 'logs', 'infer', 'm.log'), 'utf8');
    const logged = log.split('\n').filter((line) => line.includes('caveat: ceval-test-'));
    expect(logged).toHaveLength(52);
    expect(logged[0]).toMatch(/caveat: ceval-test-\w+: the public C-Eval test split has no answers/);
  }, 150_000);

  it('a launched server: its command line is in the run log and the recorded config', async () => {
    const work = await folder('work');
    const result = await runCli(['run', await writeConfig([launchedModel]), '--limit', '1', '-w', work], { env: withStandIn, timeoutMs: 120_000 });
    expect(result.stderr).not.toContain('unexpected error');
    expect(result.code).toBe(0);
    const run = await onlyRunDir(work);
    const [configFile] = (await listFiles(join(run, 'configs'))).filter((file) => file.endsWith('.json'));
    const recorded = await readJson(configFile as string);
    const launchCommand = recorded.models[0].backendSettings.launchCommand as string;
    const port = /--server-port (\d+)/.exec(launchCommand)?.[1] as string;
    expect(launchCommand).toBe(expectedLaunch(port));
    const log = await readFile(join(run, 'logs', 'infer', 'internlm2-chat-7b-turbomind.log'), 'utf8');
    expect(log).toContain(`launched: ${expectedLaunch(port)}\n`);
  }, 150_000);

  it("genConfig's LMDeploy fields go on every request; eval -r and viz -r reuse the recorded datasets and models", async () => {
    const work = await folder('work');
    const model = {
      type: 'lmdeploy',
      abbr: 'running',
      api_base: server.url,
      stop_words: ['<eoa>'],
      gen_config: {
        top_k: 1,
        temperature: 0,
        repetition_penalty: 1.02,
        min_new_tokens: 1,
        skip_special_tokens: false,
        random_seed: 7,
        stop_words: ['<|im_end|>'],
        min_p: 0.05,
        bad_words: ['x'],
      },
      generation_kwargs: { ignore_eos: false },
    };
    server.requests.length = 0;
    const first = await runCli(['run', await writeConfig([model], ['ceval_gen']), '--limit', '2', '-w', work]);
    expect(first.code).toBe(0);
    expect(first.stderr).toContain('warning (running): genConfig.badWords: ');
    const bodies = server.requests.filter((request) => request.path === '/v1/completions').map((request) => request.body);
    expect(bodies).toHaveLength(104);
    for (const body of bodies) {
      expect(body).toMatchObject({
        top_k: 1,
        temperature: 0,
        repetition_penalty: 1.02,
        min_new_tokens: 1,
        skip_special_tokens: false,
        seed: 7,
        min_p: 0.05,
        ignore_eos: false,
      });
      expect(body.stop).toEqual(['<eoa>', '<|im_end|>']);
      expect(body).not.toHaveProperty('bad_words');
    }
    const summaryOf = (stdout: string) => stdout.slice(0, stdout.indexOf('summary: '));
    server.requests.length = 0;
    const evaluated = await runCli(['run', '--mode', 'eval', '-r', '-w', work]);
    expect(evaluated.stderr).not.toMatch(/no datasets|no model/);
    expect(evaluated.code).toBe(0);
    expect(summaryOf(evaluated.stdout)).toBe(summaryOf(first.stdout));
    const visualised = await runCli(['run', '--mode', 'viz', '-r', '-w', work]);
    expect(visualised.code).toBe(0);
    expect(summaryOf(visualised.stdout)).toBe(summaryOf(first.stdout));
    expect(server.requests).toHaveLength(0);
  }, 150_000);
});
