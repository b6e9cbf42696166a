import type { InferConfig } from '../opencompass-infer-config.js';

/** How a subset is scored (and whether its prompt lists options). */
export type AgievalKind = 'single-choice' | 'multi-choice' | 'cloze';

export interface AgievalSubset {
  readonly name: string;
  readonly kind: AgievalKind;
  readonly chinese: boolean;
}

const subset = (name: string, kind: AgievalKind, chinese: boolean): AgievalSubset => ({ name, kind, chinese });

/** `agieval_gen_5c79b4`'s 21 datasets in config order: 16 single-choice, 3 multi-choice, 2 cloze. */
export const agievalSubsets: readonly AgievalSubset[] = [
  ...['gaokao-chinese', 'gaokao-english', 'gaokao-geography', 'gaokao-history', 'gaokao-biology', 'gaokao-chemistry', 'gaokao-mathqa', 'logiqa-zh'].map(
    (name) => subset(name, 'single-choice', true),
  ),
  ...['lsat-ar', 'lsat-lr', 'lsat-rc', 'logiqa-en', 'sat-math', 'sat-en', 'sat-en-without-passage', 'aqua-rat'].map((name) =>
    subset(name, 'single-choice', false),
  ),
  ...['gaokao-physics', 'jec-qa-kd', 'jec-qa-ca'].map((name) => subset(name, 'multi-choice', true)),
  subset('gaokao-mathcloze', 'cloze', true),
  subset('math', 'cloze', false),
];

const gaokaoSubjects: Readonly<Record<string, string>> = {
  'gaokao-chinese': '语文',
  'gaokao-english': '英语',
  'gaokao-geography': '地理',
  'gaokao-history': '历史',
  'gaokao-biology': '生物',
  'gaokao-chemistry': '化学',
  'gaokao-physics': '物理',
  'gaokao-mathqa': '数学',
};

const lsatKinds: Readonly<Record<string, string>> = {
  'lsat-ar': 'Analytical Reasoning',
  'lsat-lr': 'Logical Reasoning',
  'lsat-rc': 'Reading Comprehension',
};

/**
 * The instruction line of a subset (data, quoted exactly). `legacyMath` gives the `math` wording before
 * 2026-07-16 (`agieval_gen_617738`).
 */
export function agievalIntro(name: string, options: { legacyMath?: boolean } = {}): string {
  const gaokao = gaokaoSubjects[name];
  if (gaokao) return `以下是一道中国高考${gaokao}选择题，请选择正确的答案。`;
  const lsat = lsatKinds[name];
  if (lsat) return `The following is a LSAT ${lsat} question. Please select the correct answer.`;
  switch (name) {
    case 'logiqa-zh':
      return '以下是一道中国公务员考试题，请选择正确的答案。';
    case 'logiqa-en':
      return 'The following is a Logic Reasoning question. Please select the correct answer.';
    case 'sat-math':
      return 'The following is a SAT Math question. Please select the correct answer.';
    case 'sat-en':
    case 'sat-en-without-passage':
      return 'The following is a SAT English question. Please select the correct answer.';
    case 'aqua-rat':
      return 'The following is a AQUA-RAT question. Please select the correct answer.';
    case 'jec-qa-kd':
      return '以下是一道中国司法考试基础知识题，请选择正确的答案。';
    case 'jec-qa-ca':
      return '以下是一道中国司法考试案例分析题，请选择正确的答案。';
    case 'gaokao-mathcloze':
      return '以下是一道中国高考数学填空题，请填入正确的答案。';
    case 'math':
      return options.legacyMath
        ? 'The following is a Math question. Please select the correct answer.'
        : 'The following is a Math question. Please give the correct answer.';
    default:
      throw new RangeError(`unknown AGIEval subset ${JSON.stringify(name)}`);
  }
}

/** One subset's infer config: one HUMAN turn (intro, question, options for choice sets, answer hint), max_out_len 1024. */
export function agievalInferConfig(subsetDefinition: AgievalSubset, options: { legacyMath?: boolean } = {}): InferConfig {
  const hint = subsetDefinition.chinese ? '答案是： ' : 'The answer is ';
  const body = subsetDefinition.kind === 'cloze' ? '{question}\n' : '{question}\n{options}\n';
  return {
    promptTemplate: { template: { round: [{ role: 'HUMAN', prompt: `${agievalIntro(subsetDefinition.name, options)}\n${body}${hint}` }] } },
    retriever: { kind: 'zero' },
    inferencer: { kind: 'gen', maxOutLen: 1024 },
  };
}
