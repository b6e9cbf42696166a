import { readFile } from 'node:fs/promises';
import { evaluatePythonConfig } from './evaluate-python-config.js';
import { translateOpenCompassConfig, type TranslatedConfig } from './translate-opencompass-config.js';

/**
 * Read an OpenCompass Python config (`eval_*.py`) as sextant config fields, without running Python. `file` is the
 * path as the user gave it (messages name it); `resolveDatasetConfig` maps a dataset module's last segment to a
 * sextant dataset config name.
 */
export async function loadOpenCompassConfig(options: {
  path: string;
  file: string;
  resolveDatasetConfig: (moduleName: string) => string | undefined;
}): Promise<TranslatedConfig> {
  const source = await readFile(options.path, 'utf8');
  const module = evaluatePythonConfig({ file: options.file, source, resolveDatasetConfig: options.resolveDatasetConfig });
  return translateOpenCompassConfig(module);
}
