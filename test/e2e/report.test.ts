// End-to-end tests of `sextant report` (dist/cli/main.js, built beforehand with `npm run build`): real runs of the CLI
// against the in-process OpenAI-compatible test server on the real C-Eval data, then the report of each run, checked
// as text and rendered once in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core).
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapGroupMean, wilsonInterval } from '../../src/stats/index.js';
import { startOpenAITestServer, type AnswerInfo, type FaultInfo, type OpenAITestServer } from '../support/openai-test-server.mjs';
import { GROUPS, SUBJECTS, pythonFormat2 } from './ceval-reference.js';
import { CLI, REPO_ROOT, onlyRunDir, readJson, runCli } from './cli-harness.js';

const ALPHA = 'alpha-7b';
const BETA = 'beta-13b';
/** What beta says to some questions: markup that must reach the page as text, never as a script. */
const INJECTION = `<script>document.title='pwned'</script>`;
const CHART_BANNER = 'Chart.js v4.6.1';

const tempDirs: string[] = [];
const servers: OpenAITestServer[] = [];
let chartLibrary = '';
/** A full ceval_gen run (all 1,346 questions) of two models. */
let pairRun = '';
let pairHtml = '';
let pairStdout = '';
/** ceval_gen --limit 3 of one model, its report written with --out. */
let soloRun = '';
let soloReport = '';
let soloHtml = '';

async function tempDir(label: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `sextant-report-${label}-`));
  tempDirs.push(dir);
  return dir;
}

function hashByte(text: string, position: number): number {
  return createHash('sha256').update(text, 'utf8').digest()[position] as number;
}

/** beta: a bare letter mostly, the injection for about one question in eight. */
function betaAnswer(info: AnswerInfo): string {
  return hashByte(info.prompt, 3) % 8 === 0 ? INJECTION : ('ABCD'[hashByte(info.prompt, 4) % 4] as string);
}

/** beta refuses about one question in forty with a 400 (not retried): those samples fail. */
function betaFault(info: FaultInfo) {
  if (info.endpoint !== 'chat') return undefined;
  return hashByte(JSON.stringify(info.body?.messages ?? ''), 5) % 40 === 0 ? ({ kind: 'status', status: 400, message: 'refused by test' } as const) : undefined;
}

/** What the test reads from the rendered page. */
interface PageFacts {
  readonly title: string;
  readonly charts: ReadonlyArray<{ id: string; width: number; height: number; painted: number; labels?: number; series?: number }>;
}

/** Run in the page (a string: the test's TypeScript has no DOM types): the title, and each canvas's size, painted pixels and chart. */
const pageFacts = `(() => ({
  title: document.title,
  charts: Array.from(document.querySelectorAll('canvas'), (canvas) => {
    const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let index = 3; index < pixels.length; index += 4) if (pixels[index] > 0) painted += 1;
    const chart = Chart.getChart(canvas);
    return { id: canvas.id, width: canvas.width, height: canvas.height, painted, labels: chart?.data.labels.length, series: chart?.data.datasets.length };
  }),
}))()`;

/** The cells of one summary-table row: per model, the score and its interval as printed. */
function summaryCells(html: string, dataset: string, metric = 'accuracy'): Array<{ score: string; lower: string; upper: string }> {
  const rows = [...html.matchAll(new RegExp(`<tr[^>]*data-dataset="${dataset}">(.*?)</tr>`, 'g'))].map((match) => match[1] as string);
  const row = rows.find((cells) => cells.includes(`<td>${metric}</td>`));
  if (!row) throw new Error(`no ${metric} row for ${dataset}`);
  return [...row.matchAll(/<span class="score">([^<]*)<\/span><span class="ci">\[([^,]*), ([^\]]*)\]<\/span>/g)].map((match) => ({
    score: match[1] as string,
    lower: match[2] as string,
    upper: match[3] as string,
  }));
}

function summaryHeader(html: string): string {
  return /<table class="summary">\s*<thead>(.*?)<\/thead>/s.exec(html)?.[1] ?? '';
}

/** Per-question correctness of one (model, dataset), from the run's results file. */
async function outcomes(run: string, model: string, dataset: string): Promise<number[]> {
  const results = await readJson<{ details: Record<string, { predictions: string; references: string }> }>(join(run, 'results', model, `${dataset}.json`));
  return Object.keys(results.details)
    .filter((key) => key !== 'type')
    .sort((left, right) => Number(left) - Number(right))
    .map((key) => (results.details[key]?.predictions === results.details[key]?.references ? 1 : 0));
}

beforeAll(async () => {
  await stat(CLI).catch(() => {
    throw new Error(`${CLI} is missing: run \`npm run build\` before the end-to-end tests`);
  });
  chartLibrary = await readFile(join(REPO_ROOT, 'node_modules', 'chart.js', 'dist', 'chart.umd.min.js'), 'utf8');
  const alpha = await startOpenAITestServer({ modelName: ALPHA });
  const beta = await startOpenAITestServer({ modelName: BETA, answer: betaAnswer, fault: betaFault });
  servers.push(alpha, beta);

  const pairWork = await tempDir('pair');
  const config = join(pairWork, 'sextant.config.json');
  await writeFile(
    config,
    JSON.stringify({
      datasets: ['ceval_gen'],
      models: [
        { type: 'openai', apiBase: `${alpha.url}/v1` },
        { type: 'openai', apiBase: `${beta.url}/v1`, retry: 0 },
      ],
    }),
  );
  const pair = await runCli(['run', config, '-w', pairWork], { timeoutMs: 120_000 });
  expect(pair.code, pair.stderr).toBe(0);
  pairRun = await onlyRunDir(pairWork);
  const pairReport = await runCli(['report', pairRun]);
  expect(pairReport.code, pairReport.stderr).toBe(0);
  pairStdout = pairReport.stdout;
  pairHtml = await readFile(join(pairRun, 'report.html'), 'utf8');

  const soloWork = await tempDir('solo');
  const solo = await runCli(['run', '--datasets', 'ceval_gen', '--api-base', `${alpha.url}/v1`, '-w', soloWork, '--limit', '3']);
  expect(solo.code, solo.stderr).toBe(0);
  soloRun = await onlyRunDir(soloWork);
  soloReport = join(soloWork, 'elsewhere', 'solo.html');
  const soloWritten = await runCli(['report', soloRun, '--out', soloReport]);
  expect(soloWritten.code, soloWritten.stderr).toBe(0);
  soloHtml = await readFile(soloReport, 'utf8');
}, 180_000);

afterAll(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
  await Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('sextant report', () => {
  it('writes report.html into the run folder and prints its path and size', async () => {
    const path = join(pairRun, 'report.html');
    const bytes = (await stat(path)).size;
    expect(pairStdout).toBe(`report: ${path} (${(bytes / 1024).toFixed(0)} KiB)\n`);
    expect(bytes).toBe(Buffer.byteLength(pairHtml, 'utf8'));
  });

  it('writes to --out instead when given', async () => {
    expect(soloHtml.startsWith('<!doctype html>')).toBe(true);
    // `sextant run` wrote the run's own report.html; `sextant report --out` wrote a second copy where asked.
    expect((await stat(join(soloRun, 'report.html'))).size).toBeGreaterThan(0);
  });

  it('stays under 1 MB for a full 52-subject run of two models', () => {
    expect(Buffer.byteLength(pairHtml, 'utf8')).toBeLessThan(1_000_000);
  });

  it('references no external resource: no external script, style, image or font, and URLs only as text', () => {
    for (const html of [pairHtml, soloHtml]) {
      expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none';`);
      // Three inline scripts (data, Chart.js, drawing) and one inline stylesheet; no link, no src anywhere.
      expect([...html.matchAll(/<script\b([^>]*)>/g)].map((match) => match[1])).toEqual([' type="application/json" id="report-data"', '', '']);
      const page = html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, '<script></script>');
      expect(page).not.toMatch(/<[a-z][^>]*\s(src|href|srcset|action|data|poster|background)\s*=/i);
      expect(page).not.toMatch(/<link\b|url\(|@import|@font-face/i);
      // A URL may appear only as escaped text: in a failed sample's error message (which names the endpoint).
      const cells = page.replace(/<td class="raw">[^<]*<\/td>/g, '');
      expect(cells).not.toMatch(/https?:\/\/|\/\/[a-z0-9.-]+\.[a-z]{2,}\//i);
    }
    expect(pairHtml).toMatch(/<td class="raw">failed: http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions answered HTTP 400/);
  });

  it('inlines the installed Chart.js bundle once', () => {
    expect(pairHtml).toContain(`<script>${chartLibrary}</script>`);
    expect(pairHtml.split(CHART_BANNER)).toHaveLength(2);
  });

  it('embeds the chart data once and no prompt', async () => {
    expect(pairHtml.match(/id="report-data"/g)).toHaveLength(1);
    const predictions = await readJson<Record<string, { origin_prompt: Array<{ prompt: string }> }>>(join(pairRun, 'predictions', ALPHA, 'ceval-law.json'));
    const lastTurn = predictions['0']?.origin_prompt.at(-1)?.prompt ?? '';
    expect(lastTurn.length).toBeGreaterThan(20);
    expect(pairHtml).not.toContain(lastTurn);
  });

  it('names both models, as columns of the summary, and one column for a one-model run', () => {
    expect(pairHtml).toContain(ALPHA);
    expect(pairHtml).toContain(BETA);
    const header = summaryHeader(pairHtml);
    expect(header.indexOf(ALPHA)).toBeGreaterThan(-1);
    expect(header.indexOf(BETA)).toBeGreaterThan(header.indexOf(ALPHA));
    expect(header.match(/class="swatch"/g)).toHaveLength(2);
    expect(summaryHeader(soloHtml).match(/class="swatch"/g)).toHaveLength(1);
    expect(summaryCells(pairHtml, 'ceval-law')).toHaveLength(2);
    expect(summaryCells(soloHtml, 'ceval-law')).toHaveLength(1);
  });

  it('shows all 52 subject keys with their Chinese names beside them', () => {
    expect(SUBJECTS).toHaveLength(52);
    for (const html of [pairHtml, soloHtml]) {
      for (const subject of SUBJECTS) {
        expect(html, subject.key).toContain(`<code>ceval-${subject.key}</code></td><td class="zh">${subject.chineseName}</td>`);
        expect(html, subject.key).toContain(`"${subject.key} ${subject.chineseName}"`);
      }
    }
  });

  it("shows each subject's accuracy with its 95% Wilson interval", async () => {
    for (const key of ['computer_network', 'law', 'physician']) {
      for (const [column, model] of [ALPHA, BETA].entries()) {
        const correct = (await outcomes(pairRun, model, `ceval-${key}`)).reduce((sum, outcome) => sum + outcome, 0);
        const trials = SUBJECTS.find((subject) => subject.key === key)?.valCount as number;
        const interval = wilsonInterval({ successes: correct, trials });
        expect(summaryCells(pairHtml, `ceval-${key}`)[column], `${model} ${key}`).toEqual({
          score: pythonFormat2((100 * correct) / trials),
          lower: pythonFormat2(100 * interval.lower),
          upper: pythonFormat2(100 * interval.upper),
        });
      }
    }
    const soloCorrect = (await outcomes(soloRun, ALPHA, 'ceval-law')).reduce((sum, outcome) => sum + outcome, 0);
    const soloInterval = wilsonInterval({ successes: soloCorrect, trials: 3 });
    expect(summaryCells(soloHtml, 'ceval-law')[0]).toMatchObject({
      lower: pythonFormat2(100 * soloInterval.lower),
      upper: pythonFormat2(100 * soloInterval.upper),
    });
  });

  it("shows each C-Eval group's naive mean with a seeded bootstrap interval over questions within each subject", async () => {
    const hard = GROUPS.find((group) => group.name === 'ceval-hard');
    const subsets = await Promise.all((hard?.subsets ?? []).map(async (key) => ({ outcomes: await outcomes(pairRun, BETA, `ceval-${key}`) })));
    const expected = bootstrapGroupMean({ subsets, weighting: 'naive', seed: 0, iterations: 2000 });
    expect(summaryCells(pairHtml, 'ceval-hard', 'naive_average')[1]).toEqual({
      score: pythonFormat2(expected.estimate),
      lower: pythonFormat2(expected.lower),
      upper: pythonFormat2(expected.upper),
    });
    for (const group of GROUPS) expect(summaryCells(pairHtml, group.name, 'naive_average'), group.name).toHaveLength(2);
  });

  it('counts failed samples per model', async () => {
    let failed = 0;
    for (const subject of SUBJECTS) {
      const predictions = await readJson<Record<string, { error?: string }>>(join(pairRun, 'predictions', BETA, `ceval-${subject.key}.json`));
      failed += Object.values(predictions).filter((entry) => entry.error !== undefined).length;
    }
    expect(failed).toBeGreaterThan(0);
    const models = /<section id="models">(.*?)<\/section>/s.exec(pairHtml)?.[1] ?? '';
    expect(models).toMatch(new RegExp(`${ALPHA}</td><td>${ALPHA}</td><td class="number">52</td><td class="number">1346</td><td class="number">0</td>`));
    expect(models).toMatch(
      new RegExp(`${BETA}</td><td>${BETA}</td><td class="number">52</td><td class="number">1346</td><td class="number low">${failed}</td>`),
    );
  });

  it('audits extraction: the share of answers extracted to A–D per model and dataset, and the unextracted samples with their raw text', async () => {
    let extracted = 0;
    let lawExtracted = 0;
    for (const subject of SUBJECTS) {
      const predictions = await readJson<Record<string, { prediction: string }>>(join(pairRun, 'predictions', ALPHA, `ceval-${subject.key}.json`));
      for (const entry of Object.values(predictions)) {
        // first_capital_postprocess: the first uppercase character.
        const isOption = /^[ABCD]$/.test(/\p{Lu}/u.exec(entry.prediction)?.[0] ?? '');
        if (isOption) extracted += 1;
        if (isOption && subject.key === 'law') lawExtracted += 1;
      }
    }
    expect(extracted).toBeLessThan(1346);
    const audit = /<section id="extraction">(.*?)<\/section>/s.exec(pairHtml)?.[1] ?? '';
    expect(audit).toContain(`${pythonFormat2((100 * extracted) / 1346)}% (${extracted}/1346)`);
    expect(audit).toContain(`${pythonFormat2((100 * lawExtracted) / 24)}% (${lawExtracted}/24)`);
    // The rule each C-Eval dataset was audited by, from its definition's answer format.
    expect(audit).toContain(`<code>ceval-law</code></td><td class="zh">法学</td><td>one of A, B, C, D</td>`);
    expect(audit).toContain(`${ALPHA}: ${1346 - extracted} unextracted samples (first 100 shown)`);
    expect(audit).toContain('The answer is ');
    // beta's markup answers are listed as text.
    expect(audit).toContain('&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;');
    expect(pairHtml).not.toContain(INJECTION);
    expect(audit).toContain('failed: ');
  });

  it('refuses a folder that is not a run, a folder that does not exist, and a missing RUN', async () => {
    const empty = await tempDir('empty');
    const notRun = await runCli(['report', empty]);
    expect(notRun.code).toBe(2);
    expect(notRun.stderr).toContain(`${empty} is not a sextant run folder (no configs/*.json) and holds no run folders`);
    const absent = await runCli(['report', join(empty, 'nope')]);
    expect(absent.code).toBe(2);
    expect(absent.stderr).toContain(`${join(empty, 'nope')} does not exist`);
    const missing = await runCli(['report']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('sextant report: RUN: give the run folder');
  });

  it('renders in headless Chromium with no console error, no request beyond the file, and both charts drawn', async () => {
    const userDataDir = await tempDir('chromium');
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1280, height: 900 },
    });
    try {
      const page = await context.newPage();
      const problems: string[] = [];
      const requests: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
      page.on('request', (request) => requests.push(request.url()));
      const url = pathToFileURL(join(pairRun, 'report.html')).href;
      await page.goto(url, { waitUntil: 'load' });
      const canvases = await page.evaluate<PageFacts>(pageFacts);
      expect(problems).toEqual([]);
      expect(requests).toEqual([url]);
      expect(canvases.title).toBe(`sextant report · ${pairRun.split('/').at(-1)}`);
      expect(canvases.charts.map((chart) => [chart.id, chart.labels, chart.series])).toEqual([
        ['category-chart', 6, 2],
        ['subject-chart', 52, 2],
      ]);
      for (const chart of canvases.charts) {
        expect(chart.width, chart.id).toBeGreaterThan(600);
        expect(chart.height, chart.id).toBeGreaterThan(300);
        expect(chart.painted / (chart.width * chart.height), chart.id).toBeGreaterThan(0.05);
      }
      await mkdir(join(REPO_ROOT, 'docs'), { recursive: true });
      // docs/report.png is refreshed only with SEXTANT_UPDATE_SCREENSHOTS=1, so a test run leaves the tree clean.
      await page.screenshot({
        path: process.env.SEXTANT_UPDATE_SCREENSHOTS ? join(REPO_ROOT, 'docs', 'report.png') : join(tmpdir(), 'sextant-report.png'),
        fullPage: true,
        clip: { x: 0, y: 0, width: 1280, height: 1900 },
      });
    } finally {
      await context.close();
    }
  });
});
