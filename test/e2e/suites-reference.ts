// Independent test-side knowledge of CMMLU, MMLU and PIQA as OpenCompass evaluates them: the subject tables are
// parsed from the OpenCompass reference (../shared/reference/opencompass-datasets.md, Appendix C and section 4), the
// data is read with csv-parse / JSON.parse directly, and prompts are written out from the reference's strings
// (sections 2.2, 2.3, 3.2-3.4, 4.2-4.4, 12). Nothing here imports from src/.
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { REPO_ROOT } from './cli-harness.js';

export const REFERENCE = resolve(REPO_ROOT, '..', 'shared', 'reference', 'opencompass-datasets.md');

export interface CmmluSubject {
  readonly key: string;
  readonly chineseName: string;
  readonly category: string;
  readonly chinaSpecific: boolean;
}

/** Appendix C: `| # | key | 中文名 | category | china-specific | test n |`. */
export async function cmmluSubjects(): Promise<CmmluSubject[]> {
  const text = await readFile(REFERENCE, 'utf8');
  const appendix = text.slice(text.indexOf('## Appendix C'));
  const subjects: CmmluSubject[] = [];
  for (const line of appendix.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    if (!/^\d+$/.test(cells[1] ?? '')) continue;
    subjects.push({ key: cells[2]!, chineseName: cells[3]!, category: cells[4]!, chinaSpecific: cells[5] === 'yes' });
  }
  return subjects;
}

export interface MmluTables {
  /** Config order (section 4.1). */
  readonly order: readonly string[];
  /** Group name → subjects, in the order of section 4.5's table. */
  readonly categories: ReadonlyArray<{ readonly name: string; readonly subjects: readonly string[] }>;
}

export async function mmluTables(): Promise<MmluTables> {
  const text = await readFile(REFERENCE, 'utf8');
  const orderBlock = text.slice(text.indexOf('**abbr:** `lukaemon_mmlu_<subject>`')).split('\n\n')[1] as string;
  const order = orderBlock.trim().replace(/\.$/, '').split(', ');
  const groups = text.slice(text.indexOf('### 4.5 Groups'), text.indexOf('## 5. GSM8K'));
  const categories = [...groups.matchAll(/^\| `(mmlu-[\w-]+)` \| ([^|]+?) \(\d+\) \| naive mean \|$/gm)].map((match) => ({
    name: match[1] as string,
    subjects: (match[2] as string).split(',').map((subject) => subject.trim()),
  }));
  return { order, categories };
}

export type Row = Readonly<Record<string, string>>;

/** CMMLU: header skipped, columns 1-6 → question, A, B, C, D, answer. */
export async function readCmmlu(dataDir: string, split: 'dev' | 'test', key: string): Promise<Row[]> {
  const records = parse(await readFile(join(dataDir, 'cmmlu', split, `${key}.csv`), 'utf8')) as string[][];
  return records.slice(1).map(([, question, A, B, C, D, answer]) => ({ question, A, B, C, D, answer }) as Row);
}

/** MMLU: no header; input, A, B, C, D, target. Python's universal newlines turn CRLF into LF. */
export async function readMmlu(dataDir: string, split: 'dev' | 'test', key: string): Promise<Row[]> {
  const content = (await readFile(join(dataDir, 'mmlu', split, `${key}_${split}.csv`), 'utf8')).replace(/\r\n?/g, '\n');
  return (parse(content) as string[][]).map(([input, A, B, C, D, target]) => ({ input, A, B, C, D, target }) as Row);
}

export async function readPiqa(dataDir: string): Promise<Array<{ goal: string; sol1: string; sol2: string; label: number }>> {
  const lines = (await readFile(join(dataDir, 'piqa', 'valid.jsonl'), 'utf8')).trim().split('\n');
  const labels = (await readFile(join(dataDir, 'piqa', 'valid-labels.lst'), 'utf8')).trim().split('\n');
  return lines.map((line, index) => ({ ...(JSON.parse(line) as { goal: string; sol1: string; sol2: string }), label: Number(labels[index]) }));
}

/** OpenCompass's sequential plain replacement, key by key in the row's order. */
export function fill(template: string, row: Row): string {
  let text = template;
  for (const [key, value] of Object.entries(row)) text = text.split(`{${key}}`).join(value);
  return text;
}

export const cmmluCot = (name: string, row: Row) =>
  fill(
    `请回答以下关于${name}的单项选择题, 你回答的最后一行**必须**是以下格式 '答案: $选项' (不带引号), 其中选项是ABCD之一. 请在回答之前一步步思考.\n\n{question}\n\nA) {A}\nB) {B}\nC) {C}\nD) {D}`,
    row,
  );
export const cmmluFiveShot = (name: string, row: Row) =>
  fill(`以下是关于${name}的单项选择题，请直接给出正确答案的选项。\n题目：{question}\nA. {A}\nB. {B}\nC. {C}\nD. {D}`, row);
export const mmluSimpleEvals = (row: Row) =>
  fill(
    "Answer the following multiple choice question. The last line of your response should be of the following format: 'ANSWER: $LETTER' (without quotes) where LETTER is one of ABCD. Think step by step before answering.\n\n{input}\n\nA) {A}\nB) {B}\nC) {C}\nD) {D}",
    row,
  );
export const mmluLegacyQuestion = (subject: string, row: Row) =>
  fill(
    `There is a single choice question about ${subject.replaceAll('_', ' ')}. Answer the question by replying A, B, C or D.\nQuestion: {input}\nA. {A}\nB. {B}\nC. {C}\nD. {D}\nAnswer: `,
    row,
  );
export const piqaGen = (row: { goal: string; sol1: string; sol2: string }) => `${row.goal}\nA. ${row.sol1}\nB. ${row.sol2}\nAnswer:`;
export const piqaPpl = (row: { goal: string; sol1: string; sol2: string }, label: 0 | 1) =>
  `The following makes sense: \nQ: ${row.goal}\nA: ${label === 0 ? row.sol1 : row.sol2}\n`;

/** Base-model text of cmmlu_gen_c13365 (2.2: turns joined by `\n`; the BOT turn `答案是: ` is part of it). */
export const cmmluLegacyText = (name: string, dev: readonly Row[], row: Row) =>
  [...dev.slice(0, 5).flatMap((example) => [cmmluFiveShot(name, example), `答案是: ${example.answer}`]), cmmluFiveShot(name, row), '答案是: '].join('\n');

/** Base-model text of mmlu_gen_4d595a: examples' BOT turns carry `X\n`; the prompt has no BOT turn. */
export const mmluLegacyText = (subject: string, dev: readonly Row[], row: Row) =>
  [...dev.slice(0, 5).flatMap((example) => [mmluLegacyQuestion(subject, example), `${example.target}\n`]), mmluLegacyQuestion(subject, row)].join('\n');

/** cmmlu_ppl_8b9c76 candidate (2.3): `\n\n\n` between examples, five `\n` before the question. */
export const cmmluPplText = (name: string, dev: readonly Row[], row: Row, label: string) =>
  dev
    .slice(0, 5)
    .map((example) => `${cmmluFiveShot(name, example)}\n答案是: ${example.answer}`)
    .join('\n\n\n') + `\n\n\n\n\n${cmmluFiveShot(name, row)}\n答案是: ${label}`;

/** mmlu_ppl_ac766d (4.3): the hint (two spaces after `about`) and the question block with label L's answer line. */
const mmluPplHint = (subject: string) => `The following are multiple choice questions (with answers) about  ${subject.replaceAll('_', ' ')}.\n\n`;
const mmluPplBlock = (row: Row) => fill('{input}\nA. {A}\nB. {B}\nC. {C}\nD. {D}', row);

/** mmlu_ppl_ac766d's in-context examples as OpenCompass stores them: the five examples joined by `\n`, then the `\n` end token. */
export const mmluPplExamples = (dev: readonly Row[]) =>
  dev
    .slice(0, 5)
    .map((example) => `${mmluPplBlock(example)}\nAnswer: ${example.target}\n`)
    .join('\n') + '\n';

/** mmlu_ppl_ac766d candidate: hint, the examples joined by `\n` plus a final `\n`, then the question. */
export const mmluPplText = (subject: string, dev: readonly Row[], row: Row, label: string) =>
  `${mmluPplHint(subject)}${mmluPplExamples(dev)}${mmluPplBlock(row)}\nAnswer: ${label}`;

/** OpenCompass's `testing input` of an mmlu_ppl candidate: the prompt with the examples (`</E>`) left out. */
export const mmluPplTestingInput = (subject: string, row: Row, label: string) => `${mmluPplHint(subject)}${mmluPplBlock(row)}\nAnswer: ${label}`;

/** A naive-mean group of dataset abbrs (OpenCompass `summary_groups` without `weights`). */
export interface NaiveGroup {
  readonly name: string;
  readonly subsets: readonly string[];
}

/** CMMLU's groups in summary order (2.7 / Appendix C): the four categories, china-specific, all 67. */
export function cmmluGroups(subjects: readonly CmmluSubject[]): NaiveGroup[] {
  const abbrs = (filter: (subject: CmmluSubject) => boolean) => subjects.filter(filter).map((subject) => `cmmlu-${subject.key}`);
  return [
    ...['humanities', 'stem', 'social-science', 'other'].map((category) => ({
      name: `cmmlu-${category}`,
      subsets: abbrs((subject) => subject.category === category),
    })),
    { name: 'cmmlu-china-specific', subsets: abbrs((subject) => subject.chinaSpecific) },
    { name: 'cmmlu', subsets: abbrs(() => true) },
  ];
}

/** MMLU's naive groups in summary order (4.5): the four categories, then all 57 (`mmlu-weighted` is separate). */
export function mmluGroups(tables: MmluTables): NaiveGroup[] {
  const abbr = (key: string) => `lukaemon_mmlu_${key}`;
  return [
    ...tables.categories.map((category) => ({ name: category.name, subsets: category.subjects.map(abbr) })),
    { name: 'mmlu', subsets: tables.categories.flatMap((category) => category.subjects.map(abbr)) },
  ];
}

/**
 * The csv rows of naive groups since 2025-03 (2.7): single-metric `accuracy` subsets give an `accuracy` row and a
 * `naive_average` row with the same mean. A group missing any subset is not listed (no summarizer `dataset_abbrs`).
 */
export function naiveGroupRows(options: {
  groups: readonly NaiveGroup[];
  accuracy: ReadonlyMap<string, number>;
  mode: 'gen' | 'ppl';
  format: (value: number) => string;
}): string[] {
  return options.groups
    .filter((group) => group.subsets.every((abbr) => options.accuracy.has(abbr)))
    .flatMap((group) => {
      const mean = group.subsets.reduce((sum, abbr) => sum + (options.accuracy.get(abbr) as number), 0) / group.subsets.length;
      return ['accuracy', 'naive_average'].map((metric) => `${group.name},-,${metric},${options.mode},${options.format(mean)}`);
    });
}
