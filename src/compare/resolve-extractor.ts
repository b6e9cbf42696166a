import { postprocessors, type PostprocessorName } from '../postprocess/index.js';
import { ConfigError } from '../spec/index.js';
import type { NamedExtractor } from './audit-extracted-answers.js';

/**
 * The named postprocessor as an extractor. Accepts OpenCompass's names (`first_option_postprocess`) and the short
 * forms without `_postprocess`, with `-` or `_`.
 *
 * @throws {ConfigError} for an unknown name, listing the known ones.
 */
export function resolveExtractor(name: string): NamedExtractor {
  const normalised = name.trim().replaceAll('-', '_');
  const full = normalised.endsWith('_postprocess') ? normalised : `${normalised}_postprocess`;
  if (!Object.hasOwn(postprocessors, full)) {
    throw new ConfigError({ field: '--extractor', message: `unknown extractor "${name}" (known: ${Object.keys(postprocessors).join(', ')})` });
  }
  return { name: full, extract: postprocessors[full as PostprocessorName] };
}
