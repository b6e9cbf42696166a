import { describe, expect, it } from 'vitest';
import { datasetLabel, groupLabel } from './dataset-labels.js';

describe('datasetLabel', () => {
  it("gives a C-Eval subject's key, Chinese name and category", () => {
    expect(datasetLabel('ceval-computer_network')).toEqual({ key: 'computer_network', chineseName: '计算机网络', category: 'stem' });
    expect(datasetLabel('ceval-physician')).toEqual({ key: 'physician', chineseName: '医师资格', category: 'other' });
  });

  it('marks the test split in the key', () => {
    expect(datasetLabel('ceval-test-law')).toEqual({ key: 'test-law', chineseName: '法学', category: 'humanities' });
  });

  it('keeps an unknown abbr as it is, with no Chinese name', () => {
    expect(datasetLabel('mmlu-anatomy')).toEqual({ key: 'mmlu-anatomy' });
    expect(datasetLabel('ceval-no_such_subject')).toEqual({ key: 'ceval-no_such_subject' });
  });
});

describe('groupLabel', () => {
  it('names the C-Eval groups of both splits', () => {
    expect(['ceval-stem', 'ceval-social-science', 'ceval-humanities', 'ceval-other', 'ceval-hard', 'ceval'].map(groupLabel)).toEqual([
      'STEM 理工',
      'Social science 社科',
      'Humanities 人文',
      'Other 其他',
      'Hard 困难',
      'Overall 总体',
    ]);
    expect(groupLabel('ceval-test-hard')).toBe('test · Hard 困难');
    expect(groupLabel('ceval-test')).toBe('test · Overall 总体');
  });

  it('keeps any other name', () => {
    expect(groupLabel('mmlu')).toBe('mmlu');
  });
});
