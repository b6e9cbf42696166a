import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { compareRuns } from '../api/compare-runs.js';
import { startViewer, type RunningViewer } from '../api/start-viewer.js';
import { comparisonTables, methodsLines, pairingLine } from '../compare/index.js';

const workDir = fileURLToPath(new URL('./__fixtures__/work', import.meta.url));
let viewer: RunningViewer;

beforeAll(async () => {
  viewer = await startViewer({ workDir });
});

afterAll(async () => {
  await viewer.close();
});

/** A raw request (the path is sent as written; the Host header can be set). */
function get(path: string, options: { method?: string; host?: string } = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  const url = new URL(viewer.url);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { host: url.hostname, port: url.port, path, method: options.method ?? 'GET', headers: options.host ? { host: options.host } : {} },
      (response) => {
        let body = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body, headers: response.headers }));
      },
    );
    outgoing.on('error', reject);
    outgoing.end();
  });
}

const samples = '/runs/20260101_120000/samples/toy/ceval-computer_network';

describe('pages', () => {
  it('lists runs newest first, with models, datasets, sample counts and the overall score', async () => {
    const { status, body, headers } = await get('/');
    expect(status).toBe(200);
    expect(headers['content-type']).toBe('text/html; charset=utf-8');
    expect(body.indexOf('20260102_120000')).toBeLessThan(body.indexOf('20260101_120000'));
    expect(body).toContain('<strong>37.50</strong>');
    expect(body).toContain('ceval naive_average');
    expect(body).toMatch(/<td class="num">6<\/td>/);
    expect(body).toContain('20260103_000000</td><td colspan="5" class="muted">no sextant run 20260103_000000');
  });

  it('shows a run summary with its intervals', async () => {
    const { status, body } = await get('/runs/20260101_120000');
    expect(status).toBe(200);
    expect(body).toContain(`<a href="${samples}">25.00</a><span class="ci">[4.56, 69.94]</span>`);
    expect(body).toContain('<td class="num">37.50</td>');
    const other = await get('/runs/20260102_120000');
    expect(other.body).not.toContain('class="ci"');
  });

  it('escapes prompts and predictions in the sample list and on the sample page', async () => {
    const list = await get(samples);
    expect(list.status).toBe(200);
    expect(list.body).toContain('Which tag is &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;?');
    expect(list.body).toContain('The answer is C. &lt;img src=x onerror=alert(1)&gt;');
    expect(list.body).not.toMatch(/<script>alert|<img src=x/);
    const page = await get(`${samples}/1`);
    expect(page.status).toBe(200);
    expect(page.body).toContain(
      '<div class="role">HUMAN</div><pre>以下是中国关于计算机网络考试的单项选择题，请选出其中的正确答案。\nWhich tag is &lt;script&gt;',
    );
    expect(page.body).toContain('1 in-context example (2 turns)');
    expect(page.body).not.toMatch(/<script>alert|<img src=x|<b>x<\/b>/);
    const failed = await get(`${samples}/2`);
    expect(failed.body).toContain('HTTP 400: bad request &lt;b&gt;x&lt;/b&gt;');
  });

  it('filters, pages and keeps the filter in sample links', async () => {
    const { body } = await get(`${samples}?wrong=1&compare=20260102_120000&discordant=1`);
    expect(body).toContain('<strong>2</strong> of 4 samples match');
    expect(body).toContain(`href="${samples}/1?wrong=1&amp;discordant=1&amp;compare=20260102_120000"`);
    expect(body).not.toContain('>#3<');
    const sample = await get(`${samples}/1?wrong=1&discordant=1&compare=20260102_120000`);
    expect(sample.body).toContain(`href="${samples}/2?wrong=1&amp;discordant=1&amp;compare=20260102_120000">next ›`);
    expect(sample.body).toContain('In run <a href="/runs/20260102_120000/samples/toy/ceval-computer_network/1?compare=20260101_120000">20260102_120000</a>');
    const notice = await get(`${samples}?discordant=1`);
    expect(notice.status).toBe(200);
    expect(notice.body).toContain('Choose a run to compare against');
  });

  it("compares two runs with sextant compare's own pairing, numbers and verdicts, and links to the discordant samples", async () => {
    const { status, body } = await get('/compare?a=20260101_120000&b=20260102_120000');
    expect(status).toBe(200);
    const comparison = await compareRuns({ a: `${workDir}/20260101_120000`, b: `${workDir}/20260102_120000` });
    const text = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
    expect(body).toContain(text(pairingLine(comparison)));
    const tables = comparisonTables(comparison, { rawWidth: 80 });
    expect(tables.datasets.rows.length).toBeGreaterThan(0);
    const verdict = tables.datasets.header.indexOf('verdict');
    const cellClass = (column: number) => (tables.datasets.rightAligned[column] ? ' class="num"' : column === verdict ? ' class="verdict"' : '');
    for (const row of tables.datasets.rows) expect(body).toContain(row.map((cell, column) => `<td${cellClass(column)}>${text(cell)}</td>`).join(''));
    const network = comparison.datasets.find((row) => row.dataset === 'ceval-computer_network');
    expect(network).toBeDefined();
    expect(network!.b + network!.c).toBeGreaterThan(0);
    expect(body).toContain(`<a href="${samples}?discordant=1&amp;compare=20260102_120000&amp;compareModel=toy">${network!.b + network!.c} discordant</a>`);
    expect(body).toContain(text(methodsLines(comparison)[1]!));
    expect(body).toContain('Own full scores (each run over all its samples; not paired, not a comparison)');
  });
});

describe('bad requests', () => {
  it.each([
    ['/nope', 404],
    ['/runs/20991231_000000', 404],
    ['/runs/..%2F..%2Fetc', 404],
    ['/runs/20260103_000000', 404],
    ['/runs/20260101_120000/samples/toy/nope', 404],
    ['/runs/20260101_120000/samples/..%2Ftoy/ceval-logic', 404],
    ['/runs/20260101_120000/samples/toy/..%2F..%2Fconfigs%2F20260101_120000_100', 404],
    [`${samples}/99`, 404],
    [`${samples}/abc`, 400],
    [`${samples}/1.5`, 400],
    [`${samples}?page=0`, 400],
    [`${samples}?page=2`, 404],
    [`${samples}?wrong=maybe`, 400],
    [`${samples}?compare=20991231_000000`, 400],
    [`${samples}?compare=20260102_120000&compareModel=other`, 400],
    ['/compare?a=20260101_120000', 400],
    ['/compare?a=20260101_120000&b=20991231_000000', 404],
    ['/runs/%E0%A4%A', 400],
  ])('%s → %i, as a page', async (path, expected) => {
    const { status, body } = await get(path);
    expect(status).toBe(expected);
    expect(body).toContain('<!doctype html>');
    expect(body).toContain('Back to the runs');
  });

  it('refuses other methods and foreign Host headers, and keeps serving', async () => {
    expect((await get('/', { method: 'POST' })).status).toBe(405);
    expect((await get('/', { host: 'evil.example:80' })).status).toBe(403);
    expect((await get('/', { host: `localhost:${new URL(viewer.url).port}` })).status).toBe(200);
  });
});
