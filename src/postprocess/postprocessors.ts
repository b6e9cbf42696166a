import { firstCapitalPostprocess } from './first-capital-postprocess.js';
import { firstOptionPostprocess } from './first-option-postprocess.js';

/** The postprocessor names dataset configs may use, spelled as in OpenCompass. */
export type PostprocessorName = 'first_capital_postprocess' | 'first_option_postprocess';

/**
 * Every named postprocessor, ready to apply to one raw prediction. `first_option_postprocess` uses options
 * `'ABCD'`, the cushion patterns and OpenCompass's fused-pattern behaviour (its defaults for C-Eval).
 */
export const postprocessors: Readonly<Record<PostprocessorName, (text: string) => string>> = {
  first_capital_postprocess: firstCapitalPostprocess,
  first_option_postprocess: (text: string) => firstOptionPostprocess(text, { options: 'ABCD' }),
};

/** Looks a postprocessor up by name; throws an `Error` naming the unknown name and listing the known ones. */
export function getPostprocessor(name: string): (text: string) => string {
  if (!Object.hasOwn(postprocessors, name)) {
    const known = Object.keys(postprocessors).join(', ');
    throw new Error(`Unknown postprocessor ${JSON.stringify(name)}; known postprocessors: ${known}`);
  }
  return postprocessors[name as PostprocessorName];
}
