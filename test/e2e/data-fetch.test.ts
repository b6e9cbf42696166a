// `sextant data list|fetch|verify` through the built CLI against a loopback mirror (test/support/data-mirror-server.ts)
// that serves ../shared's files under the upstream paths of the shipped manifest. Nothing leaves 127.0.0.1:
// every fetch goes to the mirror (--mirror, SEXTANT_DATA_MIRROR) or through it as an HTTP proxy. Run `npm run build` first.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataManifest } from '../../src/datasets/fetch/data-manifest.js';
import { routesFromManifest, SHARED_DIR, startDataMirror, type DataMirror } from '../support/data-mirror-server.js';
import { CLI, closedPort, REPO_ROOT, runCli } from './cli-harness.js';

const noProxy = { HTTP_PROXY: '', HTTPS_PROXY: '', http_proxy: '', https_proxy: '', NO_PROXY: '', no_proxy: '', SEXTANT_DATA_MIRROR: '' };
const piqa = dataManifest.datasets.piqa!;
const model = dataManifest.models['stories260K-gguf']!;
const pathOf = (url: string | undefined) => new URL(url as string).pathname;
const validPath = pathOf(piqa.files.find((file) => file.path === 'valid.jsonl')?.url);

let mirror: DataMirror;
let root: string;
let counter = 0;

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` before the end-to-end tests`);
  mirror = await startDataMirror({ routes: routesFromManifest(dataManifest) });
  root = await mkdtemp(join(tmpdir(), 'sextant-data-fetch-'));
});

afterAll(async () => {
  await mirror?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

const newDataRoot = () => join(root, `data-${++counter}`);
const sha256 = async (path: string) =>
  createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
const fetchArgs = (dataDir: string, ...names: string[]) => ['data', 'fetch', ...names, '--data-dir', dataDir, '--mirror', mirror.url];

describe('sextant data fetch / verify / list against a loopback mirror', () => {
  it('fetches a dataset and the demo model with checksums checked, then verify and list agree', async () => {
    const dataDir = newDataRoot();
    const run = await runCli(fetchArgs(dataDir, 'piqa', 'stories260K-gguf'), { env: noProxy });
    expect(run.code, run.stderr).toBe(0);
    for (const file of piqa.files) expect(await sha256(join(dataDir, 'piqa', file.path))).toBe(file.sha256);
    expect(await sha256(join(dataDir, 'models', 'stories260K-gguf', 'stories260Ktok512.gguf'))).toBe(model.files[0]!.sha256);
    // Not a TTY: plain lines, no bar.
    expect(run.stderr).toContain('fetched piqa/valid.jsonl');
    expect(run.stderr).not.toContain('\r');
    expect(run.stdout).toContain('piqa: 3 downloaded, 0 already present');
    expect(run.stdout).toMatch(/run the demo model: sextant run --hf-path \S+stories260Ktok512\.gguf/);
    expect((await readdir(join(dataDir, 'piqa'))).sort()).toEqual(['README.md', 'valid-labels.lst', 'valid.jsonl']);

    const again = await runCli(fetchArgs(dataDir, 'piqa'), { env: noProxy });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('piqa: 0 downloaded, 3 already present');

    const verify = await runCli(['data', 'verify', '--data-dir', dataDir], { env: noProxy });
    expect(verify.code, verify.stdout).toBe(0);
    expect(verify.stdout).toContain('piqa: ok, 3 of 3 files verified');
    expect(verify.stdout).toContain('stories260K-gguf: ok, 1 of 1 files verified');
    expect(verify.stdout).not.toContain('ceval');

    const list = await runCli(['data', 'list', '--data-dir', dataDir], { env: noProxy });
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^piqa\s+dataset\s+3 files\s+\S+ MB\s+present/m);
    expect(list.stdout).toMatch(/^ceval\s+dataset\s+156 files\s+\S+ MB\s+absent/m);
    expect(list.stdout).toContain('group demo: ceval + stories260K-gguf');
  });

  it('a corrupted byte: a clear checksum error, exit 1, nothing left under the file name or as .part', async () => {
    const dataDir = newDataRoot();
    mirror.corrupt(validPath);
    try {
      const run = await runCli(fetchArgs(dataDir, 'piqa'), { env: noProxy });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(
        `checksum mismatch for ${mirror.url}${validPath}: expected sha256 ${piqa.files.find((file) => file.path === 'valid.jsonl')!.sha256}`,
      );
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(existsSync(join(dataDir, 'piqa', 'valid.jsonl'))).toBe(false);
      expect(existsSync(join(dataDir, 'piqa', 'valid.jsonl.part'))).toBe(false);
    } finally {
      mirror.reset();
    }
  });

  it('an interrupted download is kept as .part and the next run resumes it with a Range request', async () => {
    const dataDir = newDataRoot();
    mirror.reset();
    mirror.dropOnce(validPath);
    const first = await runCli(fetchArgs(dataDir, 'piqa'), { env: noProxy });
    expect(first.code).toBe(1);
    expect(first.stderr).toMatch(/the download of \S+valid\.jsonl was interrupted after \d+ of 495929 bytes .*run the same command again to resume/);
    const part = join(dataDir, 'piqa', 'valid.jsonl.part');
    expect(existsSync(part)).toBe(true);
    expect(existsSync(join(dataDir, 'piqa', 'valid.jsonl'))).toBe(false);
    const kept = (await readFile(part)).length;
    expect(kept).toBeGreaterThan(0);

    const second = await runCli(fetchArgs(dataDir, 'piqa'), { env: noProxy });
    expect(second.code, second.stderr).toBe(0);
    const ranged = mirror.requests.filter((request) => request.path === validPath && request.range !== undefined);
    expect(ranged.map((request) => request.range)).toEqual([`bytes=${kept}-`]);
    expect(await sha256(join(dataDir, 'piqa', 'valid.jsonl'))).toBe(piqa.files.find((file) => file.path === 'valid.jsonl')!.sha256);
    expect(existsSync(part)).toBe(false);
  });

  it('offline (nothing listening): the message names the URL and the manual alternative', async () => {
    const dataDir = newDataRoot();
    const port = await closedPort();
    const run = await runCli(['data', 'fetch', 'piqa', '--data-dir', dataDir], { env: { ...noProxy, SEXTANT_DATA_MIRROR: `http://127.0.0.1:${port}` } });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`cannot reach http://127.0.0.1:${port}${pathOf(piqa.files[0]!.url)} (ECONNREFUSED`);
    expect(run.stderr).toContain('put them in a folder as piqa/ and pass --data-dir DIR');
    expect(run.stderr).toContain('ybisk/ybisk.github.io at commit 21edab439af693b961be2f069e8690a88d3b4e37');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dataDir, 'piqa', 'README.md'))).toBe(false);
  });

  it('HTTP_PROXY is used (the mirror answers as the proxy) and NO_PROXY bypasses it', async () => {
    const dataDir = newDataRoot();
    mirror.reset();
    const viaProxy = await runCli(['data', 'fetch', 'piqa', '--data-dir', dataDir, '--mirror', 'http://mirror.invalid'], {
      env: { ...noProxy, HTTP_PROXY: mirror.url, http_proxy: mirror.url },
      timeoutMs: 20_000,
    });
    expect(viaProxy.code, viaProxy.stderr).toBe(0);
    expect(mirror.requests.length).toBe(3);
    expect(mirror.requests.every((request) => request.proxiedHost === 'mirror.invalid')).toBe(true);

    mirror.reset();
    const bypass = await runCli(['data', 'fetch', 'piqa', '--data-dir', newDataRoot(), '--mirror', mirror.url], {
      env: { ...noProxy, HTTP_PROXY: 'http://127.0.0.1:9', http_proxy: 'http://127.0.0.1:9', NO_PROXY: '127.0.0.1', no_proxy: '127.0.0.1' },
    });
    expect(bypass.code, bypass.stderr).toBe(0);
    expect(mirror.requests.every((request) => request.proxiedHost === undefined)).toBe(true);
  });

  it('verify reports a tampered and a missing file, with the repair command', async () => {
    const dataDir = newDataRoot();
    expect((await runCli(fetchArgs(dataDir, 'piqa'), { env: noProxy })).code).toBe(0);
    const labels = join(dataDir, 'piqa', 'valid-labels.lst');
    const bytes = await readFile(labels);
    bytes[0] = bytes[0]! ^ 0x01;
    await writeFile(labels, bytes);
    await rm(join(dataDir, 'piqa', 'README.md'));
    const run = await runCli(['data', 'verify', '--data-dir', dataDir], { env: noProxy });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('piqa: FAILED, 1 of 3 files verified');
    expect(run.stdout).toMatch(/^ {2}missing {5}README\.md$/m);
    expect(run.stdout).toMatch(/^ {2}mismatched {2}valid-labels\.lst$/m);
    expect(run.stdout).toContain(`repair: sextant data fetch piqa --data-dir ${dataDir}`);
  });

  it('unknown names are refused with suggestions; a run without data offers the exact fetch command', async () => {
    const unknown = await runCli(['data', 'fetch', 'pika', '--data-dir', newDataRoot()], { env: noProxy });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown data "pika"; did you mean "piqa"');

    const empty = newDataRoot();
    const run = await runCli(['run', '--datasets', 'ceval_gen', '--api-base', 'http://127.0.0.1:9/v1', '--data-dir', empty], { env: noProxy });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`Fetch it (sha256-checked) with: sextant data fetch ceval --data-dir ${empty}.`);
  });

  it('the committed manifest is what scripts/build-data-manifest.mjs makes of ../shared', async () => {
    const check = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'build-data-manifest.mjs'), '--check'], { encoding: 'utf8' });
    expect(check.status, check.stderr).toBe(0);
  });

  it('the manifest covers every file of every ../shared/data CHECKSUMS file', async () => {
    for (const [name, entry] of Object.entries(dataManifest.datasets)) {
      const checksums = (await readFile(join(SHARED_DIR, 'data', name, 'CHECKSUMS'), 'utf8')).trim().split('\n');
      expect(entry.files.map((file) => `${file.sha256}  ${file.path}`)).toEqual(checksums);
    }
  });
});
