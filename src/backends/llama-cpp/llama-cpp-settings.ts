/** Settings of the in-process GGUF backend. */
export interface LlamaCppSettings {
  /** Path of the `.gguf` file. */
  readonly modelPath: string;
  /** `text`: prompts completed as raw text; `messages`: chat prompts rendered with `chatTemplate`. */
  readonly promptKind: 'text' | 'messages';
  /** CPU threads per sequence. @default 1 on machines with ≤ 2 cores, else cores − 1 (see `defaultThreadCount`) */
  readonly threads?: number;
  /** Context size in tokens, per sequence (llama.cpp may round it up). @default 2048 */
  readonly contextSize?: number;
  /**
   * Parallel sequences: how many calls evaluate at once. Each has its own llama.cpp context (KV cache of
   * `contextSize` tokens, `threads` threads). @default 1
   */
  readonly sequences?: number;
  /**
   * How `messages` prompts are rendered: `model`, the GGUF's own `tokenizer.chat_template` (node-llama-cpp's
   * `JinjaTemplateChatWrapper`); `general`, node-llama-cpp's `GeneralChatWrapper` (`### Human` / `### Assistant`,
   * no system prompt). @default 'model' when the GGUF has a chat template, else 'general'
   */
  readonly chatTemplate?: 'model' | 'general';
  /**
   * Reuse the KV cache between scored texts: a perplexity request's candidates evaluate their shared prefix once, and
   * loglikelihood requests with the same context evaluate it once. `false` scores every text from scratch. @default true
   */
  readonly prefixReuse?: boolean;
}

/** What the backend actually runs with, known after `doStart` (recorded in the run's config). */
export interface LlamaCppEffectiveSettings {
  /** Per sequence. */
  readonly threads: number;
  /** Per sequence, after llama.cpp's rounding. */
  readonly contextSize: number;
  /** The context length the model was trained with (from the GGUF). */
  readonly trainContextSize: number;
  readonly sequences: number;
  readonly batchSize: number;
  readonly prefixReuse: boolean;
  /** How messages are rendered; absent for text prompts. */
  readonly chatTemplate?: 'model' | 'general';
  /** The llama.cpp release node-llama-cpp was built from. */
  readonly llamaCppRelease: string;
}
