import { ConfigError } from '../spec/index.js';
import type { RunInfo } from '../store/index.js';
import { closestNames } from '../utils/index.js';
import type { RunModelInfo } from './read-model-run.js';

/** The two models a comparison reads: side A and side B. */
export interface ComparedModels {
  readonly a: RunModelInfo;
  readonly b: RunModelInfo;
}

/**
 * Picks the models to compare.
 * - Two runs: `models` may be empty (each run must then hold exactly one model), one abbr (used in both runs), or two
 *   abbrs (A's model, then B's).
 * - One run (`b` omitted): `models` must name two different models of it.
 *
 * @throws {ConfigError} for a missing or ambiguous choice, naming the run and the models it holds.
 */
export function selectComparedModels(options: { a: RunInfo; b?: RunInfo; models?: readonly string[] }): ComparedModels {
  const models = options.models ?? [];
  if (models.length > 2) throw new ConfigError({ field: '--models', message: `give one or two model abbrs, got ${models.length}` });
  if (!options.b) {
    const [first, second] = models;
    if (first === undefined || second === undefined || first === second) {
      throw new ConfigError({
        field: '--models',
        message: `comparing within one run needs two different model abbrs (models in ${options.a.root}: ${listModels(options.a)})`,
      });
    }
    return { a: selectRunModel({ info: options.a, abbr: first }), b: selectRunModel({ info: options.a, abbr: second }) };
  }
  const [first, second = first] = models;
  return { a: selectRunModel({ info: options.a, abbr: first }), b: selectRunModel({ info: options.b, abbr: second }) };
}

/**
 * One model of a run: the one named `abbr`, or with `abbr` omitted the run's only model.
 *
 * @param options.flag the CLI flag that names models, for messages. @default '--models'
 * @throws {ConfigError} when the model is missing (with close names) or the choice is ambiguous.
 */
export function selectRunModel(options: { info: RunInfo; abbr?: string | undefined; flag?: string }): RunModelInfo {
  const { info, abbr } = options;
  const flag = options.flag ?? '--models';
  if (abbr === undefined) {
    const [only, ...others] = info.models;
    if (only && others.length === 0) return only;
    throw new ConfigError({
      field: flag,
      message: `${info.root} holds ${info.models.length === 0 ? 'no models' : `several models (${listModels(info)})`}; choose with ${flag}`,
    });
  }
  const found = info.models.find((model) => model.abbr === abbr);
  if (found) return found;
  const suggestions = closestNames(
    abbr,
    info.models.map((model) => model.abbr),
  );
  throw new ConfigError({
    field: flag,
    message: `no model "${abbr}" in ${info.root}${suggestions.length > 0 ? `; did you mean "${suggestions[0]}"?` : ''} (models: ${listModels(info)})`,
  });
}

function listModels(info: RunInfo): string {
  return info.models.map((model) => model.abbr).join(', ') || 'none';
}
