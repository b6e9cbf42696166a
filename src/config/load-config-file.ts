import { readFile, stat } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
// The dataset registry alone (not registry/index.js, which reaches the backends and back into config/).
import { listDatasetConfigs } from '../registry/dataset-registry.js';
import { ConfigError } from '../spec/index.js';
import { userConfigSchema } from './config-schema.js';
import { loadOpenCompassConfig, type ConfigWarning } from './opencompass-py/index.js';
import type { UserConfig } from './user-config.js';

export type { ConfigWarning } from './opencompass-py/index.js';

const supportedExtensions = ['.ts', '.mts', '.js', '.mjs', '.json', '.py'];

/**
 * Load and validate a config file: `.json`, a module (`.ts`, `.js`, `.mjs`) whose default export is
 * `defineConfig({...})`, or an OpenCompass Python config (`.py`, read as literals, never executed). TypeScript is
 * loaded through jiti, only when a `.ts` file is given. Settings a `.py` config has that sextant cannot honour are
 * dropped here; {@link loadConfigFileWithWarnings} returns them.
 */
export async function loadConfigFile(path: string): Promise<UserConfig> {
  return (await loadConfigFileWithWarnings(path)).config;
}

/** {@link loadConfigFile}, plus the settings of the file that cannot take effect (pass them to `runEvaluation`). */
export async function loadConfigFileWithWarnings(path: string): Promise<{ config: UserConfig; warnings: readonly ConfigWarning[] }> {
  const absolute = resolve(path);
  const extension = extname(absolute);
  if (!supportedExtensions.includes(extension)) {
    throw new ConfigError({ source: path, message: `unsupported config file type "${extension}" (expected ${supportedExtensions.join(', ')})` });
  }
  const found = await stat(absolute).then((stats) => stats.isFile(), () => false);
  if (!found) throw new ConfigError({ source: path, message: `config file not found (looked at ${absolute})` });
  if (extension === '.py') {
    const translated = await loadOpenCompassConfig({ path: absolute, file: path, resolveDatasetConfig: knownDatasetConfig });
    const locate = (field: string) => {
      for (let prefix = field; prefix; prefix = prefix.includes('.') ? prefix.slice(0, prefix.lastIndexOf('.')) : '') {
        const origin = translated.origins.get(prefix);
        if (origin) return `${origin.file}:${origin.line}:${origin.column}`;
      }
      return undefined;
    };
    return { config: validateUserConfig(translated.config, path, locate), warnings: translated.warnings };
  }
  const raw = extension === '.json' ? await readJson(absolute, path) : await importModule(absolute, extension, path);
  return { config: validateUserConfig(raw, path), warnings: [] };
}

/** A dataset module's last segment (`ceval_gen_5f30c7`, `ceval_gen`) → the registry's name for it. */
function knownDatasetConfig(moduleName: string): string | undefined {
  return listDatasetConfigs().some((entry) => entry.name === moduleName) ? moduleName : undefined;
}

/**
 * Validate a config object; errors name the field path and what was expected. `locate` maps a dotted field path
 * (`models.0.maxOutLen`) to where it was written (`file:line:column`), for configs translated from another form.
 */
export function validateUserConfig(raw: unknown, source: string, locate?: (field: string) => string | undefined): UserConfig {
  const parsed = userConfigSchema.safeParse(raw);
  if (parsed.success) return parsed.data as UserConfig;
  const messages = parsed.error.issues.map((issue) => {
    const where = locate?.(issue.path.map(String).join('.'));
    return `${where ? `${where}: ` : ''}${formatPath(issue.path) || '(top level)'}: ${describeIssue(issue)}`;
  });
  throw new ConfigError({ source, message: `invalid config:\n  ${messages.join('\n  ')}` });
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `"${key}"`).join(', ')}`;
  return issue.message;
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)), '');
}

async function readJson(absolute: string, source: string): Promise<unknown> {
  const text = await readFile(absolute, 'utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigError({ source, message: `not valid JSON: ${(error as Error).message}`, cause: error });
  }
}

async function importModule(absolute: string, extension: string, source: string): Promise<unknown> {
  try {
    if (extension === '.ts' || extension === '.mts') {
      const { createJiti } = await import('jiti');
      const jiti = createJiti(import.meta.url, { interopDefault: true, moduleCache: false });
      return await jiti.import(absolute, { default: true });
    }
    const module = (await import(pathToFileURL(absolute).href)) as { default?: unknown };
    if (module.default === undefined) throw new Error('the module has no default export (export default defineConfig({...}))');
    return module.default;
  } catch (error) {
    if (ConfigError.isInstance(error)) throw error;
    throw new ConfigError({ source, message: `cannot load config: ${(error as Error).message}`, cause: error });
  }
}
