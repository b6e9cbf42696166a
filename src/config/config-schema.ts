import { z } from 'zod';

/** Validation of user configs at the edge (files and flags). Unknown fields are errors: they are usually typos. */
const positiveInt = z.number().int().positive();
const dialogueRole = z.enum(['HUMAN', 'BOT', 'SYSTEM']);

const metaTemplateSchema = z.strictObject({
  begin: z.string().optional(),
  round: z.array(
    z.strictObject({
      role: dialogueRole,
      begin: z.string().optional(),
      end: z.string().optional(),
      generate: z.boolean().optional(),
    }),
  ),
});

const commonModelFields = {
  abbr: z
    .string()
    .min(1)
    .regex(/^[^/\\]+$/, 'must not contain / or \\')
    .refine((abbr) => !/^\.+$/.test(abbr), 'must not be . or .. (it names folders in the run)')
    .optional(),
  maxOutLen: positiveInt.optional(),
  maxSeqLen: positiveInt.optional(),
  batchSize: positiveInt.optional(),
  concurrency: z.union([positiveInt, z.literal('auto')]).optional(),
  maxConcurrency: positiveInt.optional(),
  stopWords: z.array(z.string()).optional(),
  metaTemplate: metaTemplateSchema.optional(),
  generationKwargs: z.record(z.string(), z.unknown()).optional(),
  timeout: z.number().positive().optional(),
  retry: z.number().int().min(0).optional(),
  maxRetryWait: z.number().nonnegative().optional(),
  stream: z.boolean().optional(),
};

const urlString = z.url({ protocol: /^https?$/, error: 'expected an http(s) URL such as http://127.0.0.1:23333/v1' });

export const openaiModelSchema = z.strictObject({
  type: z.literal('openai'),
  ...commonModelFields,
  apiBase: z.union([urlString, z.array(urlString).min(1)]),
  modelName: z.string().min(1).optional(),
  apiKey: z.string().optional(),
  mode: z.enum(['chat', 'completion']).optional(),
  temperature: z.number().min(0).optional(),
  topP: z.number().gt(0).max(1).optional(),
  promptLogprobs: z.boolean().optional(),
  tokenizerPath: z.string().min(1).optional(),
});

export const lmdeployModelSchema = z.strictObject({
  type: z.literal('lmdeploy'),
  ...commonModelFields,
  path: z.string().min(1).optional(),
  apiBase: z.union([urlString, z.array(urlString).min(1)]).optional(),
  modelName: z.string().min(1).optional(),
  apiKey: z.string().optional(),
  promptStyle: z.enum(['completion', 'chat']).optional(),
  engineConfig: z
    .strictObject({
      sessionLen: positiveInt.optional(),
      maxBatchSize: positiveInt.optional(),
      ropeScalingFactor: z.number().positive().optional(),
      tp: positiveInt.optional(),
    })
    .optional(),
  genConfig: z
    .strictObject({
      topK: positiveInt.optional(),
      topP: z.number().gt(0).max(1).optional(),
      temperature: z.number().min(0).optional(),
      maxNewTokens: positiveInt.optional(),
      minNewTokens: z.number().int().min(0).optional(),
      minP: z.number().min(0).max(1).optional(),
      repetitionPenalty: z.number().positive().optional(),
      ignoreEos: z.boolean().optional(),
      randomSeed: z.number().int().min(0).optional(),
      stopWords: z.array(z.string()).optional(),
      badWords: z.array(z.string()).optional(),
      stopTokenIds: z.array(z.number().int().min(0)).optional(),
      badTokenIds: z.array(z.number().int().min(0)).optional(),
      skipSpecialTokens: z.boolean().optional(),
      spacesBetweenSpecialTokens: z.boolean().optional(),
      includeStopStrInOutput: z.boolean().optional(),
      logprobs: z.number().int().min(0).optional(),
      doSample: z.boolean().optional(),
      n: positiveInt.optional(),
    })
    .optional(),
  endStr: z.string().optional(),
  runCfg: z.strictObject({ numGpus: positiveInt.optional() }).optional(),
  command: z.string().min(1).optional(),
  startupTimeout: z.number().positive().optional(),
  chatTemplateStyle: z.boolean().optional(),
});

const modeField = z.enum(['chat', 'completion']).optional();

export const llamaCppModelSchema = z.strictObject({
  type: z.literal('llama-cpp'),
  ...commonModelFields,
  path: z.string().min(1),
  mode: modeField,
  threads: positiveInt.optional(),
  contextSize: positiveInt.optional(),
  sequences: positiveInt.optional(),
  chatTemplate: z.enum(['model', 'general']).optional(),
  prefixReuse: z.boolean().optional(),
});

export const transformersModelSchema = z.strictObject({
  type: z.literal('transformers'),
  ...commonModelFields,
  path: z.string().min(1),
  mode: modeField,
  threads: positiveInt.optional(),
  prefixReuse: z.boolean().optional(),
});

export const vllmModelSchema = z.strictObject({
  type: z.literal('vllm'),
  ...commonModelFields,
  path: z.string().min(1),
  modelName: z.string().min(1).optional(),
  apiKey: z.string().optional(),
  mode: modeField,
  tensorParallelSize: positiveInt.optional(),
  gpuMemoryUtilization: z.number().gt(0).max(1).optional(),
  extraArgs: z.array(z.string()).optional(),
  command: z.string().min(1).optional(),
  startupTimeout: z.number().positive().optional(),
});

export const huggingfaceModelSchema = z.strictObject({
  type: z.literal('huggingface'),
  ...commonModelFields,
  path: z.string().min(1),
  hfType: z.enum(['chat', 'base']).optional(),
  tokenizerPath: z.string().min(1).optional(),
  tokenizerKwargs: z.record(z.string(), z.unknown()).optional(),
  modelKwargs: z.record(z.string(), z.unknown()).optional(),
  peftPath: z.string().min(1).optional(),
  batching: z.enum(['static', 'continuous']).optional(),
  prefixReuse: z.boolean().optional(),
  runCfg: z.strictObject({ numGpus: positiveInt.optional() }).optional(),
  maxNumWorkers: positiveInt.optional(),
  python: z.string().min(1).optional(),
});

export const modelConfigSchema = z.discriminatedUnion(
  'type',
  [openaiModelSchema, lmdeployModelSchema, llamaCppModelSchema, transformersModelSchema, vllmModelSchema, huggingfaceModelSchema],
  {
    error: (issue) =>
      issue.code === 'invalid_union' ? 'expected a model with type "openai", "lmdeploy", "llama-cpp", "transformers", "vllm" or "huggingface"' : undefined,
  },
);

export const userConfigSchema = z.strictObject({
  datasets: z.array(z.string().min(1)).optional(),
  subjects: z.array(z.string().min(1)).optional(),
  customDatasets: z
    .array(
      z.strictObject({
        path: z.string().min(1),
        abbr: z.string().min(1).optional(),
        dataType: z.enum(['mcq', 'qa']).optional(),
        inferMethod: z.enum(['gen', 'ppl']).optional(),
        metaPath: z.string().min(1).optional(),
      }),
    )
    .optional(),
  models: z.array(modelConfigSchema).optional(),
  summarizer: z
    .strictObject({
      name: z.string().min(1).optional(),
      datasetAbbrs: z.array(z.union([z.string(), z.tuple([z.string(), z.string()])])).optional(),
    })
    .optional(),
  workDir: z.string().min(1).optional(),
  dataDir: z.string().min(1).optional(),
  limit: positiveInt.optional(),
  numSamples: positiveInt.optional(),
  python: z.string().min(1).optional(),
  execWorkers: positiveInt.optional(),
  reExecute: z.boolean().optional(),
  evaluatorOptions: z.strictObject({ mbppLegacyEquality: z.boolean().optional() }).optional(),
});
