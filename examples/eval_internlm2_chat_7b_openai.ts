/**
 * InternLM2-Chat-7B on C-Eval through any OpenAI-compatible server (LMDeploy `api_server`, vLLM, SGLang, Ollama,
 * llama.cpp's server): chat messages to /v1/chat/completions, greedy decoding.
 *
 *   lmdeploy serve api_server internlm/internlm2-chat-7b --server-port 23333   # or vllm serve ...
 *   sextant run examples/eval_internlm2_chat_7b_openai.ts
 *
 * The model name is asked from the server's /v1/models unless `modelName` is given. The API key, when the server
 * needs one, comes from OPENAI_API_KEY or --api-key and is never written to any output.
 */
import { defineConfig } from 'sextant';

export default defineConfig({
  datasets: ['ceval_gen'],
  models: [
    {
      type: 'openai',
      abbr: 'internlm2-chat-7b-openai',
      apiBase: 'http://127.0.0.1:23333/v1',
      mode: 'chat',
      temperature: 0,
      maxOutLen: 100,
      concurrency: 16,
    },
  ],
});
