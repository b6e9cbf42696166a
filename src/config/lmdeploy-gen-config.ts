import type { GenerationSettings, Warning } from '../spec/index.js';
import type { LmdeployGenConfig } from './user-config.js';

/** `genConfig` fields that LMDeploy's OpenAI-compatible API takes as request-body fields of the same meaning. */
const bodyFields = {
  minP: 'min_p',
  repetitionPenalty: 'repetition_penalty',
  ignoreEos: 'ignore_eos',
  skipSpecialTokens: 'skip_special_tokens',
  spacesBetweenSpecialTokens: 'spaces_between_special_tokens',
  includeStopStrInOutput: 'include_stop_str_in_output',
} as const satisfies Partial<Record<keyof LmdeployGenConfig, string>>;

/** Fields of LMDeploy's `GenerationConfig` that its OpenAI-compatible API has no request field for. */
const notSendable = ['badWords', 'stopTokenIds', 'badTokenIds'] as const satisfies ReadonlyArray<keyof LmdeployGenConfig>;

/**
 * An LMDeploy model's generation settings from its `genConfig` (LMDeploy's `GenerationConfig` fields): sampling
 * values and `repetitionPenalty`, `minNewTokens`, `randomSeed`, `stopWords` (merged with the model's), `logprobs`
 * and the rest travel with every request; `generationKwargs` (`extra`) win over them. What the API cannot take
 * becomes a warning.
 */
export function lmdeployGeneration(options: {
  genConfig: LmdeployGenConfig;
  stopWords: readonly string[];
  extra: Readonly<Record<string, unknown>> | undefined;
  chat: boolean;
}): { generation: Omit<GenerationSettings, 'maxOutLen'>; warnings: Warning[] } {
  const { genConfig } = options;
  const warnings: Warning[] = [];
  const body: Record<string, unknown> = {};
  for (const [field, bodyField] of Object.entries(bodyFields) as Array<[keyof typeof bodyFields, string]>) {
    if (genConfig[field] !== undefined) body[bodyField] = genConfig[field];
  }
  if (genConfig.logprobs !== undefined)
    Object.assign(body, options.chat ? { logprobs: true, top_logprobs: genConfig.logprobs } : { logprobs: genConfig.logprobs });
  for (const field of notSendable) {
    if (genConfig[field] !== undefined) {
      warnings.push({
        type: 'unsupported-setting',
        setting: `genConfig.${field}`,
        details: `LMDeploy's OpenAI-compatible API has no request field for ${field}; not sent`,
      });
    }
  }
  if (genConfig.doSample !== undefined) {
    warnings.push({
      type: 'unsupported-setting',
      setting: 'genConfig.doSample',
      details: `doSample=${genConfig.doSample} has no request field; sampling follows temperature (${genConfig.temperature ?? 0}, 0 is greedy), topK and topP`,
    });
  }
  if (genConfig.n !== undefined && genConfig.n !== 1) {
    warnings.push({ type: 'unsupported-setting', setting: 'genConfig.n', details: `n=${genConfig.n}: sextant scores one answer per prompt; n=1 is sent` });
  }
  const stopWords = [...new Set([...options.stopWords, ...(genConfig.stopWords ?? [])])];
  const extra = { ...body, ...options.extra };
  return {
    generation: {
      temperature: genConfig.temperature ?? 0,
      ...(genConfig.topK !== undefined ? { topK: genConfig.topK } : {}),
      ...(genConfig.topP !== undefined ? { topP: genConfig.topP } : {}),
      ...(genConfig.minNewTokens !== undefined ? { minOutLen: genConfig.minNewTokens } : {}),
      ...(genConfig.randomSeed !== undefined ? { seed: genConfig.randomSeed } : {}),
      stopWords,
      ...(Object.keys(extra).length > 0 ? { extra } : {}),
    },
    warnings,
  };
}
