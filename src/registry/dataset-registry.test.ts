import { describe, expect, it } from 'vitest';
import { ConfigError } from '../spec/index.js';
import { cevalSubjects } from '../tasks/ceval/index.js';
import { findSummarizer, listDatasetConfigs, resolveDatasets, summaryGroups } from './dataset-registry.js';

const errorOf = (run: () => unknown): Error => {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
};

describe('resolveDatasets', () => {
  it('resolves a short name and its hash-suffixed file name (also with .py) to the same 52 datasets', () => {
    const short = resolveDatasets(['ceval_gen']);
    expect(short).toHaveLength(52);
    expect(resolveDatasets(['ceval_gen_5f30c7']).map((task) => task.abbr)).toEqual(short.map((task) => task.abbr));
    expect(resolveDatasets(['ceval_gen_5f30c7.py'])).toHaveLength(52);
    expect(short.every((task) => task.configName === 'ceval_gen_5f30c7' && task.benchmark === 'ceval')).toBe(true);
    expect(resolveDatasets(['ceval_ppl'])[0]?.configName).toBe('ceval_ppl_578f8d');
  });

  it('selects one dataset by its abbr, from the config the short name points to', () => {
    const [task, ...rest] = resolveDatasets(['ceval-computer_network']);
    expect(rest).toEqual([]);
    expect(task).toMatchObject({ abbr: 'ceval-computer_network', configName: 'ceval_gen_5f30c7', version: 'db9ce2' });
    // A test-split abbr exists only in ceval_gen_2daf24.
    expect(resolveDatasets(['ceval-test-law'])[0]?.configName).toBe('ceval_gen_2daf24');
  });

  it('a config plus one of its own abbrs is one dataset, not a duplicate; the same abbr from two configs is refused', () => {
    expect(resolveDatasets(['ceval_gen', 'ceval-law'])).toHaveLength(52);
    const error = errorOf(() => resolveDatasets(['ceval_gen', 'ceval_ppl']));
    expect(ConfigError.isInstance(error)).toBe(true);
    expect(error.message).toContain('ceval-computer_network comes from both ceval_gen_5f30c7 and ceval_ppl_578f8d');
  });

  it('filters by --subjects (subject keys or abbrs), keeping config order, across splits', () => {
    const picked = resolveDatasets(['ceval_gen_2daf24'], { subjects: ['law', 'computer_network'] });
    expect(picked.map((task) => task.abbr)).toEqual(['ceval-computer_network', 'ceval-law', 'ceval-test-computer_network', 'ceval-test-law']);
    expect(resolveDatasets(['ceval_gen'], { subjects: ['ceval-law'] }).map((task) => task.abbr)).toEqual(['ceval-law']);
  });

  it('an unknown subject fails with a suggestion and the configs it searched', () => {
    const error = errorOf(() => resolveDatasets(['ceval_gen'], { subjects: ['computer_netwrok'] }));
    expect(error.message).toBe('subjects: --subjects "computer_netwrok" (did you mean "computer_network"?) matches no dataset of ceval_gen_5f30c7');
  });

  it('an unknown name suggests close config names and abbrs', () => {
    expect(errorOf(() => resolveDatasets(['ceval_gne'])).message).toMatch(/^datasets: unknown dataset "ceval_gne"; did you mean "ceval_gen"/);
    expect(errorOf(() => resolveDatasets(['ceval-computer_netwrk'])).message).toContain('did you mean "ceval-computer_network"');
    expect(errorOf(() => resolveDatasets(['zzzzzzzzzzzzzzzzzzzzzzzz'])).message).toBe(
      'datasets: unknown dataset "zzzzzzzzzzzzzzzzzzzzzzzz" (`sextant list` shows all)',
    );
  });
});

describe('listDatasetConfigs', () => {
  it('lists aliases first, then every config with benchmark, mode, dataset count and what it needs', () => {
    const entries = listDatasetConfigs();
    expect(entries.slice(0, 2).map((entry) => [entry.name, entry.aliasOf])).toEqual([
      ['ceval_gen', 'ceval_gen_5f30c7'],
      ['ceval_ppl', 'ceval_ppl_578f8d'],
    ]);
    const ppl = entries.find((entry) => entry.name === 'ceval_ppl_578f8d');
    expect(ppl).toMatchObject({ benchmark: 'ceval', benchmarkTitle: 'C-Eval', mode: 'ppl', datasetCount: 52 });
    expect(ppl?.needs).toMatch(/^ppl: needs a backend with perplexity/);
    expect(entries.find((entry) => entry.name === 'ceval_gen_2daf24')?.datasetCount).toBe(104);
  });
});

describe('summaryGroups and summarizers', () => {
  it("collects every benchmark's groups", () => {
    const names = summaryGroups().map((group) => `${group.name}/${group.average}`);
    expect(names).toContain('ceval/naive');
    expect(names).toContain('ceval/questions');
    expect(summaryGroups().find((group) => group.name === 'ceval' && group.average === 'naive')?.subsets).toHaveLength(cevalSubjects.length);
  });

  it('finds chat_OC15, and suggests for a typo', () => {
    expect(findSummarizer('chat_OC15').rows.slice(0, 2)).toEqual([
      { abbr: 'average', metric: 'naive_average' },
      { abbr: 'mmlu', metric: 'naive_average' },
    ]);
    expect(errorOf(() => findSummarizer('chat_OC51')).message).toContain('did you mean "chat_OC15"');
  });
});
