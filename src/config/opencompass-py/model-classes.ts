/**
 * OpenCompass model classes → sextant model configs: the one table that says, for every field of every class
 * sextant maps, whether it is honoured (and as which sextant field) or only recorded as a warning. A field a class
 * does not list is an error ("unknown field"), so typos never pass silently.
 */

/** What becomes of one OpenCompass field. */
export type FieldRule =
  /** Copied to the sextant field at `to` (a dotted path, e.g. `engineConfig.sessionLen`), optionally converted. */
  | { readonly kind: 'set'; readonly to: string; readonly convert?: (value: unknown) => unknown }
  /** A dict whose keys follow their own rules; keys not listed become warnings (engines drop unknown keys too). */
  | { readonly kind: 'dict'; readonly fields: Readonly<Record<string, FieldRule>>; readonly unknown: UnknownKeyRule }
  /** Handled by the translator itself (`type`, `meta_template`, `stop_words`, `end_str`, `key`, `openai_api_base`). */
  | { readonly kind: 'special'; readonly name: SpecialField }
  /** Accepted but without effect: recorded as a warning with this reason, unless the value is the one given as `harmless`. */
  | { readonly kind: 'warn'; readonly reason: string; readonly harmless?: unknown };

/**
 * Keys a dict rule does not list: `warn` (recorded, not applied), `extra-args` (become `--kebab-key value` launch
 * arguments), or `{ collectInto }` (copied into that sextant field, e.g. request-body extras).
 */
export type UnknownKeyRule = 'warn' | 'extra-args' | { readonly collectInto: string };

export type SpecialField = 'meta-template' | 'stop-words' | 'end-str' | 'api-key' | 'api-base' | 'lmdeploy-backend' | 'do-sample';

export interface ModelClassMapping {
  /** The sextant model `type` (`huggingface` is the in-process transformers backend that is being added). */
  readonly type: 'lmdeploy' | 'vllm' | 'openai' | 'huggingface';
  /** Fields the class itself decides (prompt style, chat shape). */
  readonly fixed: Readonly<Record<string, unknown>>;
  readonly fields: Readonly<Record<string, FieldRule>>;
  /** One line for `sextant list` and the README. */
  readonly description: string;
}

const set = (to: string, convert?: (value: unknown) => unknown): FieldRule => (convert ? { kind: 'set', to, convert } : { kind: 'set', to });
const warn = (reason: string, harmless?: unknown): FieldRule => (harmless === undefined ? { kind: 'warn', reason } : { kind: 'warn', reason, harmless });
const special = (name: SpecialField): FieldRule => ({ kind: 'special', name });

const common: Readonly<Record<string, FieldRule>> = {
  abbr: set('abbr'),
  path: set('path'),
  max_out_len: set('maxOutLen'),
  max_seq_len: set('maxSeqLen'),
  batch_size: set('batchSize'),
  meta_template: special('meta-template'),
  generation_kwargs: set('generationKwargs'),
  stop_words: special('stop-words'),
  end_str: special('end-str'),
  pred_postprocessor: warn("a model-level pred_postprocessor is not applied; sextant uses the dataset config's postprocessor"),
  summarizer_abbr: warn("summarizer_abbr is not used; the summary column is the model's abbr"),
  min_out_len: warn('min_out_len is not sent; the OpenAI-style endpoints sextant calls have no minimum length'),
};

const runCfg = (numGpusTo: string | undefined): FieldRule => ({
  kind: 'dict',
  unknown: 'warn',
  fields: {
    ...(numGpusTo ? { num_gpus: set(numGpusTo) } : { num_gpus: warn('run_cfg.num_gpus only schedules OpenCompass workers; sextant runs one process') }),
    num_procs: warn('run_cfg.num_procs is not used: sextant runs one process per model', 1),
  },
});

const turbomindEngineConfig: FieldRule = {
  kind: 'dict',
  unknown: 'warn',
  fields: {
    session_len: set('engineConfig.sessionLen'),
    max_batch_size: set('engineConfig.maxBatchSize'),
    rope_scaling_factor: set('engineConfig.ropeScalingFactor'),
    tp: set('engineConfig.tp'),
  },
};

const turbomindGenConfig: FieldRule = {
  kind: 'dict',
  unknown: 'warn',
  fields: {
    top_k: set('genConfig.topK'),
    top_p: set('genConfig.topP'),
    temperature: set('genConfig.temperature'),
    max_new_tokens: set('genConfig.maxNewTokens'),
    do_sample: special('do-sample'),
  },
};

const turbomindFields: Readonly<Record<string, FieldRule>> = {
  ...common,
  engine_config: turbomindEngineConfig,
  gen_config: turbomindGenConfig,
  run_cfg: runCfg('runCfg.numGpus'),
  concurrency: set('concurrency'),
  backend: special('lmdeploy-backend'),
  drop_middle: warn('drop_middle is not applied; over-long prompts are sent whole and the server truncates or refuses them', false),
};

const vllmFields: Readonly<Record<string, FieldRule>> = {
  ...common,
  model_kwargs: {
    kind: 'dict',
    unknown: 'extra-args',
    fields: {
      tensor_parallel_size: set('tensorParallelSize'),
      gpu_memory_utilization: set('gpuMemoryUtilization'),
      max_model_len: set('maxSeqLen'),
      trust_remote_code: warn('vllm serve is started without --trust-remote-code unless given in extraArgs'),
    },
  },
  generation_kwargs: { kind: 'dict', unknown: { collectInto: 'generationKwargs' }, fields: { do_sample: special('do-sample') } },
  run_cfg: runCfg(undefined),
  lora_path: warn("LoRA adapters are not loaded by sextant's vllm launcher"),
  mode: warn('mode (prompt truncation) is not applied', 'none'),
};

const huggingFaceFields: Readonly<Record<string, FieldRule>> = {
  ...common,
  tokenizer_path: set('tokenizerPath'),
  model_kwargs: set('modelKwargs'),
  tokenizer_kwargs: set('tokenizerKwargs'),
  peft_path: set('peftPath'),
  peft_kwargs: warn('peft_kwargs are not passed; the adapter is loaded with its defaults'),
  batch_padding: warn('batch_padding has no effect; sextant schedules requests itself'),
  pad_token_id: warn('pad_token_id is not used'),
  fastchat_template: warn("FastChat templates are not supported; the tokenizer's chat template is used"),
  use_fastchat_template: warn('FastChat templates are not supported', false),
  extract_pred_after_decode: warn('extract_pred_after_decode is not supported', false),
  drop_middle: warn('drop_middle is not applied', false),
  mode: warn('mode (prompt truncation) is not applied', 'none'),
  run_cfg: runCfg('runCfg.numGpus'),
};

const openaiFields: Readonly<Record<string, FieldRule>> = {
  ...common,
  path: set('modelName'),
  key: special('api-key'),
  openai_api_base: special('api-base'),
  temperature: set('temperature'),
  retry: set('retry'),
  timeout: set('timeout'),
  max_workers: set('concurrency'),
  extra_body: set('generationKwargs'),
  query_per_second: warn('query_per_second is not applied: sextant limits requests in flight (concurrency), not requests per second'),
  rpm_verbose: warn('rpm_verbose has no effect', false),
  verbose: warn('verbose has no effect; use --debug', false),
  tokenizer_path: warn('tokenizer_path is not used: sextant does not count prompt tokens for API models'),
  mode: warn('mode (prompt truncation) is not applied', 'none'),
  logprobs: warn('logprobs are not requested', false),
  top_logprobs: warn('top_logprobs are not requested'),
  openai_proxy_url: warn('openai_proxy_url is not used; set HTTPS_PROXY instead'),
  think_tag: warn('think_tag is not used: reasoning content is not prepended to answers'),
  status_code_mappings: warn('status_code_mappings are not used'),
  max_completion_tokens: warn('max_completion_tokens is not sent; max_out_len becomes max_tokens'),
  org: warn('org is not sent'),
  run_cfg: runCfg(undefined),
};

/** Every OpenCompass model class sextant maps, by class name (as imported from `opencompass.models`). */
export const modelClasses: Readonly<Record<string, ModelClassMapping>> = {
  TurboMindModel: {
    type: 'lmdeploy',
    fixed: { promptStyle: 'completion' },
    fields: turbomindFields,
    description: 'lmdeploy, completion prompts (meta_template), launched api_server',
  },
  TurboMindModelwithChatTemplate: {
    type: 'lmdeploy',
    fixed: { promptStyle: 'chat', chatTemplateStyle: true },
    fields: turbomindFields,
    description: "lmdeploy, chat messages through the model's chat template",
  },
  VLLM: { type: 'vllm', fixed: { mode: 'completion' }, fields: vllmFields, description: 'vllm serve, completion prompts' },
  VLLMwithChatTemplate: { type: 'vllm', fixed: { mode: 'chat' }, fields: vllmFields, description: 'vllm serve, chat messages' },
  OpenAI: {
    type: 'openai',
    fixed: { mode: 'chat' },
    fields: openaiFields,
    description: 'openai, chat (openai_api_base may be the full /chat/completions URL)',
  },
  OpenAISDK: { type: 'openai', fixed: { mode: 'chat' }, fields: openaiFields, description: 'openai, chat' },
  HuggingFacewithChatTemplate: {
    type: 'huggingface',
    fixed: { hfType: 'chat' },
    fields: huggingFaceFields,
    description: 'huggingface, chat template',
  },
  HuggingFaceBaseModel: { type: 'huggingface', fixed: { hfType: 'base' }, fields: huggingFaceFields, description: 'huggingface, base prompts' },
  HuggingFaceCausalLM: {
    type: 'huggingface',
    fixed: { hfType: 'base' },
    fields: huggingFaceFields,
    description: 'huggingface, completion prompts (meta_template)',
  },
};
