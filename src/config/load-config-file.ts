import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
// The dataset registry alone (not registry/index.js, which reaches the backends and back into config/).
import { listDatasetConfigs } from '../registry/dataset-registry.js';
import { ConfigError } from '../spec/index.js';
import { closestNames } from '../utils/closest-names.js';
import { userConfigSchema } from './config-schema.js';
import { normalizeConfigKeys } from './normalize-config-keys.js';
import type { ConfigWarning } from './opencompass-py/index.js';
import type { UserConfig } from './user-config.js';

export type { ConfigWarning } from './opencompass-py/index.js';

const supportedExtensions = ['.ts', '.mts', '.js', '.mjs', '.json', '.py'];

/**
 * Load and validate a config file: `.json`, a module (`.ts`, `.js`, `.mjs`) whose default export is
 * `defineConfig({...})`, or an OpenCompass Python config (`.py`, read as literals, never executed). Modules are loaded
 * through jiti (TypeScript included), with `sextant` resolving to the running package. Settings a `.py` config has
 * that sextant cannot honour are dropped here; {@link loadConfigFileWithWarnings} returns them.
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
  const found = await stat(absolute).then(
    (stats) => stats.isFile(),
    () => false,
  );
  if (!found) throw new ConfigError({ source: path, message: `config file not found (looked at ${absolute})` });
  if (extension === '.py') {
    // The `.py` translator (and @lezer/python) is loaded only for `.py` configs.
    const { loadOpenCompassConfig } = await import('./opencompass-py/index.js');
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
  const raw = extension === '.json' ? await readJson(absolute, path) : await importModule(absolute, path);
  return { config: validateUserConfig(raw, path), warnings: [] };
}

/** A dataset module's last segment (`ceval_gen_5f30c7`, `ceval_gen`) → the registry's name for it. */
function knownDatasetConfig(moduleName: string): string | undefined {
  return listDatasetConfigs().some((entry) => entry.name === moduleName) ? moduleName : undefined;
}

/**
 * Validate a config object; errors name the field path and what was expected, and an unknown field gets the
 * closest known names. OpenCompass's snake_case names (`max_out_len`, `engine_config.session_len`) are accepted
 * as aliases of the camelCase ones; giving both spellings of one field is an error. `locate` maps a dotted field
 * path (`models.0.maxOutLen`) to where it was written (`file:line:column`), for configs translated from another form.
 */
export function validateUserConfig(raw: unknown, source: string, locate?: (field: string) => string | undefined): UserConfig {
  const normalized = normalizeConfigKeys(raw, source);
  const parsed = userConfigSchema.safeParse(normalized);
  if (parsed.success) return parsed.data as UserConfig;
  const messages = parsed.error.issues.map((issue) => {
    const where = locate?.(issue.path.map(String).join('.'));
    return `${where ? `${where}: ` : ''}${formatPath(issue.path) || '(top level)'}: ${describeIssue(issue, normalized)}`;
  });
  throw new ConfigError({ source, message: `invalid config:\n  ${messages.join('\n  ')}` });
}

function describeIssue(issue: z.core.$ZodIssue, config: unknown): string {
  if (issue.code !== 'unrecognized_keys') return issue.message;
  const known = knownFields(userConfigSchema, config, issue.path);
  const described = issue.keys.map((key) => {
    const [suggestion] = closestNames(
      key,
      known.filter((name) => !issue.keys.includes(name)),
    );
    return `"${key}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`;
  });
  return `unknown field${issue.keys.length > 1 ? 's' : ''} ${described.join(', ')}${known.length > 0 ? `; known fields here: ${known.join(', ')}` : ''}`;
}

/** The field names the schema allows for the object at `path` of `config` (a model's depend on its `type`). */
function knownFields(schema: z.ZodType, config: unknown, path: readonly PropertyKey[]): string[] {
  let current: z.ZodType | undefined = schema;
  let value: unknown = config;
  for (const key of [...path, undefined]) {
    current = unwrap(current, value);
    if (key === undefined) break;
    if (current instanceof z.ZodObject) current = (current.shape as Record<string, z.ZodType>)[String(key)];
    else if (current instanceof z.ZodArray) current = current.element as z.ZodType;
    else return [];
    value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  }
  return current instanceof z.ZodObject ? Object.keys(current.shape) : [];
}

function unwrap(schema: z.ZodType | undefined, value: unknown): z.ZodType | undefined {
  let current = schema;
  while (current instanceof z.ZodOptional) current = current.unwrap() as z.ZodType;
  if (current instanceof z.ZodDiscriminatedUnion) {
    const type = value !== null && typeof value === 'object' ? (value as { type?: unknown }).type : undefined;
    const options = current.options as z.ZodType[];
    return options.find((option) => option instanceof z.ZodObject && (option.shape as { type?: z.ZodType }).type?.safeParse(type).success);
  }
  return current;
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

async function importModule(absolute: string, source: string): Promise<unknown> {
  try {
    const { createJiti } = await import('jiti');
    const jiti = createJiti(import.meta.url, { interopDefault: false, moduleCache: false, alias: runningPackageAliases() });
    const module = await jiti.import<{ default?: unknown }>(absolute);
    if (module.default === undefined) throw new Error('the module has no default export (export default defineConfig({...}))');
    return module.default;
  } catch (error) {
    if (ConfigError.isInstance(error)) throw error;
    throw new ConfigError({ source, message: `cannot load config: ${(error as Error).message}`, cause: error });
  }
}

/**
 * `import { defineConfig } from 'sextant'` (and `sextant/config`, `sextant/spec`) in a config file means the sextant
 * that is running, wherever the file lives: a clone, `npx`, or a global install, with no `node_modules` beside it.
 */
function runningPackageAliases(): Record<string, string> {
  const root = dirname(dirname(fileURLToPath(import.meta.url)));
  const entry = (folder: string) => {
    const base = folder ? join(root, folder, 'index') : join(root, 'index');
    return existsSync(`${base}.js`) ? `${base}.js` : `${base}.ts`;
  };
  return { 'sextant/config': entry('config'), 'sextant/spec': entry('spec'), sextant: entry('') };
}
