import { resolveConfig, type ConfigOverrides, type UserConfig } from '../config/index.js';
import { resolveDataRoot } from '../datasets/index.js';
import { renderPrompt, type RenderedPrompt } from '../prompts/index.js';
import type { JsonValue } from '../spec/index.js';
import { selectDatasets } from './select-datasets.js';

export interface RenderedSamplePrompt {
  readonly dataset: string;
  readonly index: number;
  /** The reference as the loader gives it (a label, a text, a list of answers). */
  readonly gold: JsonValue;
  /** One entry in gen mode; one per label in PPL mode. */
  readonly prompts: ReadonlyArray<{ readonly label?: string; readonly rendered: RenderedPrompt }>;
}

/**
 * The exact prompts a run would send, without sending them (OpenCompass's `prompt_viewer.py`): the first `count`
 * samples of each dataset, rendered for the first model's prompt style (chat messages, or text when no model is
 * configured as chat).
 */
export async function renderPrompts(options: {
  config: UserConfig;
  overrides?: ConfigOverrides;
  count: number;
  env?: NodeJS.ProcessEnv;
}): Promise<RenderedSamplePrompt[]> {
  const env = options.env ?? process.env;
  const needsModel = !options.config.models || options.config.models.length === 0;
  const overrides: ConfigOverrides = {
    ...options.overrides,
    // The prompt viewer needs no server: a placeholder endpoint stands in when no model is given.
    ...(needsModel && !options.overrides?.apiBase ? { apiBase: 'http://127.0.0.1:1' } : {}),
  };
  const resolved = resolveConfig({ config: options.config, overrides, env });
  const model = resolved.models[0];
  const style = model?.promptStyle ?? { kind: 'messages', messageStyle: 'api' };
  const root = resolveDataRoot({ ...(resolved.dataDir ? { dataDir: resolved.dataDir } : {}), env });
  const tasks = await selectDatasets({ resolved, root, checkData: true });
  const rendered: RenderedSamplePrompt[] = [];
  for (const task of tasks) {
    const samples = await task.loadSamples({ dataRoot: root.path, limit: options.count });
    for (const sample of samples) {
      const prompts = sample.candidates
        ? sample.candidates.map((candidate) => ({ label: candidate.label, rendered: renderPrompt(candidate.dialogue, { kind: 'text' }) }))
        : [{ rendered: renderPrompt(sample.dialogue, style) }];
      rendered.push({ dataset: task.abbr, index: sample.index, gold: sample.gold, prompts });
    }
  }
  return rendered;
}
