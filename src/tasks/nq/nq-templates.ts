import type { InferConfig } from '../opencompass-infer-config.js';

/** `nq_gen_3dcea1`: one HUMAN turn; a `?` follows every question and the prompt ends with a space. */
export const nqInferConfig: InferConfig = {
  promptTemplate: { template: { round: [{ role: 'HUMAN', prompt: 'Question: {question}?\nAnswer: ' }] } },
  retriever: { kind: 'zero' },
  inferencer: { kind: 'gen' },
};
