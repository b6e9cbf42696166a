import type { InferConfig } from '../opencompass-infer-config.js';

/**
 * `bbh_gen_ee62e9` for one task: one HUMAN turn around the task's chain-of-thought prompt file (`hint`, the
 * OpenCompass `lib_prompt/<task>.txt` text). `legacyMaxOutLen` gives `bbh_gen_5b92b0` (identical but for
 * `max_out_len=512`).
 */
export function bbhInferConfig(hint: string, options: { legacyMaxOutLen?: boolean } = {}): InferConfig {
  return {
    promptTemplate: {
      template: {
        round: [{ role: 'HUMAN', prompt: `Follow the given examples and answer the question.\n${hint}\n\nQ: {input}\nA: Let's think step by step.` }],
      },
    },
    retriever: { kind: 'zero' },
    inferencer: options.legacyMaxOutLen ? { kind: 'gen', maxOutLen: 512 } : { kind: 'gen' },
  };
}
