/**
 * InternLM2-Chat-7B on C-Eval through LMDeploy's TurboMind `api_server`, as OpenCompass's
 * `eval_internlm2_chat_7b_turbomind.py` did it: the `TurboMindModel` completion style (the prompt rendered to one
 * string and sent to /v1/completions), the same engine and generation settings.
 *
 *   sextant run examples/eval_internlm2_chat_7b_turbomind.ts
 *
 * With `path`, sextant launches `lmdeploy serve api_server` itself and stops it afterwards. To use a server that
 * is already running, replace `path` with `apiBase: 'http://127.0.0.1:23333'` (or pass --api-base).
 */
import { defineConfig } from 'sextant';

export default defineConfig({
  datasets: ['ceval_gen'],
  models: [
    {
      type: 'lmdeploy',
      abbr: 'internlm2-chat-7b-turbomind',
      path: 'internlm/internlm2-chat-7b',
      promptStyle: 'completion',
      engineConfig: { sessionLen: 2048, maxBatchSize: 8, ropeScalingFactor: 1.0 },
      genConfig: { topK: 1, topP: 0.8, temperature: 1.0, maxNewTokens: 100 },
      maxOutLen: 100,
      maxSeqLen: 2048,
      batchSize: 8,
      concurrency: 8,
      endStr: '<eoa>',
      runCfg: { numGpus: 1 },
    },
  ],
});
