import type { DialogueTemplate, PromptTemplateConfig } from '../../prompts/index.js';
import type { InferConfig } from '../opencompass-infer-config.js';

/**
 * OpenCompass's C-Eval prompt strings (data, quoted exactly): full-width `，` (U+FF0C) and `。` (U+3002), option
 * lines `A. `, and `答案: ` with an ASCII colon and one trailing space that is part of the prompt.
 */
export function cevalQuestionTemplate(chineseName: string, options: { stepByStep: boolean }): string {
  return (
    `以下是中国关于${chineseName}考试的单项选择题，请选出其中的正确答案。\n{question}\nA. {A}\nB. {B}\nC. {C}\nD. {D}\n` +
    (options.stepByStep ? '让我们一步一步思考。答案: ' : '答案: ')
  );
}

const iceToken = '</E>';
const firstFiveDevRows = { kind: 'fix-k', fixIdList: [0, 1, 2, 3, 4] } as const;

function questionRound(chineseName: string, answer: string, stepByStep = false): DialogueTemplate {
  return {
    begin: iceToken,
    round: [
      { role: 'HUMAN', prompt: cevalQuestionTemplate(chineseName, { stepByStep }) },
      { role: 'BOT', prompt: answer },
    ],
  };
}

/** `ceval_gen_5f30c7` (and `2daf24`): 5-shot from dev rows 0-4, the BOT turn holds the gold letter. */
export function cevalGenInferConfig(chineseName: string): InferConfig {
  const iceTemplate: PromptTemplateConfig = { template: questionRound(chineseName, '{answer}'), iceToken };
  return { iceTemplate, retriever: firstFiveDevRows, inferencer: { kind: 'gen' } };
}

/** `ceval_zero_shot_gen_bd40ef`: no examples, "让我们一步一步思考。", max_out_len 256. */
export function cevalZeroShotInferConfig(chineseName: string): InferConfig {
  const iceTemplate: PromptTemplateConfig = { template: questionRound(chineseName, '{answer}', true), iceToken };
  return { iceTemplate, retriever: { kind: 'zero' }, inferencer: { kind: 'gen', maxOutLen: 256 } };
}

/** `ceval_ppl_578f8d`: one dialogue per label whose BOT turn is the literal letter. */
export function cevalPplInferConfig(chineseName: string): InferConfig {
  const template = Object.fromEntries(['A', 'B', 'C', 'D'].map((label) => [label, questionRound(chineseName, label)]));
  return { iceTemplate: { template, iceToken }, retriever: firstFiveDevRows, inferencer: { kind: 'ppl' } };
}
