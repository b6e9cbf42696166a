// Independent test-side knowledge of C-Eval as OpenCompass evaluates it (ceval_gen_5f30c7): the subject table
// (copied from /work/shared/reference/opencompass-ceval.md §3.1, not imported from src/), a CSV reader
// (csv-parse directly, not sextant's loader), the prompt rendering (§3.3-3.4), OpenCompass-style scoring
// (§3.6-3.7) and Python's '{:.02f}' formatting. Nothing here imports from src/.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';

export type Category = 'stem' | 'social-science' | 'humanities' | 'other';

export interface Subject {
  readonly key: string;
  readonly chineseName: string;
  readonly category: Category;
  readonly valCount: number;
  readonly hard: boolean;
}

const S = (key: string, chineseName: string, category: Category, valCount: number, hard = false): Subject => ({
  key,
  chineseName,
  category,
  valCount,
  hard,
});

/** The 52 subjects in OpenCompass's config order. */
export const SUBJECTS: readonly Subject[] = [
  S('computer_network', '计算机网络', 'stem', 19),
  S('operating_system', '操作系统', 'stem', 19),
  S('computer_architecture', '计算机组成', 'stem', 21),
  S('college_programming', '大学编程', 'stem', 37),
  S('college_physics', '大学物理', 'stem', 19, true),
  S('college_chemistry', '大学化学', 'stem', 24, true),
  S('advanced_mathematics', '高等数学', 'stem', 19, true),
  S('probability_and_statistics', '概率统计', 'stem', 18, true),
  S('discrete_mathematics', '离散数学', 'stem', 16, true),
  S('electrical_engineer', '注册电气工程师', 'stem', 37),
  S('metrology_engineer', '注册计量师', 'stem', 24),
  S('high_school_mathematics', '高中数学', 'stem', 18, true),
  S('high_school_physics', '高中物理', 'stem', 19, true),
  S('high_school_chemistry', '高中化学', 'stem', 19, true),
  S('high_school_biology', '高中生物', 'stem', 19),
  S('middle_school_mathematics', '初中数学', 'stem', 19),
  S('middle_school_biology', '初中生物', 'stem', 21),
  S('middle_school_physics', '初中物理', 'stem', 19),
  S('middle_school_chemistry', '初中化学', 'stem', 20),
  S('veterinary_medicine', '兽医学', 'stem', 23),
  S('college_economics', '大学经济学', 'social-science', 55),
  S('business_administration', '工商管理', 'social-science', 33),
  S('marxism', '马克思主义基本原理', 'social-science', 19),
  S('mao_zedong_thought', '毛泽东思想和中国特色社会主义理论体系概论', 'social-science', 24),
  S('education_science', '教育学', 'social-science', 29),
  S('teacher_qualification', '教师资格', 'social-science', 44),
  S('high_school_politics', '高中政治', 'social-science', 19),
  S('high_school_geography', '高中地理', 'social-science', 19),
  S('middle_school_politics', '初中政治', 'social-science', 21),
  S('middle_school_geography', '初中地理', 'social-science', 12),
  S('modern_chinese_history', '近代史纲要', 'humanities', 23),
  S('ideological_and_moral_cultivation', '思想道德修养与法律基础', 'humanities', 19),
  S('logic', '逻辑学', 'humanities', 22),
  S('law', '法学', 'humanities', 24),
  S('chinese_language_and_literature', '中国语言文学', 'humanities', 23),
  S('art_studies', '艺术学', 'humanities', 33),
  S('professional_tour_guide', '导游资格', 'humanities', 29),
  S('legal_professional', '法律职业资格', 'humanities', 23),
  S('high_school_chinese', '高中语文', 'humanities', 19),
  S('high_school_history', '高中历史', 'humanities', 20),
  S('middle_school_history', '初中历史', 'humanities', 22),
  S('civil_servant', '公务员', 'other', 47),
  S('sports_science', '体育学', 'other', 19),
  S('plant_protection', '植物保护', 'other', 22),
  S('basic_medicine', '基础医学', 'other', 19),
  S('clinical_medicine', '临床医学', 'other', 22),
  S('urban_and_rural_planner', '注册城乡规划师', 'other', 46),
  S('accountant', '注册会计师', 'other', 49),
  S('fire_engineer', '注册消防工程师', 'other', 31),
  S('environmental_impact_assessment_engineer', '环境影响评价工程师', 'other', 31),
  S('tax_accountant', '税务师', 'other', 49),
  S('physician', '医师资格', 'other', 49),
];

/** The val-based summary groups of opencompass/configs/summarizers/groups/ceval.py, in summary order. */
export const GROUPS: ReadonlyArray<{ name: string; subsets: readonly string[] }> = [
  { name: 'ceval-stem', subsets: SUBJECTS.filter((s) => s.category === 'stem').map((s) => s.key) },
  { name: 'ceval-social-science', subsets: SUBJECTS.filter((s) => s.category === 'social-science').map((s) => s.key) },
  { name: 'ceval-humanities', subsets: SUBJECTS.filter((s) => s.category === 'humanities').map((s) => s.key) },
  { name: 'ceval-other', subsets: SUBJECTS.filter((s) => s.category === 'other').map((s) => s.key) },
  { name: 'ceval-hard', subsets: SUBJECTS.filter((s) => s.hard).map((s) => s.key) },
  { name: 'ceval', subsets: SUBJECTS.map((s) => s.key) },
];

export type Row = Record<string, string>;

/** A C-Eval CSV as Python's csv module reads a file opened in text mode (universal newlines). */
export async function readCsv(path: string): Promise<Row[]> {
  const text = (await readFile(path, 'utf8')).replace(/\r\n?/g, '\n');
  return parse(text, { columns: true, bom: true, skip_empty_lines: true }) as Row[];
}

export interface SubjectData {
  readonly subject: Subject;
  readonly dev: readonly Row[];
  readonly val: readonly Row[];
}

export async function loadSubjects(dataDir: string): Promise<SubjectData[]> {
  return Promise.all(
    SUBJECTS.map(async (subject) => ({
      subject,
      dev: await readCsv(join(dataDir, 'ceval', 'dev', `${subject.key}_dev.csv`)),
      val: await readCsv(join(dataDir, 'ceval', 'val', `${subject.key}_val.csv`)),
    })),
  );
}

/**
 * The HUMAN turn of ceval_gen_5f30c7 for one row: `{_ch_name}` is filled when the config is built; the row's
 * fields are then substituted by plain replacement, one key at a time in row order (so a literal `{A}` inside a
 * question becomes option A's text, as in OpenCompass). For the scored row the output column `answer` is ''.
 */
export function humanPrompt(subject: Subject, row: Row, isScoredRow: boolean): string {
  let text = `以下是中国关于${subject.chineseName}考试的单项选择题，请选出其中的正确答案。\n{question}\nA. {A}\nB. {B}\nC. {C}\nD. {D}\n答案: `;
  const fields: Array<[string, string]> = [
    ['id', row.id ?? ''],
    ['question', row.question ?? ''],
    ['A', row.A ?? ''],
    ['B', row.B ?? ''],
    ['C', row.C ?? ''],
    ['D', row.D ?? ''],
    ['answer', isScoredRow ? '' : (row.answer ?? '')],
    ['explanation', row.explanation ?? ''],
  ];
  for (const [key, value] of fields) text = text.split(`{${key}}`).join(value);
  return text;
}

export interface Turn {
  readonly role: 'HUMAN' | 'BOT';
  readonly prompt: string;
}

/** The 11 turns of a 5-shot gen prompt: (HUMAN dev i, BOT gold i) for dev rows 0-4, then HUMAN val row. */
export function genTurns(data: SubjectData, valIndex: number): Turn[] {
  const turns: Turn[] = [];
  for (const row of data.dev.slice(0, 5)) {
    turns.push({ role: 'HUMAN', prompt: humanPrompt(data.subject, row, false) });
    turns.push({ role: 'BOT', prompt: row.answer ?? '' });
  }
  turns.push({ role: 'HUMAN', prompt: humanPrompt(data.subject, data.val[valIndex] as Row, true) });
  return turns;
}

/** Chat messages as an OpenAI-compatible API model sends them. */
export function chatMessages(turns: readonly Turn[]): Array<{ role: string; content: string }> {
  return turns.map((turn) => ({ role: turn.role === 'HUMAN' ? 'user' : 'assistant', content: turn.prompt }));
}

/** The base-model string (no meta template): non-empty items joined by '\n'. */
export function baseText(turns: readonly Turn[]): string {
  return turns.map((turn) => turn.prompt).join('\n');
}

/** OpenCompass's AccEvaluator: sklearn accuracy_score (correct / n as float64), then × 100. */
export function openCompassAccuracy(correct: number, total: number): number {
  return (correct / total) * 100;
}

/** Python's '{:.02f}'.format(x): correctly rounded from the exact binary value, ties to even. */
export function pythonFormat2(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`pythonFormat2: ${x}`);
  const negative = x < 0;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  const exponentBits = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  const mantissa = exponentBits === 0 ? fraction : fraction | (1n << 52n);
  const exponent = (exponentBits === 0 ? 1 : exponentBits) - 1075;
  // |x| * 100 = mantissa * 100 * 2^exponent, rounded to an integer, half to even.
  let hundredths: bigint;
  if (exponent >= 0) {
    hundredths = mantissa * 100n * (1n << BigInt(exponent));
  } else {
    const denominator = 1n << BigInt(-exponent);
    const numerator = mantissa * 100n;
    const quotient = numerator / denominator;
    const twiceRemainder = (numerator % denominator) * 2n;
    hundredths = twiceRemainder > denominator || (twiceRemainder === denominator && quotient % 2n === 1n) ? quotient + 1n : quotient;
  }
  const digits = hundredths.toString().padStart(3, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}
