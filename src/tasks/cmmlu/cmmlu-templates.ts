import type { DialogueTemplate, PromptTemplateConfig } from '../../prompts/index.js';
import type { InferConfig } from '../opencompass-infer-config.js';

/**
 * OpenCompass's CMMLU prompt strings (data, quoted exactly). The 0-shot CoT instruction uses an ASCII comma and
 * space after 单项选择题, an ASCII colon in `'答案: $选项'` and ASCII full stops; options are written `A) `. The
 * 5-shot question uses full-width `，` `。` `：`, options `A. `, and the answer turn `答案是: ` with an ASCII colon.
 */
export function cmmluCotQuestionTemplate(chineseName: string): string {
  return (
    `请回答以下关于${chineseName}的单项选择题, ` +
    "你回答的最后一行**必须**是以下格式 '答案: $选项' (不带引号), 其中选项是ABCD之一. 请在回答之前一步步思考.\n\n" +
    '{question}\n\nA) {A}\nB) {B}\nC) {C}\nD) {D}'
  );
}

export function cmmluFiveShotQuestionTemplate(chineseName: string): string {
  return `以下是关于${chineseName}的单项选择题，请直接给出正确答案的选项。\n题目：{question}\nA. {A}\nB. {B}\nC. {C}\nD. {D}`;
}

/** `cmmlu_gen`'s answer pattern (`match_answer_pattern`): the first `答案:` (ASCII colon) then a letter A–D. */
export const cmmluAnswerPattern = String.raw`(?i)答案\s*:\s*[\W]*([A-D])[\W]*`;

const iceToken = '</E>';
const firstFiveDevRows = { kind: 'fix-k', fixIdList: [0, 1, 2, 3, 4] } as const;

function fiveShotRound(chineseName: string, answer: string): DialogueTemplate {
  return {
    begin: iceToken,
    round: [
      { role: 'HUMAN', prompt: cmmluFiveShotQuestionTemplate(chineseName) },
      { role: 'BOT', prompt: `答案是: ${answer}` },
    ],
  };
}

/** `cmmlu_0shot_cot_gen_305931` (HEAD `cmmlu_gen`): one HUMAN turn, no examples. */
export function cmmluCotGenInferConfig(chineseName: string): InferConfig {
  const promptTemplate: PromptTemplateConfig = { template: { round: [{ role: 'HUMAN', prompt: cmmluCotQuestionTemplate(chineseName) }] } };
  return { promptTemplate, retriever: { kind: 'zero' }, inferencer: { kind: 'gen' } };
}

/** `cmmlu_ppl_8b9c76`: one meta template per label (BOT `答案是: X`), dev rows 0-4 as examples. */
export function cmmluPplInferConfig(chineseName: string): InferConfig {
  const template = Object.fromEntries(['A', 'B', 'C', 'D'].map((label) => [label, fiveShotRound(chineseName, label)]));
  return { iceTemplate: { template, iceToken }, retriever: firstFiveDevRows, inferencer: { kind: 'ppl' } };
}

/** Legacy `cmmlu_gen_c13365`: 5-shot generation, the BOT turn `答案是: {answer}` (blank for the scored row). */
export function cmmluLegacyGenInferConfig(chineseName: string): InferConfig {
  return { iceTemplate: { template: fiveShotRound(chineseName, '{answer}'), iceToken }, retriever: firstFiveDevRows, inferencer: { kind: 'gen' } };
}
