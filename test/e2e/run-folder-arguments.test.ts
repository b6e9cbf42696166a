// `report`, `audit`, `compare` and `view` take the same things: a run folder, or a work dir meaning its newest
// run; `--model` and `--models` both name models. `view` also finds work dirs one level down, refuses a folder
// that does not exist, and warns about a non-loopback --host. Through the built CLI (`npm run build`).
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAITestServer, type OpenAITestServer } from '../support/openai-test-server.mjs';
import { CLI, DATA_DIR, onlyRunDir, runCli } from './cli-harness.js';

let root: string;
let server: OpenAITestServer;
let workDir: string;
let runDir: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'sextant-e2e-run-args-'));
  server = await startOpenAITestServer({ modelName: 'served' });
  workDir = join(root, 'outputs', 'default');
  const run = await runCli(['run', '--datasets', 'ceval_gen', '--api-base', `${server.url}/v1`, '--abbr', 'alpha', '--limit', '1', '-w', workDir], {
    timeoutMs: 120_000,
  });
  expect(run.code, run.stderr).toBe(0);
  runDir = await onlyRunDir(workDir);
}, 150_000);
afterAll(async () => {
  await server.close();
  await rm(root, { recursive: true, force: true });
});

describe('a run folder or a work dir', () => {
  it('report writes the newest run of a work dir, or the run folder given', async () => {
    for (const target of [workDir, runDir]) {
      const result = await runCli(['report', target, '-o', join(root, 'r.html')]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/^report: .*r\.html/);
    }
  });

  it('audit and compare take either, and --model or --models', async () => {
    for (const [target, flag] of [
      [workDir, '--model'],
      [runDir, '--models'],
    ] as const) {
      const audit = await runCli(['audit', target, flag, 'alpha', '--json']);
      expect(audit.code, audit.stderr).toBe(0);
      expect(JSON.parse(audit.stdout)).toMatchObject({ run: runDir, model: 'alpha' });
      const compare = await runCli(['compare', target, runDir, flag, 'alpha', '--json']);
      expect(compare.code, compare.stderr).toBe(0);
    }
    const wrong = await runCli(['audit', workDir, '--model', 'beta']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--models');
  });
});

describe('view', () => {
  it('finds the work dir one level below the folder given, and serves its runs', async () => {
    const child = spawn(process.execPath, [CLI, 'view', join(root, 'outputs')], {
      env: { ...process.env, SEXTANT_DATA_DIR: DATA_DIR, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let stdout = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          stdout += chunk;
          const match = /^(http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(stdout);
          if (match) resolve(match[1] as string);
        });
        child.on('exit', (code) => reject(new Error(`view exited with ${code}: ${stdout}`)));
      });
      expect(stdout).toContain(`sextant view: ${workDir}\n`);
      const page = await (await fetch(url)).text();
      expect(page).toContain(runDir.split('/').at(-1));
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('refuses a folder that does not exist', async () => {
    const result = await runCli(['view', join(root, 'nope')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`sextant view: WORK_DIR: ${join(root, 'nope')} does not exist`);
  });

  it('warns when --host is not a loopback address', async () => {
    // 192.0.2.1 (TEST-NET-1) is no local interface: nothing listens, the warning is printed first.
    const result = await runCli(['view', workDir, '--host', '192.0.2.1']);
    expect(result.stderr).toContain('sextant view: warning: --host 192.0.2.1 is not a loopback address');
    expect(result.stderr).toContain('cannot listen');
    expect(result.code).toBe(2);
  });
});
