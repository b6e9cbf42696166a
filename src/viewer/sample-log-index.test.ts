import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, open, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startViewer, type RunningViewer } from '../api/start-viewer.js';
import { buildSampleLogIndex, positionOfSample, readLoggedSamples } from './sample-log-index.js';
import { scanLines } from './scan-lines.js';
import { ViewerStore } from './viewer-store.js';

const fixtureLog = fileURLToPath(new URL('./__fixtures__/work/20260101_120000/samples/toy/ceval-computer_network.jsonl', import.meta.url));
const tempDirs: string[] = [];

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sextant-viewer-index-'));
  tempDirs.push(dir);
  return dir;
}

afterAll(async () => {
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('scanLines', () => {
  it('hands over the same lines and offsets whatever the chunk size, including lines longer than a chunk', async () => {
    const dir = await tempDir();
    const path = join(dir, 'lines.txt');
    const text = 'short\n\nа much longer line with 中文 in it\nx\nunterminated tail';
    await writeFile(path, text);
    const expected = [
      { text: 'short', offset: 0, terminated: true },
      { text: '', offset: 6, terminated: true },
      { text: 'а much longer line with 中文 in it', offset: 7, terminated: true },
      { text: 'x', offset: Buffer.byteLength('short\n\nа much longer line with 中文 in it\n'), terminated: true },
      { text: 'unterminated tail', offset: Buffer.byteLength(text) - Buffer.byteLength('unterminated tail'), terminated: false },
    ];
    for (const chunkBytes of [1, 3, 7, 64, 1 << 20]) {
      const lines: Array<{ text: string; offset: number; terminated: boolean }> = [];
      const size = await scanLines({
        path,
        chunkBytes,
        onLine: (line) => lines.push({ text: line.buffer.toString('utf8', line.start, line.end), offset: line.offset, terminated: line.terminated }),
      });
      expect(size).toBe(Buffer.byteLength(text));
      expect(lines).toEqual(expected);
    }
  });
});

describe('buildSampleLogIndex', () => {
  it('keeps the latest record of each index, in index order, and ignores a torn last line', async () => {
    const index = await buildSampleLogIndex(fixtureLog);
    expect(index.count).toBe(4);
    expect([...index.sampleIndexes]).toEqual([0, 1, 2, 3]);
    const samples = await readLoggedSamples(index, [0, 1, 2, 3]);
    expect(samples.map((sample) => (sample.kind === 'record' ? sample.record.prediction : 'unreadable'))).toEqual([
      'B',
      'The answer is C. <img src=x onerror=alert(1)>',
      '',
      '答案是D',
    ]);
    // Index 2 was logged twice: the retry (later line) wins, as in readSampleLog.
    expect(samples[2]?.kind === 'record' && samples[2].record.error).toBe('HTTP 400: bad request <b>x</b>');
  });

  it('reads records whose index is not the first key, skips blank and broken lines, and finds positions', async () => {
    const dir = await tempDir();
    const path = join(dir, 'log.jsonl');
    const record = (index: number, prediction: string) => ({ key: `k${index}`, prediction, gold: 'A', index, originPrompt: 'q', attempts: 1, latencyMs: 1 });
    await writeFile(path, [JSON.stringify(record(7, 'A')), '', 'not json', '{"index":5,', JSON.stringify(record(5, 'B')), '{"index":9}'].join('\n') + '\n');
    const index = await buildSampleLogIndex(path);
    // `{"index":9}` passes the byte-level check; reading it back shows it as unreadable instead of guessing.
    expect([...index.sampleIndexes]).toEqual([5, 7, 9]);
    expect(positionOfSample(index, 7)).toBe(1);
    expect(positionOfSample(index, 6)).toBe(-1);
    const samples = await readLoggedSamples(index, [1, 0, 2]);
    expect(samples.map((sample) => sample.kind)).toEqual(['record', 'record', 'unreadable']);
    expect(samples[0]?.kind === 'record' && samples[0].record.prediction).toBe('A');
  });

  it('treats a missing log as empty', async () => {
    const index = await buildSampleLogIndex(join(await tempDir(), 'missing.jsonl'));
    expect(index.count).toBe(0);
    expect(await readLoggedSamples(index, [])).toEqual([]);
  });
});

/** C-Eval-sized lines (~2.8 kB, like a real 5-shot sample), written in the order a concurrent run finishes them. */
async function writeLargeRun(workDir: string, samples: number): Promise<string> {
  const root = join(workDir, '20260201_090000');
  await mkdir(join(root, 'configs'), { recursive: true });
  await mkdir(join(root, 'samples', 'big-model'), { recursive: true });
  await writeFile(
    join(root, 'configs', '20260201_090000_1.json'),
    JSON.stringify({ datasets: ['ceval_gen'], datasetVersions: { 'ceval-accountant': '002837' }, limit: null, models: [{ abbr: 'big-model' }] }),
  );
  const shot = `以下是中国关于注册会计师考试的单项选择题，请选出其中的正确答案。\n${'甲公司对其各子公司实行全面预算管理，并通常使用增量预算方式进行战略控制。'.repeat(3)}\nA. 增量预算\nB. 零基预算\nC. 固定预算\nD. 弹性预算\n答案: `;
  const path = join(root, 'samples', 'big-model', 'ceval-accountant.jsonl');
  const handle = await open(path, 'w');
  const block = 64;
  for (let start = 0; start < samples; start += block) {
    const lines: string[] = [];
    for (let offset = block - 1; offset >= 0; offset -= 1) {
      const index = start + offset;
      if (index >= samples) continue;
      const turns = [
        ...Array.from({ length: 5 }, () => [
          { role: 'HUMAN', prompt: shot },
          { role: 'BOT', prompt: 'B' },
        ]).flat(),
        { role: 'HUMAN', prompt: `${shot}(#${index})` },
      ];
      const prediction = index % 10 === 3 ? 'The answer is C.' : 'ABCD'[index % 4];
      lines.push(
        JSON.stringify({ index, key: `${index}`.padStart(64, '0'), originPrompt: turns, gold: 'ABCD'[(index * 7) % 4], latencyMs: 5, prediction, attempts: 1 }),
      );
    }
    await handle.write(`${lines.join('\n')}\n`);
  }
  await handle.close();
  return path;
}

describe('a 100,000-sample log', () => {
  const samples = 100_000;
  let workDir = '';
  let logPath = '';
  let viewer: RunningViewer;

  beforeAll(async () => {
    workDir = await tempDir();
    logPath = await writeLargeRun(workDir, samples);
    viewer = await startViewer({ workDir });
  }, 120_000);

  afterAll(async () => {
    await viewer?.close();
  });

  it('serves the first page fast, without loading the log (latency printed, not asserted)', async () => {
    const pageUrl = `${viewer.url}runs/20260201_090000/samples/big-model/ceval-accountant`;
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const response = await fetch(pageUrl);
    const body = await response.text();
    const firstPageMs = performance.now() - started;
    // The viewer runs in this process: its CPU time is a figure that a busy machine does not inflate.
    const cpu = process.cpuUsage(cpuBefore);
    const firstPageCpuMs = (cpu.user + cpu.system) / 1000;
    expect(response.status).toBe(200);
    expect(body).toContain('<strong>100,000</strong> samples');
    expect(body).toContain('page 1 of 2,000 (1–50)');
    expect(body).toContain('>#0<');
    expect(body).toContain('>#49<');
    expect(body).not.toContain('>#50<');

    const warmStarted = performance.now();
    const warm = await fetch(`${pageUrl}?page=1234`);
    const warmBody = await warm.text();
    const warmMs = performance.now() - warmStarted;
    expect(warmBody).toContain('>#61650<');
    expect(warmBody).toContain('>#61699<');

    const filterStarted = performance.now();
    const filtered = await (await fetch(`${pageUrl}?unextracted=1`)).text();
    const filterMs = performance.now() - filterStarted;
    // Every tenth sample answers "The answer is C." (first_capital_postprocess extracts "T").
    expect(filtered).toContain('<strong>10,000</strong> of 100,000 samples match');
    const filteredAgainStarted = performance.now();
    await (await fetch(`${pageUrl}?wrong=1&page=3`)).text();
    const filteredAgainMs = performance.now() - filteredAgainStarted;

    // Two more cold first pages, each from a fresh viewer (no cached index), to show the spread on a busy machine.
    const coldMs = [firstPageMs];
    for (let round = 0; round < 2; round += 1) {
      const fresh = await startViewer({ workDir });
      const roundStarted = performance.now();
      await (await fetch(`${fresh.url}runs/20260201_090000/samples/big-model/ceval-accountant`)).text();
      coldMs.push(performance.now() - roundStarted);
      await fresh.close();
    }
    const { size } = await stat(logPath);
    console.log(
      `[viewer] ${samples.toLocaleString('en-US')}-sample log (${(size / 1e6).toFixed(0)} MB): first page cold ` +
        `${coldMs.map((ms) => ms.toFixed(0)).join(' / ')} ms wall, ${firstPageCpuMs.toFixed(0)} ms CPU (index build + 50 lines; goal < 300 ms), ${warmMs.toFixed(0)} ms for page 1,234 warm; ` +
        `first filter ${filterMs.toFixed(0)} ms (scores every sample once), next filtered page ${filteredAgainMs.toFixed(0)} ms`,
    );
  }, 120_000);

  it('pages through the index directly: every position maps to its sample', async () => {
    const store = new ViewerStore(workDir);
    const run = await store.run('20260201_090000');
    const index = await store.logIndex(run, 'big-model', 'ceval-accountant');
    expect(index.count).toBe(samples);
    expect(index.sampleIndexes[99_999]).toBe(99_999);
    const filtered = await store.filterSamples(run, 'big-model', 'ceval-accountant', {
      wrong: false,
      unextracted: false,
      failed: false,
      discordant: false,
      query: '',
    });
    const last = ViewerStore.page(filtered, 2000, 50);
    expect(last.pageCount).toBe(2000);
    expect(last.positions).toEqual(Array.from({ length: 50 }, (_, at) => 99_950 + at));
    const logged = await readLoggedSamples(index, last.positions);
    expect(logged.map((sample) => (sample.kind === 'record' ? sample.record.index : -1))).toEqual(last.positions);
  }, 60_000);
});
