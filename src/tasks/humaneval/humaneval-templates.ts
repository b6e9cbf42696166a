import type { InferConfig } from '../opencompass-infer-config.js';

/** `humaneval_openai_sample_evals_gen_dcae0e` (HEAD): one HUMAN turn asking for the whole function. */
export const humanevalInferConfig: InferConfig = {
  promptTemplate: {
    template: {
      round: [
        {
          role: 'HUMAN',
          prompt:
            'Read the following function signature and docstring, and fully implement the function described. Your response should only contain the code for this function.\n{prompt}',
        },
      ],
    },
  },
  retriever: { kind: 'zero' },
  inferencer: { kind: 'gen' },
};

/** The legacy `humaneval_gen_8e312c` (until 2025-03): "Complete the following python code:", `max_out_len` 512. */
export const humanevalLegacyInferConfig: InferConfig = {
  promptTemplate: { template: { round: [{ role: 'HUMAN', prompt: 'Complete the following python code:\n{prompt}' }] } },
  retriever: { kind: 'zero' },
  inferencer: { kind: 'gen', maxOutLen: 512 },
};
