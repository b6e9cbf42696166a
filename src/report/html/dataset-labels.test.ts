import { describe, expect, it } from 'vitest';
import { resolveDatasets, summaryGroups } from '../../registry/dataset-registry.js';
import { datasetLabel, groupLabels } from './dataset-labels.js';

/** Labels as the api builds them: from the benchmark definitions, by abbr. */
function labelsOf(configs: readonly string[]) {
  return new Map(resolveDatasets(configs).flatMap((task) => (task.label ? [[task.abbr, task.label] as const] : [])));
}

describe('datasetLabel', () => {
  it("gives a subject's key, own name and category from its benchmark's definition", () => {
    const labels = labelsOf(['ceval_gen', 'cmmlu_gen', 'mmlu_gen']);
    expect(datasetLabel('ceval-computer_network', labels)).toEqual({ key: 'computer_network', name: '计算机网络', category: 'stem' });
    expect(datasetLabel('ceval-physician', labels)).toEqual({ key: 'physician', name: '医师资格', category: 'other' });
    expect(datasetLabel('cmmlu-agronomy', labels)).toEqual({ key: 'agronomy', name: '农学', category: 'other' });
    expect(datasetLabel('lukaemon_mmlu_anatomy', labels)).toMatchObject({ key: 'anatomy', category: 'stem' });
    expect(datasetLabel('lukaemon_mmlu_anatomy', labels).name).toBeUndefined();
  });

  it('marks the test split in the key', () => {
    expect(datasetLabel('ceval-test-law', labelsOf(['ceval_gen_2daf24']))).toEqual({ key: 'test-law', name: '法学', category: 'humanities' });
  });

  it('keeps an abbr without a label as it is', () => {
    const labels = labelsOf(['gsm8k_gen']);
    expect(datasetLabel('gsm8k', labels)).toEqual({ key: 'gsm8k' });
    expect(datasetLabel('ceval-no_such_subject', labels)).toEqual({ key: 'ceval-no_such_subject' });
  });
});

describe('groupLabels', () => {
  it('names the C-Eval groups of both splits from their definitions', () => {
    const labels = groupLabels(summaryGroups());
    expect(['ceval-stem', 'ceval-social-science', 'ceval-humanities', 'ceval-other', 'ceval-hard', 'ceval'].map((name) => labels[name])).toEqual([
      'STEM 理工',
      'Social science 社科',
      'Humanities 人文',
      'Other 其他',
      'Hard 困难',
      'Overall 总体',
    ]);
    expect(labels['ceval-test-hard']).toBe('test · Hard 困难');
    expect(labels['ceval-test']).toBe('test · Overall 总体');
  });

  it('gives no label to a group that has none (its name is shown)', () => {
    expect(groupLabels(summaryGroups())['mmlu']).toBeUndefined();
  });
});
