import { cevalSubjects, type CevalCategory, type CevalSubject } from '../../tasks/ceval/index.js';

/** What the report shows beside a dataset abbr. */
export interface DatasetLabel {
  /** The subject key (`computer_network`), or the abbr itself for a dataset sextant has no subject for. */
  readonly key: string;
  /** The subject's Chinese name (`计算机网络`), when known. */
  readonly chineseName?: string;
  readonly category?: CevalCategory;
}

const subjectsByKey = new Map<string, CevalSubject>(cevalSubjects.map((subject) => [subject.key, subject]));

/** The label of a dataset abbr: C-Eval's `ceval-<key>` and `ceval-test-<key>` get the subject's names. */
export function datasetLabel(abbr: string): DatasetLabel {
  const key = abbr.replace(/^ceval-(test-)?/, '');
  const subject = key !== abbr ? subjectsByKey.get(key) : undefined;
  if (!subject) return { key: abbr };
  return { key: abbr.startsWith('ceval-test-') ? `test-${subject.key}` : subject.key, chineseName: subject.chineseName, category: subject.category };
}

const groupSuffixes: ReadonlyArray<readonly [suffix: string, label: string]> = [
  ['-stem', 'STEM 理工'],
  ['-social-science', 'Social science 社科'],
  ['-humanities', 'Humanities 人文'],
  ['-other', 'Other 其他'],
  ['-hard', 'Hard 困难'],
];

/** A summary group's chart label: `ceval-stem` → `STEM 理工`, `ceval` → `Overall 总体`; a `test` prefix is kept. */
export function groupLabel(name: string): string {
  const split = name.startsWith('ceval-test') ? 'test · ' : '';
  const suffix = groupSuffixes.find(([ending]) => name.endsWith(ending));
  if (suffix) return `${split}${suffix[1]}`;
  return name === 'ceval' || name === 'ceval-test' ? `${split}Overall 总体` : name;
}
