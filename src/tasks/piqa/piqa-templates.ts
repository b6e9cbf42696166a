import type { InferConfig } from '../opencompass-infer-config.js';

/** `piqa_gen_1194eb`: one HUMAN turn; options `A. `/`B. `, ending in `Answer:` with no space. */
export function piqaGenInferConfig(): InferConfig {
  return {
    promptTemplate: { template: { round: [{ role: 'HUMAN', prompt: '{goal}\nA. {sol1}\nB. {sol2}\nAnswer:' }] } },
    retriever: { kind: 'zero' },
    inferencer: { kind: 'gen' },
  };
}

/** `piqa_ppl_1cf9f0`: plain strings keyed by the integer labels 0 and 1 (a space before the first `\n`, a final `\n`). */
export function piqaPplInferConfig(): InferConfig {
  return {
    promptTemplate: {
      template: {
        0: 'The following makes sense: \nQ: {goal}\nA: {sol1}\n',
        1: 'The following makes sense: \nQ: {goal}\nA: {sol2}\n',
      },
    },
    retriever: { kind: 'zero' },
    inferencer: { kind: 'ppl' },
  };
}
