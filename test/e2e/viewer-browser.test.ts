// The viewer end to end in a real browser: two real runs made by the built CLI (dist/cli/main.js, `npm run build`
// first) against the in-process test server with two answer policies, then `startViewer` over their work dir,
// driven with headless Chromium (/usr/bin/chromium) through playwright-core. Expected numbers are read from the
// runs' own results files, not from the viewer. Screenshots go to docs/viewer-*.png with SEXTANT_UPDATE_SCREENSHOTS=1, else to a temporary folder.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { access, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startViewer, type RunningViewer } from '../../src/api/start-viewer.js';
import { defaultAnswer, startOpenAITestServer, type AnswerInfo, type OpenAITestServer } from '../support/openai-test-server.mjs';
import { CLI, REPO_ROOT, readJson, runCli, type CliResult } from './cli-harness.js';

// Screenshots refresh docs/ only when asked (SEXTANT_UPDATE_SCREENSHOTS=1), so a test run leaves the tree clean.
const DOCS = process.env.SEXTANT_UPDATE_SCREENSHOTS ? join(REPO_ROOT, 'docs') : join(tmpdir(), 'sextant-viewer-screenshots');
const CHROMIUM = '/usr/bin/chromium';
/** The dataset the walk-through opens: chosen in `beforeAll` to have right and wrong answers in the older run. */
let dataset = 'ceval-computer_network';

interface ResultsFile {
  accuracy: number;
  details: Record<string, { predictions?: string; references?: string; error?: string } | string>;
}

const tempDirs: string[] = [];
let server: OpenAITestServer;
let viewer: RunningViewer;
let context: BrowserContext;
let page: Page;
let workDir = '';
/** Older run first. */
let runs: string[] = [];
let model = '';

/** Second policy: a bare letter chosen from the prompt's length (so it disagrees with the default policy often). */
function letterByLength(info: AnswerInfo): string {
  return `答案：${'ABCD'[info.prompt.length % 4]}`;
}

function expectCleanExit(result: CliResult): void {
  expect(result.code, `exit ${result.code}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`).toBe(0);
}

async function results(run: string, name: string): Promise<ResultsFile> {
  return readJson<ResultsFile>(join(workDir, run, 'results', model, `${name}.json`));
}

function wrongIndexes(file: ResultsFile): number[] {
  return Object.entries(file.details)
    .filter(([key, detail]) => key !== 'type' && typeof detail === 'object' && detail.predictions !== detail.references)
    .map(([key]) => Number(key))
    .sort((left, right) => left - right);
}

/** A dataset of the run with both right and wrong answers, preferably one with an answer outside A–D. */
async function mixedDataset(run: string): Promise<string> {
  const datasets = (await readdir(join(workDir, run, 'results', model))).map((name) => name.replace(/\.json$/, '')).sort();
  const mixed: string[] = [];
  for (const name of datasets) {
    const file = await results(run, name);
    if (file.accuracy <= 0 || file.accuracy >= 100) continue;
    mixed.push(name);
    const answers = Object.entries(file.details)
      .filter(([key]) => key !== 'type')
      .map(([, detail]) => (detail as { predictions?: string }).predictions ?? '');
    if (answers.some((answer) => !/^[ABCD]$/.test(answer))) return name;
  }
  return mixed[0] ?? dataset;
}

async function screenshot(name: string): Promise<void> {
  await page.screenshot({ path: join(DOCS, `viewer-${name}.png`), fullPage: true });
}

beforeAll(async () => {
  await access(CLI).catch(() => {
    throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  });
  workDir = await mkdtemp(join(tmpdir(), 'sextant-e2e-viewer-'));
  tempDirs.push(workDir);
  let policy: (info: AnswerInfo) => string = (info) => defaultAnswer(info.prompt);
  server = await startOpenAITestServer({ answer: (info) => policy(info) });
  const args = ['run', '--datasets', 'ceval_gen', '--api-base', `${server.url}/v1`, '-w', workDir, '--limit', '4'];
  expectCleanExit(await runCli(args));
  const [first] = await readdir(workDir);
  // Run folders are named by the second: start the second run in a later one.
  while (new Date().toISOString().slice(17, 19) === first?.slice(13, 15)) await new Promise((resolve) => setTimeout(resolve, 100));
  policy = letterByLength;
  expectCleanExit(await runCli(args));
  runs = (await readdir(workDir)).sort();
  expect(runs).toHaveLength(2);
  model = (await readdir(join(workDir, runs[0] as string, 'samples')))[0] as string;
  dataset = await mixedDataset(runs[0] as string);

  viewer = await startViewer({ workDir });
  const userDataDir = await mkdtemp(join(tmpdir(), 'sextant-e2e-chromium-'));
  tempDirs.push(userDataDir);
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 800 },
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
  });
  page = context.pages()[0] ?? (await context.newPage());
  await mkdir(DOCS, { recursive: true });
}, 180_000);

afterAll(async () => {
  await context?.close();
  await viewer?.close();
  await server?.close();
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('sextant view in a browser', () => {
  it('lists the runs, opens one, filters to wrong answers, opens a sample, and compares the two runs', async () => {
    const [older, newer] = runs as [string, string];
    const olderResults = await results(older, dataset);
    const newerResults = await results(newer, dataset);

    // The run list: both runs, newest first, with models, datasets, 52 × 4 samples and the overall score.
    await page.goto(viewer.url);
    await expect.poll(() => page.locator('h1').innerText()).toBe('Runs');
    const rows = page.locator('tbody tr');
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(0).innerText()).toContain(newer);
    expect(await rows.nth(1).innerText()).toContain(older);
    for (const text of [model, 'ceval_gen', '52 datasets, limit 4', '208', 'ceval naive_average']) expect(await rows.nth(1).innerText()).toContain(text);
    await screenshot('runs');

    // A run: its summary table, scores as the results files have them.
    await page.click(`a[href="/runs/${older}"]`);
    await expect.poll(() => page.locator('h1').innerText()).toContain(older);
    const summaryRow = page.locator('tbody tr').filter({ has: page.locator(`td:first-child >> text="${dataset}"`) });
    expect(await summaryRow.innerText()).toContain(olderResults.accuracy.toFixed(2));
    expect(await page.locator('tbody tr').count()).toBeGreaterThanOrEqual(52 + 6);
    await screenshot('run');

    // Its samples, filtered to wrong answers: exactly the wrong ones of the results file.
    await summaryRow.locator('a').first().click();
    await expect.poll(() => page.locator('h1').innerText()).toContain(dataset);
    expect(await page.locator('tbody tr').count()).toBe(4);
    await page.check('input[name=wrong]');
    await page.click('form.bar button[type=submit]');
    await expect.poll(() => page.url()).toContain('wrong=1');
    const wrong = wrongIndexes(olderResults);
    expect(wrong.length).toBeGreaterThan(0);
    const listed = await page.locator('tbody tr td:first-child a').allInnerTexts();
    expect(listed).toEqual(wrong.map((index) => `#${index}`));
    for (const badge of await page.locator('tbody tr td:nth-child(6)').allInnerTexts()) expect(badge).toMatch(/wrong|failed/);
    await screenshot('samples-wrong');

    // One sample: prompt as turns, the raw prediction, extracted answer and gold from the results file.
    const first = wrong[0] as number;
    await page.click(`tbody tr td:first-child a >> text="#${first}"`);
    await expect.poll(() => page.locator('h1').innerText()).toContain(`Sample #${first}`);
    const detail = olderResults.details[String(first)] as { predictions: string; references: string };
    const facts = await page.locator('dl.facts').innerText();
    expect(facts).toContain('wrong');
    expect(facts).toContain(`Gold\n${detail.references}`);
    if (detail.predictions !== '') expect(facts).toContain(`Extracted answer\n${detail.predictions}`);
    expect(await page.locator('.turn.human').count()).toBeGreaterThanOrEqual(1);
    expect(await page.locator('.turn.human pre').last().innerText()).toMatch(/^以下是中国关于.+考试的单项选择题，请选出其中的正确答案。/);
    expect(await page.locator('details summary').first().innerText()).toContain('5 in-context examples (10 turns)');
    await page.click('details summary');
    expect(await page.locator('.turn.bot').count()).toBe(5);
    expect(await page.locator('.turn.bot').first().isVisible()).toBe(true);
    await screenshot('sample');

    // The comparison (sextant compare's own table): per dataset the pair count, both scores on the paired samples,
    // the difference with its interval, and the discordant samples behind a link.
    await page.click(`nav.crumbs a[href="/runs/${older}"]`);
    await page.selectOption('form.bar select[name=b]', newer);
    await page.click('form.bar button[type=submit]');
    await expect.poll(() => page.locator('h1').innerText()).toContain('Compare');
    const compareRow = page.locator('tbody tr').filter({ has: page.locator(`td:first-child >> text="${dataset}"`) });
    const cells = await compareRow.locator('td').allInnerTexts();
    expect(cells.slice(1, 4)).toEqual(['4', olderResults.accuracy.toFixed(2), newerResults.accuracy.toFixed(2)]);
    const olderWrong = new Set(wrong);
    const discordant = [0, 1, 2, 3].filter((index) => olderWrong.has(index) !== wrongIndexes(newerResults).includes(index));
    await screenshot('compare');
    if (discordant.length > 0) {
      await compareRow.locator('a', { hasText: 'discordant' }).click();
      await expect.poll(() => page.url()).toContain('discordant=1');
      expect(await page.locator('tbody tr td:first-child a').allInnerTexts()).toEqual(discordant.map((index) => `#${index}`));
    } else {
      expect(cells.at(-1)).toBe('none');
    }
  }, 120_000);
});
