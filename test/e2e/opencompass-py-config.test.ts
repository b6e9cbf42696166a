// `sextant run CONFIG.py`: OpenCompass's own Python config, end to end through the built CLI against the stand-in
// `lmdeploy` (test/support/bin; it serves the OpenAI protocol and logs its argv to $SEXTANT_FAKE_LMDEPLOY_LOG), and
// malformed configs refused with file:line:column. Run `npm run build` first.
//
// As in lmdeploy-launch.test.ts, a recorder loaded into every node process (NODE_OPTIONS=--import) appends each HTTP
// request a node http.Server receives to $SEXTANT_TEST_REQUEST_LOG; only the stand-in runs one.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(REPO_ROOT, 'dist', 'cli', 'main.js');
const STAND_IN_BIN = join(REPO_ROOT, 'test', 'support', 'bin');
const DATA_DIR = resolve(REPO_ROOT, '..', 'shared', 'data');
const EXAMPLE = 'examples/eval_internlm2_chat_7b_turbomind.py';
const MODEL_ABBR = 'internlm2-chat-7b-turbomind';

const recorderSource = `
import http from 'node:http';
import { appendFileSync } from 'node:fs';
const file = process.env.SEXTANT_TEST_REQUEST_LOG;
if (file) {
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function (event, ...args) {
    if (event === 'request') {
      const [req] = args;
      const chunks = [];
      req.on('data', (chunk) => chunks.push(chunk));
      req.on('end', () => appendFileSync(file, JSON.stringify({ pid: process.pid, method: req.method, url: req.url, body: Buffer.concat(chunks).toString('utf8') }) + '\\n'));
    }
    return emit.call(this, event, ...args);
  };
}
`;

let root: string;
let recorderPath: string;
const serverLogs: string[] = [];

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` before the end-to-end tests`);
  root = await mkdtemp(join(tmpdir(), 'sextant-py-config-'));
  recorderPath = join(root, 'record-requests.mjs');
  await writeFile(recorderPath, recorderSource);
});

afterEach(async () => {
  for (const serverLog of serverLogs.splice(0)) {
    for (const event of await readJsonLines<{ event: string; pid: number }>(serverLog)) {
      if (event.event !== 'start') continue;
      try {
        process.kill(event.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
});

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

async function readJsonLines<T>(path: string): Promise<T[]> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolveRun({ code, stdout, stderr });
    });
  });
}

function cliEnv(paths: { serverLog: string; requestLog: string }): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('SEXTANT_') && key !== 'OPENAI_API_KEY' && key !== 'NODE_OPTIONS') env[key] = value;
  }
  return {
    ...env,
    PATH: `${STAND_IN_BIN}${delimiter}${process.env.PATH ?? ''}`,
    SEXTANT_DATA_DIR: DATA_DIR,
    SEXTANT_FAKE_LMDEPLOY_LOG: paths.serverLog,
    SEXTANT_TEST_REQUEST_LOG: paths.requestLog,
    NODE_OPTIONS: `--import=${pathToFileURL(recorderPath).href}`,
    NO_COLOR: '1',
  };
}

function flag(argv: readonly string[], name: string): string | undefined {
  const index = argv.indexOf(name);
  return index === -1 ? undefined : argv[index + 1];
}

describe('sextant run CONFIG.py (OpenCompass configs as they are)', () => {
  it('runs the seed eval_internlm2_chat_7b_turbomind.py: lmdeploy launched with its engine flags, TurboMindModel requests, results written', async () => {
    const dir = join(root, 'seed');
    await mkdir(dir, { recursive: true });
    const paths = { serverLog: join(dir, 'lmdeploy-events.jsonl'), requestLog: join(dir, 'requests.jsonl') };
    serverLogs.push(paths.serverLog);
    const workDir = join(dir, 'outputs');
    const run = await runCli(['run', EXAMPLE, '--limit', '1', '-w', workDir], cliEnv(paths));
    expect(run.code, `stderr:\n${run.stderr}`).toBe(0);

    const events = await readJsonLines<{ event: string; pid: number; argv?: string[] }>(paths.serverLog);
    const starts = events.filter((event) => event.event === 'start');
    expect(starts).toHaveLength(1);
    const argv = starts[0]!.argv!;
    expect(argv.slice(0, 3)).toEqual(['serve', 'api_server', 'internlm/internlm2-chat-7b']);
    expect(flag(argv, '--session-len')).toBe('2048');
    expect(flag(argv, '--max-batch-size')).toBe('8');
    expect(flag(argv, '--tp')).toBe('1');
    expect(flag(argv, '--rope-scaling-factor')).toBe('1');
    expect(flag(argv, '--backend')).toBe('turbomind');
    expect(events.filter((event) => event.event === 'stop')).toHaveLength(1);

    // TurboMindModel: one string per question to /v1/completions, rendered through the file's meta_template.
    const requests = await readJsonLines<{ method: string; url: string; body: string }>(paths.requestLog);
    const completions = requests.filter((request) => request.method === 'POST' && request.url === '/v1/completions');
    expect(completions).toHaveLength(52);
    for (const request of completions) {
      const body = JSON.parse(request.body) as Record<string, unknown>;
      expect(body).toMatchObject({ model: 'internlm/internlm2-chat-7b', top_k: 1, top_p: 0.8, temperature: 1, max_tokens: 100 });
      const prompt = body.prompt as string;
      expect(prompt).toMatch(/^<\|User\|>:以下是中国关于.+考试的单项选择题，请选出其中的正确答案。\n/);
      expect(prompt).toMatch(/\n<\|Bot\|>:[ABCD]<eoa>\n<\|User\|>:/);
      expect(prompt.endsWith('\n答案: \n<|Bot|>:')).toBe(true);
    }

    const runs = (await readdir(workDir)).filter((entry) => /^\d{8}_\d{6}$/.test(entry));
    expect(runs).toHaveLength(1);
    const runDir = join(workDir, runs[0]!);
    const results = (await readdir(join(runDir, 'results', MODEL_ABBR))).filter((file) => file.endsWith('.json'));
    expect(results).toHaveLength(52);
    const result = JSON.parse(await readFile(join(runDir, 'results', MODEL_ABBR, 'ceval-computer_network.json'), 'utf8')) as Record<string, unknown>;
    expect(typeof result.accuracy).toBe('number');
    expect(run.stdout).toMatch(/summary: .+\.csv/);
    // What the file sets that sextant cannot honour is recorded, not dropped.
    const log = await readFile(join(runDir, 'logs', 'infer', `${MODEL_ABBR}.log`), 'utf8');
    expect(log).toContain('meta_template.eos_token_id=103028 is not applied');
  });

  it('`sextant list` names the OpenCompass dataset modules and model classes a .py config may use', async () => {
    const run = await runCli(['list'], { ...process.env, NO_COLOR: '1' });
    expect(run.code).toBe(0);
    const section = run.stdout.slice(run.stdout.indexOf('OpenCompass .py configs'));
    expect(section).toMatch(/dataset modules .*\n {2}.*ceval_gen_5f30c7/);
    for (const name of [
      'TurboMindModel',
      'TurboMindModelwithChatTemplate',
      'VLLM',
      'VLLMwithChatTemplate',
      'OpenAI',
      'OpenAISDK',
      'HuggingFacewithChatTemplate',
      'HuggingFaceBaseModel',
      'HuggingFaceCausalLM',
    ]) {
      expect(section).toMatch(new RegExp(`^  ${name} `, 'm'));
    }
    expect(run.stdout).toMatch(/eval_internlm2_chat_7b_turbomind\s+\S+eval_internlm2_chat_7b_turbomind\.py$/m);
  });

  const malformed: Array<{ name: string; source: string; position: string; message: RegExp }> = [
    { name: 'a syntax error', source: 'work_dir = "outputs"\ndatasets = [1 2]\n', position: '2:15', message: /Python syntax error: unexpected "2\]"/ },
    {
      name: 'a function call',
      source: 'import_me = 1\ndatasets = sum([], [])\n',
      position: '2:12',
      message: /function call sum\(\.\.\.\) is not supported/,
    },
    {
      name: 'a comprehension',
      source: 'with_names = [1, 2]\ndatasets = [x for x in with_names]\n',
      position: '2:12',
      message: /a list comprehension .* is not supported/,
    },
    {
      name: 'an unknown import',
      source: 'from mmengine.config import read_base\nwith read_base():\n    from .models.hf_internlm.hf_internlm2_chat_7b import models\n',
      position: '3:58',
      message: /cannot resolve `from \.models\.hf_internlm\.hf_internlm2_chat_7b import models`/,
    },
    {
      name: 'an unknown dataset module',
      source: 'from mmengine.config import read_base\nwith read_base():\n    from .datasets.ceval.ceval_gen_ffffff import ceval_datasets\n',
      position: '3:10',
      message: /unknown OpenCompass dataset config module/,
    },
    {
      name: 'an unknown model class',
      source: "from opencompass.models import TurboMindModelX\nmodels = [dict(type=TurboMindModelX, path='x')]\n",
      position: '2:16',
      message: /unknown model class TurboMindModelX \(did you mean TurboMindModel/,
    },
    {
      name: 'an unknown model field',
      source: "from opencompass.models import TurboMindModel\nmodels = [\n    dict(type=TurboMindModel,\n         path='x',\n         max_out_lne=100)]\n",
      position: '5:10',
      message: /unknown field "max_out_lne" for TurboMindModel; did you mean "max_out_len"/,
    },
  ];

  it.each(malformed)('refuses $name with file:line:column', async ({ name, source, position, message }) => {
    const dir = join(root, 'malformed');
    await mkdir(dir, { recursive: true });
    const file = join(dir, `${name.replace(/\W+/g, '_')}.py`);
    await writeFile(file, source);
    const paths = { serverLog: join(dir, 'events.jsonl'), requestLog: join(dir, 'requests.jsonl') };
    const run = await runCli(['run', file, '--limit', '1', '-w', join(dir, 'outputs')], cliEnv(paths));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${file}:${position}: `);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dir, 'outputs'))).toBe(false);
  });
});
