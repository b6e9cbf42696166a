import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LlamaCppBackend } from '../../src/backends/llama-cpp/index.js';
import { renderBaseText } from '../../src/prompts/index.js';
import { resolveDatasets } from '../../src/registry/index.js';
import { DATA_DIR, REPO_ROOT, runCli } from './cli-harness.js';

/** C-Eval through the CLI on the shared GGUF model, in-process (llama.cpp), and prefix reuse against naive scoring. */
const gguf = resolve(REPO_ROOT, '..', 'shared', 'models', 'stories260K-gguf', 'stories260Ktok512.gguf');
const temporary: string[] = [];
afterAll(async () => {
  await Promise.all(temporary.map((folder) => rm(folder, { recursive: true, force: true })));
});

async function runFolder(workDir: string): Promise<string> {
  const [run] = await readdir(workDir);
  return join(workDir, run as string);
}

describe.concurrent('sextant run --hf-path <gguf> over all 52 C-Eval subjects', () => {
  it('ceval_ppl: OpenCompass PPL predictions layout, argmin label, PPL result details, summary mode ppl', async () => {
    const workDir = await mkdtemp(join(tmpdir(), 'sextant-gguf-ppl-'));
    temporary.push(workDir);
    const result = await runCli(['run', '--hf-path', gguf, '--datasets', 'ceval_ppl', '--limit', '1', '-w', workDir], { timeoutMs: 1_500_000 });
    expect(result.stderr).not.toMatch(/unexpected error/);
    expect(result.code).toBe(0);
    const run = await runFolder(workDir);
    const abbr = 'stories260Ktok512-gguf';
    const predictionFiles = await readdir(join(run, 'predictions', abbr));
    expect(predictionFiles).toHaveLength(52);
    const predictions = JSON.parse(await readFile(join(run, 'predictions', abbr, 'ceval-computer_network.json'), 'utf8'));
    const entry = predictions['0'];
    expect(Object.keys(entry)).toEqual(['in-context examples', 'origin_prompt', 'label: A', 'label: B', 'label: C', 'label: D', 'prediction', 'gold']);
    const labels = ['A', 'B', 'C', 'D'].map((label) => entry[`label: ${label}`]);
    for (const [index, label] of labels.entries()) {
      expect(label.prompt.endsWith(`答案: \n${'ABCD'[index]}`)).toBe(true);
      expect(label.prompt.endsWith(label['testing input'])).toBe(true);
      expect(label.PPL).toBeGreaterThan(0);
      expect(label.BPB).toBeGreaterThan(0);
    }
    const lowest = labels.reduce((best, label, index) => (label.PPL < labels[best]!.PPL ? index : best), 0);
    expect(entry.prediction).toBe('ABCD'[lowest]);
    expect(entry['in-context examples'] + labels[0].prompt.slice(entry['in-context examples'].length)).toBe(labels[0].prompt);
    const results = JSON.parse(await readFile(join(run, 'results', abbr, 'ceval-computer_network.json'), 'utf8'));
    expect(results.details.type).toBe('PPL');
    expect(results.details['0'].correct).toBe(entry.prediction === entry.gold);
    expect(Object.keys(results.details['0'].origin_prediction)).toEqual(['A', 'B', 'C', 'D']);
    const [summaryFile] = (await readdir(join(run, 'summary'))).filter((file) => /^summary_\d{8}_\d{6}\.csv$/.test(file));
    const csv = await readFile(join(run, 'summary', summaryFile as string), 'utf8');
    expect(csv).toContain('ceval-computer_network,9b9417,accuracy,ppl,');
    expect(csv).toMatch(/\nceval,-,naive_average,ppl,\d+\.\d\d\n/);
    const [configFile] = await readdir(join(run, 'configs'));
    const config = JSON.parse(await readFile(join(run, 'configs', configFile as string), 'utf8'));
    expect(config.models[0].backendSettings).toMatchObject({ threads: 1 });
  }, 1_800_000);

  it('ceval_gen: 5-shot prompts rendered as text for a base model, predictions for every subject', async () => {
    const workDir = await mkdtemp(join(tmpdir(), 'sextant-gguf-gen-'));
    temporary.push(workDir);
    const result = await runCli(['run', '--hf-path', gguf, '--datasets', 'ceval_gen', '--limit', '1', '--max-out-len', '2', '-w', workDir], {
      timeoutMs: 1_500_000,
    });
    expect(result.code).toBe(0);
    const run = await runFolder(workDir);
    const abbr = 'stories260Ktok512-gguf';
    expect(await readdir(join(run, 'predictions', abbr))).toHaveLength(52);
    const predictions = JSON.parse(await readFile(join(run, 'predictions', abbr, 'ceval-computer_network.json'), 'utf8'));
    expect(typeof predictions['0'].origin_prompt).toBe('string');
    expect(predictions['0'].origin_prompt.endsWith('答案: ')).toBe(true);
    expect(typeof predictions['0'].prediction).toBe('string');
    const results = JSON.parse(await readFile(join(run, 'results', abbr, 'ceval-computer_network.json'), 'utf8'));
    expect(results.failed).toBe(0);
    expect(result.stdout).toMatch(/ceval-computer_network\s+db9ce2\s+accuracy\s+gen/);
  }, 1_800_000);
});

describe('shared-prefix reuse', () => {
  it('gives the same predictions as naive scoring over a whole subject (ceval_ppl, middle_school_geography)', async () => {
    const [task] = resolveDatasets(['ceval_ppl']).filter((candidate) => candidate.abbr === 'ceval-middle_school_geography');
    const samples = await task!.loadSamples({ dataRoot: DATA_DIR });
    expect(samples).toHaveLength(12);
    const score = async (prefixReuse: boolean) => {
      const backend = new LlamaCppBackend({ modelPath: gguf, promptKind: 'text', threads: 1, contextSize: 8192, prefixReuse });
      await backend.doStart({});
      let evaluated = 0;
      const choices: string[] = [];
      const ppls: number[][] = [];
      for (const sample of samples) {
        const candidates = sample.candidates!.map((candidate) => ({
          text: renderBaseText(candidate.dialogue),
          suffix: renderBaseText(candidate.withoutExamples),
        }));
        const result = await backend.doPerplexity({ kind: 'perplexity', candidates }, {});
        evaluated += result.evaluatedTokens ?? 0;
        const values = result.scores.map((entry) => entry.ppl);
        ppls.push(values);
        choices.push('ABCD'[values.indexOf(Math.min(...values))] as string);
      }
      await backend.doClose();
      return { evaluated, choices, ppls };
    };
    const [reused, naive] = await Promise.all([score(true), score(false)]);
    expect(reused.choices).toEqual(naive.choices);
    reused.ppls.forEach((values, index) => values.forEach((value, label) => expect(Math.abs(value - naive.ppls[index]![label]!)).toBeLessThan(1e-4)));
    expect(reused.evaluated * 3).toBeLessThan(naive.evaluated);
  }, 1_800_000);
});
