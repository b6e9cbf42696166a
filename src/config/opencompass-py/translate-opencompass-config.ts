import { ConfigError, type Warning } from '../../spec/index.js';
import { closestNames } from '../../utils/closest-names.js';
import {
  ImportedDatasets,
  isDict,
  PythonImport,
  typeName,
  type PythonConfigModule,
  type PythonDict,
  type PythonValue,
  type SourceLocation,
} from './evaluate-python-config.js';
import { modelClasses, type FieldRule, type ModelClassMapping, type SpecialField } from './model-classes.js';

/** A warning found while reading a config file; `model` is the index in `models` it concerns, if any. */
export interface ConfigWarning {
  readonly model?: number;
  readonly warning: Warning;
}

/** A config translated from OpenCompass's Python form to sextant's (not yet validated) and what could not take effect. */
export interface TranslatedConfig {
  readonly config: Record<string, unknown>;
  readonly warnings: readonly ConfigWarning[];
  /**
   * Where each translated field came from, by its dotted path in `config` (`models.0.engineConfig`,
   * `datasets`), so validation errors can point at the Python source.
   */
  readonly origins: ReadonlyMap<string, SourceLocation>;
}

/** Top-level names OpenCompass reads that sextant does not: recorded as warnings. */
const ignoredTopLevel: Readonly<Record<string, string>> = {
  infer: 'partitioners and runners: sextant schedules requests itself',
  eval: 'sextant scores in process after inference',
  model_dataset_combinations: 'every model is evaluated on every dataset',
  judge_models: 'judge models are not supported',
  lark_bot_url: 'notifications are not sent',
};

const fail = (location: SourceLocation | undefined, file: string, message: string): never => {
  throw new ConfigError({ source: location ? `${location.file}:${location.line}:${location.column}` : file, message });
};

/**
 * Turn the top-level names of an evaluated OpenCompass config (`models`, `datasets`, `work_dir`, `summarizer`)
 * into a sextant user config. Model dicts go through {@link modelClasses}; a field no rule lists is an error at its
 * position, a field sextant cannot honour a warning.
 */
export function translateOpenCompassConfig(module: PythonConfigModule): TranslatedConfig {
  const warnings: ConfigWarning[] = [];
  const config: Record<string, unknown> = {};
  const origins = new Map<string, SourceLocation>();
  const binding = (name: string) => {
    const bound = module.bindings.get(name);
    if (bound) origins.set(({ work_dir: 'workDir' } as Record<string, string>)[name] ?? name, bound.location);
    return bound;
  };
  const datasets = binding('datasets');
  if (datasets) config.datasets = translateDatasets(module, datasets.value, datasets.location);
  const models = binding('models');
  if (models) {
    if (!Array.isArray(models.value)) fail(models.location, module.file, `models must be a list of model dicts; found ${typeName(models.value)}`);
    config.models = (models.value as PythonValue[]).map((model, index) => {
      const location = module.locationOf(models.value, index) ?? models.location;
      if (!isDict(model)) return fail(location, module.file, `models[${index}] must be a dict(type=..., ...); found ${typeName(model)}`);
      origins.set(`models.${index}`, location);
      return new ModelTranslator({ module, dict: model, index, location, warnings, origins }).translate();
    });
  }
  const workDir = binding('work_dir');
  if (workDir) {
    if (typeof workDir.value !== 'string') fail(workDir.location, module.file, `work_dir must be a string; found ${typeName(workDir.value)}`);
    config.workDir = workDir.value;
  }
  const summarizer = binding('summarizer');
  if (summarizer) config.summarizer = translateSummarizer(module, summarizer.value, summarizer.location, warnings);
  for (const [name, reason] of Object.entries(ignoredTopLevel)) {
    if (module.bindings.has(name)) warnings.push({ warning: { type: 'unsupported-setting', setting: name, details: `${name} is not used: ${reason}` } });
  }
  return { config, warnings, origins };
}

function translateDatasets(module: PythonConfigModule, value: PythonValue, location: SourceLocation): string[] {
  const items =
    value instanceof ImportedDatasets
      ? [value]
      : Array.isArray(value)
        ? value
        : fail(location, module.file, `datasets must be a list; found ${typeName(value)}`);
  return items.map((item, index) => {
    if (item instanceof ImportedDatasets) return item.configName;
    const where = module.locationOf(value, index) ?? location;
    if (isDict(item))
      return fail(
        where,
        module.file,
        'dataset dicts written in the config are not supported; import a dataset config inside `with read_base():` (see `sextant list`)',
      );
    return fail(where, module.file, `datasets[${index}] must come from an imported dataset config (e.g. *ceval_datasets); found ${typeName(item)}`);
  });
}

function translateSummarizer(module: PythonConfigModule, value: PythonValue, location: SourceLocation, warnings: ConfigWarning[]): Record<string, unknown> {
  if (!isDict(value)) return fail(location, module.file, `summarizer must be a dict; found ${typeName(value)}`);
  const result: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) {
    const where = module.locationOf(value, key) ?? location;
    if (key === 'dataset_abbrs') {
      if (!Array.isArray(entry)) fail(where, module.file, 'summarizer.dataset_abbrs must be a list');
      result.datasetAbbrs = (entry as PythonValue[]).map((row) => {
        if (typeof row === 'string') return row;
        if (Array.isArray(row) && typeof row[0] === 'string' && typeof row[1] === 'string') {
          if (row[1] !== 'accuracy')
            warnings.push({
              warning: {
                type: 'unsupported-setting',
                setting: 'summarizer.dataset_abbrs',
                details: `metric "${row[1]}" of ${row[0]}: sextant reports accuracy`,
              },
            });
          return row[0];
        }
        return fail(where, module.file, `summarizer.dataset_abbrs entries are names or [name, metric] pairs; found ${typeName(row)}`);
      });
    } else {
      warnings.push({
        warning: {
          type: 'unsupported-setting',
          setting: `summarizer.${key}`,
          details: `summarizer.${key} is not used: sextant computes the groups of the benchmarks it knows`,
        },
      });
    }
  }
  return result;
}

class ModelTranslator {
  private readonly output: Record<string, unknown> = {};
  private readonly label: string;

  constructor(
    private readonly context: {
      module: PythonConfigModule;
      dict: PythonDict;
      index: number;
      location: SourceLocation;
      warnings: ConfigWarning[];
      origins: Map<string, SourceLocation>;
    },
  ) {
    this.label = `models[${context.index}]`;
  }

  translate(): Record<string, unknown> {
    const { dict } = this.context;
    const className = this.className();
    const mapping = modelClasses[className] as ModelClassMapping;
    Object.assign(this.output, { type: mapping.type, ...mapping.fixed });
    for (const [key, value] of Object.entries(dict)) {
      if (key === 'type') continue;
      const rule = mapping.fields[key];
      if (!rule) {
        const suggestions = closestNames(key, Object.keys(mapping.fields));
        this.fail(
          key,
          `unknown field "${key}" for ${className}${suggestions.length > 0 ? `; did you mean ${suggestions.map((name) => `"${name}"`).join(' or ')}?` : ''}`,
        );
      }
      const before = new Map(Object.entries(this.output));
      this.apply({ rule: rule as FieldRule, key, value, owner: dict, mapping });
      const location = this.context.module.locationOf(dict, key);
      for (const [field, current] of Object.entries(this.output)) {
        if (location && before.get(field) !== current) this.context.origins.set(`models.${this.context.index}.${field}`, location);
      }
    }
    const typeLocation = this.context.module.locationOf(dict, 'type');
    if (typeLocation) this.context.origins.set(`models.${this.context.index}.type`, typeLocation);
    if (mapping.type === 'openai' && this.output.apiBase === undefined) this.output.apiBase = 'https://api.openai.com/v1';
    return this.output;
  }

  private className(): string {
    const value = this.context.dict.type;
    const name = value instanceof PythonImport ? value.name : typeof value === 'string' ? (value.split('.').pop() ?? value) : undefined;
    if (value === undefined) return this.fail(undefined, `${this.label} has no type (e.g. type=TurboMindModel)`);
    if (!name) return this.fail('type', `${this.label}.type must be a model class; found ${typeName(value)}`);
    if (!modelClasses[name]) {
      const suggestions = closestNames(name, Object.keys(modelClasses));
      this.fail(
        'type',
        `unknown model class ${name}${suggestions.length > 0 ? ` (did you mean ${suggestions.join(' or ')}?)` : ''}; sextant maps ${Object.keys(modelClasses).join(', ')}`,
      );
    }
    return name;
  }

  private fail(key: string | undefined, message: string, owner: PythonDict = this.context.dict): never {
    return fail((key === undefined ? undefined : this.context.module.locationOf(owner, key)) ?? this.context.location, this.context.module.file, message);
  }

  private warn(setting: string, details: string): void {
    this.context.warnings.push({ model: this.context.index, warning: { type: 'unsupported-setting', setting, details } });
  }

  private apply(options: { rule: FieldRule; key: string; value: PythonValue; owner: PythonDict; mapping: ModelClassMapping; prefix?: string }): void {
    const { rule, key, value, owner } = options;
    const name = options.prefix ? `${options.prefix}.${key}` : key;
    switch (rule.kind) {
      case 'set':
        return setPath(this.output, rule.to, rule.convert ? rule.convert(this.plain(value, key, owner)) : this.plain(value, key, owner));
      case 'warn':
        if (rule.harmless !== undefined && JSON.stringify(this.plain(value, key, owner)) === JSON.stringify(rule.harmless)) return;
        return this.warn(name, `${name}=${display(key, this.plain(value, key, owner))}: ${rule.reason}`);
      case 'dict': {
        if (!isDict(value)) return this.fail(key, `${name} must be a dict; found ${typeName(value)}`, owner);
        for (const [subKey, subValue] of Object.entries(value)) {
          const subRule = rule.fields[subKey];
          if (subRule) {
            this.apply({ ...options, rule: subRule, key: subKey, value: subValue, owner: value, prefix: name });
          } else if (rule.unknown === 'extra-args') {
            this.extraArgument(subKey, this.plain(subValue, subKey, value), `${name}.${subKey}`);
          } else if (rule.unknown === 'warn') {
            this.warn(
              `${name}.${subKey}`,
              `${name}.${subKey}=${display(subKey, this.plain(subValue, subKey, value))} is not applied: sextant passes only ${Object.keys(rule.fields).join(', ')} of ${name}`,
            );
          } else {
            setPath(this.output, `${rule.unknown.collectInto}.${subKey}`, this.plain(subValue, subKey, value));
          }
        }
        return;
      }
      case 'special':
        return this.special(rule.name, { key, value, owner, name, mapping: options.mapping });
      default: {
        const unreachable: never = rule;
        throw new TypeError(`unknown rule ${JSON.stringify(unreachable)}`);
      }
    }
  }

  private extraArgument(key: string, value: unknown, name: string): void {
    const flag = `--${key.replace(/_/g, '-')}`;
    const extra = (this.output.extraArgs as string[] | undefined) ?? [];
    if (value === true) extra.push(flag);
    else if (value === false || value === null) return this.warn(name, `${name}=${String(value)} is not passed (vllm serve takes flags, not false)`);
    else extra.push(flag, typeof value === 'string' ? value : JSON.stringify(value));
    this.output.extraArgs = extra;
  }

  private special(field: SpecialField, options: { key: string; value: PythonValue; owner: PythonDict; name: string; mapping: ModelClassMapping }): void {
    const { key, owner, name, mapping } = options;
    const value = this.plain(options.value, key, owner);
    switch (field) {
      case 'meta-template':
        return this.metaTemplate(options.value, mapping);
      case 'stop-words': {
        if (!Array.isArray(value)) return this.fail(key, `${name} must be a list of strings`, owner);
        const strings = value.filter((entry): entry is string => typeof entry === 'string');
        if (strings.length < value.length)
          this.warn(name, `${name}: token ids (${value.filter((entry) => typeof entry !== 'string').join(', ')}) cannot be sent; only strings stop an answer`);
        this.output.stopWords = [...((this.output.stopWords as string[] | undefined) ?? []), ...strings];
        return;
      }
      case 'end-str':
        if (typeof value !== 'string') return this.fail(key, `${name} must be a string`, owner);
        // Cutting at end_str and stopping at it give the same answer text.
        if (mapping.type === 'lmdeploy') this.output.endStr = value;
        else this.output.stopWords = [...((this.output.stopWords as string[] | undefined) ?? []), value];
        return;
      case 'api-key': {
        const keys = (Array.isArray(value) ? value : [value])
          .flatMap((entry) => (typeof entry === 'string' ? entry.split(',') : []))
          .map((entry) => entry.trim())
          .filter(Boolean);
        if (keys.length === 0) return this.fail(key, `${name} must be a string ('ENV' reads OPENAI_API_KEY)`, owner);
        if (keys.length > 1) this.warn(name, `${name}: ${keys.length} keys given; sextant does not rotate keys and uses the first`);
        // 'ENV' is OpenCompass's "read OPENAI_API_KEY", which sextant does when apiKey is absent.
        if (keys[0] !== 'ENV') this.output.apiKey = keys[0];
        return;
      }
      case 'api-base': {
        const bases = Array.isArray(value) ? value : [value];
        if (!bases.every((entry) => typeof entry === 'string')) return this.fail(key, `${name} must be a URL or a list of URLs`, owner);
        const trimmed = (bases as string[]).map((base) =>
          base
            .replace(/\/+$/, '')
            .replace(/\/chat\/completions$/, '')
            .replace(/\/completions$/, ''),
        );
        this.output.apiBase = trimmed.length === 1 ? trimmed[0] : trimmed;
        return;
      }
      case 'lmdeploy-backend':
        if (value !== 'turbomind') this.warn(name, `${name}=${display(key, value)}: sextant launches lmdeploy with --backend turbomind`);
        return;
      case 'do-sample':
        if (value === false) {
          // OpenCompass forces greedy decoding unless sampling is asked for; temperature 0 is greedy on the servers sextant calls.
          if (mapping.type === 'lmdeploy') setPath(this.output, 'genConfig.temperature', 0);
          else setPath(this.output, 'generationKwargs.temperature', 0);
          return;
        }
        return this.warn(name, `${name}=${display(key, value)}: do_sample is not sent; the sampling fields given (temperature, top_p, top_k) are`);
      default: {
        const unreachable: never = field;
        throw new TypeError(`unknown field handler ${String(unreachable)}`);
      }
    }
  }

  private metaTemplate(value: PythonValue, mapping: ModelClassMapping): void {
    const name = 'meta_template';
    const chat = mapping.fixed.mode === 'chat' || mapping.fixed.promptStyle === 'chat' || mapping.fixed.hfType === 'chat';
    if (!isDict(value)) return this.fail(name, `meta_template must be a dict(round=[...]); found ${typeName(value)}`);
    if (chat) {
      // For chat messages a meta template only names roles, which sextant maps the same way; strings around turns cannot apply.
      const plain = JSON.stringify(this.plain(value, name, this.context.dict));
      if (/"(begin|end|eos_token_id)"/.test(plain))
        this.warn(name, 'the begin/end strings of meta_template are not used for chat messages (HUMAN, BOT and SYSTEM become user, assistant and system)');
      return;
    }
    const template: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(value)) {
      if (key === 'begin' && typeof entry === 'string') template.begin = entry;
      else if (key === 'round') template.round = this.rounds(entry, value);
      else
        this.warn(
          `${name}.${key}`,
          `${name}.${key}=${display(key, this.plain(entry, key, value))} is not applied: sextant uses begin and round${key === 'eos_token_id' ? ' (stop strings come from end_str and stop_words)' : ''}`,
        );
    }
    if (!template.round) return this.fail(name, 'meta_template needs round=[dict(role=..., ...), ...]');
    this.output.metaTemplate = template;
  }

  private rounds(value: PythonValue, owner: PythonDict): unknown[] {
    if (!Array.isArray(value)) return this.fail('round', 'meta_template.round must be a list of dicts', owner);
    return value.map((turn, index) => {
      if (!isDict(turn)) return this.fail('round', `meta_template.round[${index}] must be a dict(role=..., begin=..., end=...)`, owner);
      const result: Record<string, unknown> = {};
      for (const [key, entry] of Object.entries(turn)) {
        if (key === 'role' || key === 'begin' || key === 'end' || key === 'generate') result[key] = this.plain(entry, key, turn);
        else this.warn(`meta_template.round[${index}].${key}`, `meta_template.round[${index}].${key} is not applied`);
      }
      return result;
    });
  }

  /** The JSON value of a literal; an imported class or dataset list where a plain value belongs is an error at its field. */
  private plain(value: PythonValue, key: string, owner: PythonDict): unknown {
    if (value instanceof PythonImport || value instanceof ImportedDatasets) {
      return this.fail(key, `${key}: ${typeName(value)} cannot be used as a value here`, owner);
    }
    if (Array.isArray(value)) return value.map((entry) => this.plain(entry, key, owner));
    if (isDict(value)) return Object.fromEntries(Object.entries(value).map(([entryKey, entry]) => [entryKey, this.plain(entry, key, owner)]));
    return value;
  }
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let current = target;
  for (const key of keys.slice(0, -1)) {
    if (typeof current[key] !== 'object' || current[key] === null) current[key] = {};
    current = current[key] as Record<string, unknown>;
  }
  current[keys[keys.length - 1] as string] = value;
}

/** A value for a warning; anything that looks like a secret is never shown. */
function display(key: string, value: unknown): string {
  if (/key|token|secret|password/i.test(key) && typeof value === 'string') return '<redacted>';
  return JSON.stringify(value) ?? String(value);
}
