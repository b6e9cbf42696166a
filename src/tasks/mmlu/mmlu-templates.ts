import type { PromptTemplateConfig } from '../../prompts/index.js';
import type { InferConfig } from '../opencompass-infer-config.js';

/**
 * OpenCompass's MMLU prompt strings (data, quoted exactly). The subject appears as its key with `_` replaced by a
 * space; the PPL hint has two spaces after `about`.
 */
export const mmluSimpleEvalsQuestionTemplate =
  "Answer the following multiple choice question. The last line of your response should be of the following format: 'ANSWER: $LETTER' (without quotes) where LETTER is one of ABCD. Think step by step before answering.\n\n" +
  '{input}\n\nA) {A}\nB) {B}\nC) {C}\nD) {D}';

/** `mmlu_gen`'s answer pattern (`match_answer_pattern`): the first `ANSWER:` directly followed by a letter A–D. */
export const mmluAnswerPattern = String.raw`(?i)ANSWER\s*:\s*([A-D])`;

const spaced = (subject: string) => subject.replaceAll('_', ' ');
const questionBlock = '{input}\nA. {A}\nB. {B}\nC. {C}\nD. {D}';
const labels = ['A', 'B', 'C', 'D'] as const;
const iceToken = '</E>';
const firstFiveDevRows = { kind: 'fix-k', fixIdList: [0, 1, 2, 3, 4] } as const;

/** `mmlu_openai_simple_evals_gen_b618ea` (HEAD `mmlu_gen`): one HUMAN turn, identical for every subject. */
export function mmluSimpleEvalsGenInferConfig(): InferConfig {
  const promptTemplate: PromptTemplateConfig = { template: { round: [{ role: 'HUMAN', prompt: mmluSimpleEvalsQuestionTemplate }] } };
  return { promptTemplate, retriever: { kind: 'zero' }, inferencer: { kind: 'gen' } };
}

/** `mmlu_ppl_ac766d`: plain strings per label; examples end in `\nAnswer: X\n`, the candidate in `\nAnswer: X`. */
export function mmluPplInferConfig(subject: string): InferConfig {
  const hint = `The following are multiple choice questions (with answers) about  ${spaced(subject)}.\n\n`;
  const iceTemplate: PromptTemplateConfig = {
    template: Object.fromEntries(labels.map((label) => [label, `${questionBlock}\nAnswer: ${label}\n`])),
  };
  const promptTemplate: PromptTemplateConfig = {
    template: Object.fromEntries(labels.map((label) => [label, `${hint}${iceToken}${questionBlock}\nAnswer: ${label}`])),
    iceToken,
  };
  return { iceTemplate, promptTemplate, retriever: firstFiveDevRows, inferencer: { kind: 'ppl' } };
}

/** Legacy `mmlu_gen_4d595a`: 5-shot generation; examples' BOT turns are `{target}\n`, the prompt has no BOT turn. */
export function mmluLegacyGenInferConfig(subject: string): InferConfig {
  const hint = `There is a single choice question about ${spaced(subject)}. Answer the question by replying A, B, C or D.`;
  const question = `${hint}\nQuestion: {input}\nA. {A}\nB. {B}\nC. {C}\nD. {D}\nAnswer: `;
  const iceTemplate: PromptTemplateConfig = {
    template: {
      round: [
        { role: 'HUMAN', prompt: question },
        { role: 'BOT', prompt: '{target}\n' },
      ],
    },
  };
  const promptTemplate: PromptTemplateConfig = { template: { begin: iceToken, round: [{ role: 'HUMAN', prompt: question }] }, iceToken };
  return { iceTemplate, promptTemplate, retriever: firstFiveDevRows, inferencer: { kind: 'gen' } };
}
