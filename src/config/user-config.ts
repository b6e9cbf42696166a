import type { MetaTemplate } from '../spec/index.js';

/**
 * The config a user writes (every field optional; defaults live in `defaults.ts`). A config file exports
 * `defineConfig({...})` as its default export; CLI flags override its values.
 */
export interface UserConfig {
  /**
   * Dataset config names as OpenCompass names them (`ceval_gen`, `ceval_gen_5f30c7`), or single datasets by abbr
   * (`ceval-computer_network`).
   */
  readonly datasets?: readonly string[];
  /** Keep only these subjects (subset keys or abbr suffixes, e.g. `computer_network`) of the datasets. */
  readonly subjects?: readonly string[];
  /** The user's own data files (OpenCompass's custom dataset). */
  readonly customDatasets?: readonly CustomDatasetConfig[];
  readonly models?: readonly ModelConfig[];
  readonly summarizer?: SummarizerConfig;
  /** Root of run folders. @default 'outputs/default' */
  readonly workDir?: string;
  /** Data root (C-Eval at `<dataDir>/ceval`). @default env SEXTANT_DATA_DIR, else ~/.cache/sextant/data */
  readonly dataDir?: string;
  /** Evaluate only the first N samples of each dataset (OpenCompass `test_range`). */
  readonly limit?: number;
  /**
   * Generations per sample (OpenCompass's `n`), each stored and resumable on its own; pass@k needs k of them. Use
   * sampling settings (`generationKwargs`) with more than one: greedy decoding repeats itself. @default 1
   */
  readonly numSamples?: number;
  /** The Python interpreter that runs model-written programs (HumanEval, MBPP). @default env SEXTANT_PYTHON, else python3 */
  readonly python?: string;
  /** Programs run at once, independently of the model's concurrency. @default the core count */
  readonly execWorkers?: number;
  /** Run programs again on `--mode eval` instead of taking their stored outcomes. @default false */
  readonly reExecute?: boolean;
  /** Options evaluators read (recorded in the run's config). */
  readonly evaluatorOptions?: EvaluatorOptions;
}

/** Options evaluators read. */
export interface EvaluatorOptions {
  /** MBPP with plain `==` in the tests, as OpenCompass scored before 2026-07-28. @default false */
  readonly mbppLegacyEquality?: boolean;
}

export interface SummarizerConfig {
  /** A named summarizer (`sextant list` shows them, e.g. `chat_OC15`): its rows and groups. */
  readonly name?: string;
  /**
   * Rows to show, in order: a dataset or group abbr (its first metric), or `[abbr, metric]`; default: every
   * dataset in config order, then groups. Overrides the named summarizer's rows.
   */
  readonly datasetAbbrs?: ReadonlyArray<string | readonly [string, string]>;
}

/** A custom dataset: a `.jsonl` or `.csv` file of questions (OpenCompass `CustomDataset`). */
export interface CustomDatasetConfig {
  readonly path: string;
  /** Row name in the summary. @default the file name without its extension */
  readonly abbr?: string;
  /** `mcq`: rows with `question`, `A`, `B`, …, `answer`; `qa`: `question`, `answer`. @default from the first row */
  readonly dataType?: 'mcq' | 'qa';
  /** @default 'gen' */
  readonly inferMethod?: 'gen' | 'ppl';
  /** A meta file with template/evaluator overrides. @default `<path>.meta.json` when it exists */
  readonly metaPath?: string;
}

/** Fields every model type shares. */
export interface CommonModelConfig {
  /** Column name in the summary and folder name under predictions/ and results/. @default the model name */
  readonly abbr?: string;
  /** Maximum new tokens per answer, unless the dataset sets its own. @default 256 */
  readonly maxOutLen?: number;
  /**
   * Context length of the model (OpenCompass `max_seq_len`): in-context examples are dropped from the end while a
   * prompt's token count (the model's own tokenizer) exceeds it. LMDeploy: also `--session-len` when
   * `engineConfig.sessionLen` is absent; vLLM: `--max-model-len`.
   */
  readonly maxSeqLen?: number;
  /**
   * `huggingface`: requests per worker call (static padded batch; default 8, or 1024 handed to generate_batch at once with continuous batching). Other
   * types: accepted for OpenCompass compatibility; sextant dispatches continuously and keeps `concurrency` in flight.
   */
  readonly batchSize?: number;
  /**
   * Requests in flight per endpoint: a number (fixed), or `'auto'` — start moderate, grow while throughput grows,
   * back off on 429/503 or latency collapse, never above `maxConcurrency`. @default 'auto' for served models, 1 in-process
   */
  readonly concurrency?: number | 'auto';
  /** Ceiling for `concurrency: 'auto'`, per endpoint. @default 128 */
  readonly maxConcurrency?: number;
  /** Strings that end an answer; the answer is cut at the first one. */
  readonly stopWords?: readonly string[];
  /** Role strings for text prompts (OpenCompass `meta_template`); ignored for chat prompts. */
  readonly metaTemplate?: MetaTemplate;
  /** Extra fields for every generation request body (OpenCompass `generation_kwargs`). */
  readonly generationKwargs?: Readonly<Record<string, unknown>>;
  /** Per-request timeout in seconds. @default 600 */
  readonly timeout?: number;
  /** Retries of a retryable failure (429, 5xx, timeouts, resets, malformed bodies) before a sample fails. @default 3 */
  readonly retry?: number;
  /**
   * The longest wait, in seconds, that a server's `Retry-After` may ask for; a longer one stops the run with a
   * message saying how long the server asks to wait (finished samples are saved: continue with `-r`). @default 300
   */
  readonly maxRetryWait?: number;
  /** Request server-sent events instead of one JSON body. @default false */
  readonly stream?: boolean;
}

/** Any OpenAI-compatible server: LMDeploy, vLLM, SGLang, Ollama, llama.cpp's server, OpenAI. */
export interface OpenAIModelConfig extends CommonModelConfig {
  readonly type: 'openai';
  /**
   * e.g. `http://127.0.0.1:23333/v1` (the `/v1` may be left out). Several URLs form an endpoint pool: requests go
   * to the least-loaded healthy one, and an endpoint that keeps failing is taken out and probed back in.
   */
  readonly apiBase: string | readonly string[];
  /** Model name sent in requests. @default the first model the server lists at /v1/models */
  readonly modelName?: string;
  /** @default env OPENAI_API_KEY. Never written to any output or log. */
  readonly apiKey?: string;
  /** `chat`: messages to /v1/chat/completions; `completion`: one string to /v1/completions. @default 'chat' */
  readonly mode?: 'chat' | 'completion';
  /** @default 0 (greedy) */
  readonly temperature?: number;
  readonly topP?: number;
  /**
   * The server returns prompt log-probabilities (`echo` + `logprobs` on /v1/completions, as vLLM does), so
   * `ceval_ppl` and other perplexity datasets can run (completion mode only). @default false
   */
  readonly promptLogprobs?: boolean;
  /**
   * The model's `tokenizer.json` (or its folder), for `maxSeqLen` truncation against a server without a tokenize
   * route: prompts are counted locally (transformers.js, an optional dependency). Without it, no truncation.
   */
  readonly tokenizerPath?: string;
}

/** LMDeploy's `api_server` (TurboMind), running (`apiBase`) or launched by sextant (`path`). */
export interface LmdeployModelConfig extends CommonModelConfig {
  readonly type: 'lmdeploy';
  /** Model directory or hub id to serve; sextant launches `lmdeploy serve api_server` when `apiBase` is absent. */
  readonly path?: string;
  /** A running api_server, e.g. `http://127.0.0.1:23333`; several form an endpoint pool. */
  readonly apiBase?: string | readonly string[];
  readonly modelName?: string;
  readonly apiKey?: string;
  /**
   * `completion`: OpenCompass `TurboMindModel`, one string (turns joined with `\n` or through `metaTemplate`) to
   * /v1/completions, no server-side chat template. `chat`: `TurboMindModelwithChatTemplate`, messages to
   * /v1/chat/completions. @default 'completion'
   */
  readonly promptStyle?: 'completion' | 'chat';
  /** Launch settings (`--session-len`, `--max-batch-size`, `--rope-scaling-factor`, `--tp`). */
  readonly engineConfig?: {
    readonly sessionLen?: number;
    readonly maxBatchSize?: number;
    readonly ropeScalingFactor?: number;
    readonly tp?: number;
  };
  /**
   * Sampling settings (LMDeploy's `GenerationConfig`, OpenCompass `gen_config`) sent with every request.
   * `maxNewTokens` is superseded by `maxOutLen`, as in OpenCompass.
   */
  readonly genConfig?: LmdeployGenConfig;
  /** Cut the answer at this string (OpenCompass `end_str`). */
  readonly endStr?: string;
  /** `numGpus` becomes `--tp` when `engineConfig.tp` is absent. */
  readonly runCfg?: { readonly numGpus?: number };
  /** Executable to launch. @default 'lmdeploy' */
  readonly command?: string;
  /** Seconds a launched server may take to become ready. @default 600 */
  readonly startupTimeout?: number;
  /**
   * User messages end with an extra `\n`, as OpenCompass's chat-template classes render them (set for `--hf-path`
   * checkpoints, which stand in for OpenCompass's `-a lmdeploy`). @default false
   */
  readonly chatTemplateStyle?: boolean;
}

/**
 * LMDeploy's `GenerationConfig` fields (snake_case spellings such as `repetition_penalty` are accepted too). Each
 * travels with every request as the matching field of LMDeploy's OpenAI-compatible API; those the API has no field
 * for (`badWords`, `stopTokenIds`, `badTokenIds`, `doSample`, `n` above 1) are recorded as warnings.
 */
export interface LmdeployGenConfig {
  readonly topK?: number;
  readonly topP?: number;
  /** @default 0 (greedy) */
  readonly temperature?: number;
  readonly maxNewTokens?: number;
  /** `min_new_tokens`. */
  readonly minNewTokens?: number;
  /** `min_p`. */
  readonly minP?: number;
  /** `repetition_penalty`. */
  readonly repetitionPenalty?: number;
  /** `ignore_eos`. */
  readonly ignoreEos?: boolean;
  /** Sent as `seed`. */
  readonly randomSeed?: number;
  /** Added to the model's `stopWords`. */
  readonly stopWords?: readonly string[];
  readonly badWords?: readonly string[];
  readonly stopTokenIds?: readonly number[];
  readonly badTokenIds?: readonly number[];
  /** `skip_special_tokens`. */
  readonly skipSpecialTokens?: boolean;
  /** `spaces_between_special_tokens`. */
  readonly spacesBetweenSpecialTokens?: boolean;
  /** `include_stop_str_in_output`. */
  readonly includeStopStrInOutput?: boolean;
  /** Top log-probabilities per generated token (`logprobs`; chat: `logprobs: true` and `top_logprobs`). */
  readonly logprobs?: number;
  /** No request field: sampling follows `temperature` (0: greedy). */
  readonly doSample?: boolean;
  readonly n?: number;
}

/** A GGUF file evaluated in-process with llama.cpp (node-llama-cpp): sextant's embedded default. */
export interface LlamaCppModelConfig extends CommonModelConfig {
  readonly type: 'llama-cpp';
  /** Path of the `.gguf` file. */
  readonly path: string;
  /** `chat`: messages through the model's chat template; `completion`: text. @default chat when the GGUF has a chat template */
  readonly mode?: 'chat' | 'completion';
  /** CPU threads per sequence. @default 1 on machines with ≤ 2 cores (llama.cpp's default of 4 is ~100× slower there), else cores − 1 */
  readonly threads?: number;
  /** Context size in tokens (C-Eval 5-shot prompts need up to ~5,000 with byte-level tokenizers). @default 8192 */
  readonly contextSize?: number;
  /** Parallel sequences (each with its own context); also the default concurrency. @default 1 */
  readonly sequences?: number;
  /** `model`: the GGUF's own chat template; `general`: a plain role-labelled format. @default model when the GGUF has one */
  readonly chatTemplate?: 'model' | 'general';
  /** Evaluate a PPL question's shared prefix once (KV-cache reuse). @default true */
  readonly prefixReuse?: boolean;
}

/** An ONNX model folder (Optimum layout, `onnx/model.onnx`) evaluated in-process with transformers.js. */
export interface TransformersModelConfig extends CommonModelConfig {
  readonly type: 'transformers';
  /** The model folder (config.json, tokenizer.json, onnx/). */
  readonly path: string;
  /** @default chat when tokenizer_config.json has a chat template */
  readonly mode?: 'chat' | 'completion';
  /** onnxruntime threads. @default 1 on machines with ≤ 2 cores */
  readonly threads?: number;
  /** @default true */
  readonly prefixReuse?: boolean;
}

/** A checkpoint served by a `vllm serve` that sextant launches (OpenCompass's `-a vllm`). */
export interface VllmModelConfig extends CommonModelConfig {
  readonly type: 'vllm';
  /** Model directory or hub id. */
  readonly path: string;
  readonly modelName?: string;
  readonly apiKey?: string;
  /** @default 'chat' */
  readonly mode?: 'chat' | 'completion';
  readonly tensorParallelSize?: number;
  readonly gpuMemoryUtilization?: number;
  /** Extra `vllm serve` arguments. */
  readonly extraArgs?: readonly string[];
  /** @default 'vllm' */
  readonly command?: string;
  /** Seconds a launched server may take to become ready. @default 600 */
  readonly startupTimeout?: number;
}

/**
 * A transformers checkpoint run by sextant's Python worker (OpenCompass's `HuggingFacewithChatTemplate` /
 * `HuggingFaceBaseModel`): `--hf-path` with no `-a`. Field names are OpenCompass's, camelCased.
 */
export interface HuggingFaceModelConfig extends CommonModelConfig {
  readonly type: 'huggingface';
  /** A checkpoint folder (config.json) or a hub id, resolved from the local HuggingFace cache only. */
  readonly path: string;
  /** `chat`: the tokenizer's chat template; `base`: the flat string with BOS. @default 'chat' */
  readonly hfType?: 'chat' | 'base';
  /** @default path */
  readonly tokenizerPath?: string;
  /** `AutoTokenizer.from_pretrained` keyword arguments (Python names), over left padding and truncation. */
  readonly tokenizerKwargs?: Readonly<Record<string, unknown>>;
  /** `AutoModelForCausalLM.from_pretrained` keyword arguments (Python names), e.g. `{ torch_dtype: 'bfloat16' }`. */
  readonly modelKwargs?: Readonly<Record<string, unknown>>;
  /** A PEFT adapter loaded over the model. */
  readonly peftPath?: string;
  /**
   * `static`: OpenCompass's padded batches of `batchSize` (the default: padding can move scores); `continuous`:
   * transformers' `generate_batch` (paged attention, rows join and leave every step). @default 'static'
   */
  readonly batching?: 'static' | 'continuous';
  /**
   * Compute shared prompt prefixes once: PPL scores a question's candidates over their shared prefix; static
   * generation runs each group of a batch's prompts that share a prefix (few-shot examples) from one prefix
   * computation (greedy decoding only). Not OpenCompass's batching: results can move by floating-point rounding.
   * @default true with continuous batching
   */
  readonly prefixReuse?: boolean;
  /** GPUs per worker; `runCfg.numGpus` in OpenCompass's model dicts. */
  readonly runCfg?: { readonly numGpus?: number };
  /** Workers on disjoint GPU sets, fed from one stream of requests. @default 1 */
  readonly maxNumWorkers?: number;
  /** Python interpreter with torch and transformers. @default env SEXTANT_PYTHON, else python3 */
  readonly python?: string;
}

export type ModelConfig = OpenAIModelConfig | LmdeployModelConfig | LlamaCppModelConfig | TransformersModelConfig | VllmModelConfig | HuggingFaceModelConfig;

/** Identity function that gives a config file its types. */
export function defineConfig(config: UserConfig): UserConfig {
  return config;
}
