/**
 * sextant's library surface. The CLI is a thin layer over these functions.
 */
export {
  auditExtraction,
  compareRuns,
  listConfigs,
  renderPrompts,
  runEvaluation,
  sextantVersion,
  startViewer,
  writeComparisonFiles,
  writeRunReport,
} from './api/index.js';
export type { ConfigListing, RenderedSamplePrompt, RunEvaluationOptions, RunEvaluationResult, RunMode } from './api/index.js';
// Not through api/index.js: that one is loaded by every `sextant run`, which needs no data manifest.
export { fetchDataSources, listDataSources, verifyDataSources } from './api/data-sources.js';
export type { DataSourceEntry, DataSourceOptions } from './api/data-sources.js';
export { defineConfig, loadConfigFile, loadConfigFileWithWarnings, resolveConfig } from './config/index.js';
export type { ConfigWarning, LmdeployModelConfig, ModelConfig, OpenAIModelConfig, UserConfig } from './config/index.js';
export { LlamaCppBackend } from './backends/llama-cpp/index.js';
export { LmdeployBackend } from './backends/lmdeploy/index.js';
export { OpenAICompatibleBackend } from './backends/openai-compatible/index.js';
export { TransformersBackend } from './backends/transformers/index.js';
export { VllmBackend } from './backends/vllm/index.js';
export * from './stats/index.js';
export { firstCapitalPostprocess, firstOptionPostprocess } from './postprocess/index.js';
export { ConsoleReporter } from './report/index.js';
export * from './spec/index.js';
