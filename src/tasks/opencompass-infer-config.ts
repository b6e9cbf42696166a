import type { PromptTemplateConfig, TemplateBody } from '../prompts/index.js';
import { pythonJsonDumps, type PythonJsonValue } from '../utils/python-json-dumps.js';
import { sha256Hex } from '../utils/hash.js';

/**
 * A dataset's `infer_cfg` in OpenCompass's terms: templates, retriever and inferencer. It is the single source
 * for both rendering and the version hash.
 */
export interface InferConfig {
  readonly iceTemplate?: PromptTemplateConfig;
  readonly promptTemplate?: PromptTemplateConfig;
  readonly retriever: { readonly kind: 'fix-k'; readonly fixIdList: readonly number[] } | { readonly kind: 'zero' };
  readonly inferencer: { readonly kind: 'gen'; readonly maxOutLen?: number } | { readonly kind: 'ppl' };
}

const typePaths = {
  promptTemplate: 'opencompass.openicl.icl_prompt_template.PromptTemplate',
  fixKRetriever: 'opencompass.openicl.icl_retriever.FixKRetriever',
  zeroRetriever: 'opencompass.openicl.icl_retriever.ZeroRetriever',
  genInferencer: 'opencompass.openicl.icl_inferencer.GenInferencer',
  pplInferencer: 'opencompass.openicl.icl_inferencer.PPLInferencer',
} as const;

/**
 * The `infer_cfg` as OpenCompass sees it after its config dump and reload: `type` fields are dotted import paths,
 * and a retriever's `fix_id_list` has moved into the inferencer (a legacy step of its hash).
 */
export function toOpenCompassInferCfg(config: InferConfig): PythonJsonValue {
  const result: Record<string, PythonJsonValue> = {};
  if (config.iceTemplate) result.ice_template = templateToPython(config.iceTemplate);
  if (config.promptTemplate) result.prompt_template = templateToPython(config.promptTemplate);
  const inferencer: Record<string, PythonJsonValue> =
    config.inferencer.kind === 'gen'
      ? { type: typePaths.genInferencer, ...(config.inferencer.maxOutLen !== undefined ? { max_out_len: config.inferencer.maxOutLen } : {}) }
      : { type: typePaths.pplInferencer };
  if (config.retriever.kind === 'fix-k') {
    result.retriever = { type: typePaths.fixKRetriever };
    inferencer.fix_id_list = [...config.retriever.fixIdList];
  } else {
    result.retriever = { type: typePaths.zeroRetriever };
  }
  result.inferencer = inferencer;
  return result;
}

function templateToPython(template: PromptTemplateConfig): PythonJsonValue {
  const body = template.template;
  const pythonBody: PythonJsonValue =
    typeof body === 'string' || Array.isArray((body as { round?: unknown }).round)
      ? bodyToPython(body as TemplateBody)
      : Object.fromEntries(Object.entries(body).map(([label, value]) => [label, bodyToPython(value as TemplateBody)]));
  return {
    type: typePaths.promptTemplate,
    template: pythonBody,
    ...(template.iceToken !== undefined ? { ice_token: template.iceToken } : {}),
  };
}

function bodyToPython(body: TemplateBody): PythonJsonValue {
  if (typeof body === 'string') return body;
  return {
    ...(body.begin !== undefined ? { begin: body.begin } : {}),
    round: body.round.map((turn) => ({ role: turn.role, prompt: turn.prompt })),
    ...(body.end !== undefined ? { end: body.end } : {}),
  };
}

/** The full sha256 digest of an infer config, as OpenCompass's `get_prompt_hash` computes it for one dataset. */
export function inferConfigDigest(config: InferConfig): string {
  return sha256Hex(pythonJsonDumps(toOpenCompassInferCfg(config)));
}

/** The summary's `version`: the first 6 hex characters of the digest. */
export function datasetVersion(config: InferConfig): string {
  return inferConfigDigest(config).slice(0, 6);
}

/** A config file's 6-hex suffix: sha256 of the comma-joined full digests of its datasets (one dataset: its own). */
export function configFileSuffix(configs: readonly InferConfig[]): string {
  const digests = configs.map(inferConfigDigest);
  return (digests.length === 1 ? (digests[0] as string) : sha256Hex(digests.join(','))).slice(0, 6);
}
