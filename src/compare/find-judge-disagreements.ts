/**
 * Samples of a results file whose details carry two or more judges' verdicts that differ. A judge's verdict is a
 * details field holding an object with a boolean `correct` (MATH-500 records `symbolic` and `legacy`, each with the
 * answer it extracted as `pred`); datasets scored by one judge have none.
 */
export interface JudgeDisagreement {
  readonly index: number;
  /** Each judge's extracted answer (`null`: none found) and verdict, by judge name. */
  readonly verdicts: Readonly<Record<string, { readonly pred: string | null; readonly correct: boolean }>>;
}

/** One dataset's judges and the samples where they disagree, ascending by index. */
export interface JudgeAgreement {
  /** The judge names found in the details, in field order. */
  readonly judges: readonly string[];
  /** Samples that carry two or more verdicts. */
  readonly judged: number;
  readonly disagreements: readonly JudgeDisagreement[];
}

function verdictsOf(detail: unknown): Record<string, { pred: string | null; correct: boolean }> {
  const verdicts: Record<string, { pred: string | null; correct: boolean }> = {};
  if (typeof detail !== 'object' || detail === null) return verdicts;
  for (const [name, value] of Object.entries(detail)) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) continue;
    const { correct, pred } = value as { correct?: unknown; pred?: unknown };
    if (typeof correct === 'boolean') verdicts[name] = { pred: typeof pred === 'string' ? pred : null, correct };
  }
  return verdicts;
}

/** The judges of a results file's `details` and where they disagree; `undefined` when no sample has two verdicts. */
export function findJudgeDisagreements(details: Readonly<Record<string, unknown>>): JudgeAgreement | undefined {
  const judges = new Set<string>();
  const disagreements: JudgeDisagreement[] = [];
  let judged = 0;
  for (const [key, detail] of Object.entries(details)) {
    if (!/^\d+$/u.test(key)) continue;
    const verdicts = verdictsOf(detail);
    const names = Object.keys(verdicts);
    if (names.length < 2) continue;
    judged += 1;
    names.forEach((name) => judges.add(name));
    if (new Set(names.map((name) => verdicts[name]!.correct)).size > 1) disagreements.push({ index: Number(key), verdicts });
  }
  if (judged === 0) return undefined;
  return { judges: [...judges], judged, disagreements: disagreements.sort((left, right) => left.index - right.index) };
}
