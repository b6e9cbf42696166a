import { defaults, type ConfigOverrides, type ModelConfig, type UserConfig } from '../config/index.js';
import { openRunDirectory, readRunInfo } from '../store/index.js';

/**
 * `--mode eval -r` and `--mode viz -r` work on what an earlier run recorded: when neither the config nor the flags
 * name datasets (or models), the ones in the run's newest `configs/*.json` are used. Other modes, and runs given
 * both, get `config` back unchanged.
 */
export async function withRecordedRun(options: {
  config: UserConfig;
  overrides: ConfigOverrides;
  /** `--mode eval` or `--mode viz`: the run's stored outputs are scored or summarised again. */
  rescoring: boolean;
  reuse: string | undefined;
}): Promise<UserConfig> {
  const { config, overrides } = options;
  if (!options.rescoring || options.reuse === undefined) return config;
  const needDatasets = (overrides.datasets ?? config.datasets ?? []).length === 0;
  const modelFlags = overrides.modelType ?? overrides.apiBase ?? overrides.path ?? overrides.hfPath;
  const needModels = (config.models ?? []).length === 0 && modelFlags === undefined;
  if (!needDatasets && !needModels) return config;
  const directory = await openRunDirectory({ workDir: overrides.workDir ?? config.workDir ?? defaults.workDir, reuse: options.reuse });
  const recorded = await readRunInfo(directory.root);
  const models = recorded.models.map((model) => {
    const { apiKey: _redacted, ...rest } = (model.config ?? {}) as Record<string, unknown>;
    return { ...rest, abbr: model.abbr } as unknown as ModelConfig;
  });
  return {
    ...config,
    ...(needDatasets ? { datasets: recorded.datasets } : {}),
    ...(needModels ? { models } : {}),
  };
}
