/**
 * The seed's question — does the deployment change the score? — for InternLM2-Chat-7B on C-Eval: the same checkpoint
 * evaluated three ways in one run, then compared pairwise.
 *
 *   sextant run examples/eval_internlm2_chat_7b_three_ways.ts -w runs/three-ways
 *   sextant compare runs/three-ways --models internlm2-chat-7b-hf internlm2-chat-7b-lmdeploy
 *   sextant compare runs/three-ways --models internlm2-chat-7b-hf internlm2-chat-7b-vllm
 *
 * - `huggingface`: transformers itself, through sextant's Python worker, exactly as OpenCompass's
 *   `HuggingFacewithChatTemplate` (`hf_internlm2_chat_7b.py`): the tokenizer's chat template, left padding and
 *   truncation, greedy, static batches of 8 — the HuggingFace baseline.
 * - `lmdeploy`: `lmdeploy serve api_server` launched by sextant, messages through its chat template (OpenCompass's
 *   `TurboMindModelwithChatTemplate`).
 * - `vllm`: `vllm serve` launched by sextant (`VLLMwithChatTemplate`).
 *
 * All three render the same messages (user turns end with OpenCompass's extra "\n"), decode greedily and cut at the
 * same stop words, so `sextant compare` reports "a deployment check" and any difference is the engine's. The three
 * start together: give them enough GPUs (e.g. CUDA_VISIBLE_DEVICES with three GPUs and `maxNumWorkers` 1), or on one
 * GPU keep one model per run and compare the runs (`sextant compare RUN_A RUN_B`).
 */
import { defineConfig } from 'sextant';

const path = 'internlm/internlm2-chat-7b';
const stopWords = ['</s>', '<|im_end|>'];

export default defineConfig({
  datasets: ['ceval_gen'],
  models: [
    {
      type: 'huggingface',
      abbr: 'internlm2-chat-7b-hf',
      path,
      hfType: 'chat',
      modelKwargs: { torch_dtype: 'bfloat16', trust_remote_code: true },
      tokenizerKwargs: { trust_remote_code: true },
      maxOutLen: 1024,
      batchSize: 8,
      stopWords,
    },
    {
      type: 'lmdeploy',
      abbr: 'internlm2-chat-7b-lmdeploy',
      path,
      promptStyle: 'chat',
      chatTemplateStyle: true,
      engineConfig: { sessionLen: 8192, tp: 1 },
      maxOutLen: 1024,
      stopWords,
    },
    {
      type: 'vllm',
      abbr: 'internlm2-chat-7b-vllm',
      path,
      mode: 'chat',
      extraArgs: ['--trust-remote-code'],
      maxOutLen: 1024,
      stopWords,
    },
  ],
});
