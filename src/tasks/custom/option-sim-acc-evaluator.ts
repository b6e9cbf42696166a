import { firstOptionPostprocess } from '../../postprocess/index.js';
import type { EvaluationInput, EvaluationResult, Evaluator } from '../../spec/index.js';
import { levenshtein } from '../../utils/closest-names.js';
import { accuracy } from '../../metrics/index.js';
import { pythonStr } from '../../evaluators/index.js';
import { stripPythonWhitespace } from '../../postprocess/strip-python-whitespace.js';

/**
 * OpenCompass's `OptionSimAccEvaluator` (custom multiple-choice datasets in gen mode): the option a free-text
 * answer chose, found in this order: the stripped answer is a letter; `first_option_postprocess` without its cushion
 * patterns; the one option whose text occurs in the answer (case-insensitive); else the option whose letter, text
 * or `X. text` is closest by edit distance (ties: the earlier letter). `accuracy` is 100 × the share parsed equal to
 * the reference. Needs each sample's option texts as `evaluatorInput` (`{A: …, B: …}`). Details: `pred` (the raw
 * answer), `parsed`, `refr`, `correct`, as OpenCompass writes them.
 */
export function optionSimAccEvaluator(options: readonly string[]): Evaluator {
  const letters = options.join('');
  const parse = (prediction: string, texts: Readonly<Record<string, unknown>>): string => {
    const pred = stripPythonWhitespace(prediction);
    if (options.includes(pred)) return pred;
    const found = firstOptionPostprocess(pred, { options: letters, cushion: false });
    if (found !== '') return found;
    const lower = pred.toLowerCase();
    const containing = options.filter((option) => typeof texts[option] === 'string' && lower.includes((texts[option] as string).toLowerCase()));
    if (containing.length === 1) return containing[0] as string;
    let best: { distance: number; option: string } | undefined;
    for (const option of options) {
      const text = texts[option];
      if (typeof text !== 'string') continue;
      const distance = Math.min(...[option, text, `${option}. ${text}`].map((candidate) => levenshtein(pred, candidate)));
      if (!best || distance < best.distance || (distance === best.distance && option < best.option)) best = { distance, option };
    }
    return best?.option ?? '';
  };
  return {
    name: 'OptionSimAccEvaluator',
    metrics: ['accuracy'],
    evaluate(input: EvaluationInput): EvaluationResult {
      const references = input.references.map(pythonStr);
      const parsed = input.predictions.map((prediction, index) => parse(prediction, input.evaluatorInputs[index] ?? {}));
      const samples = parsed.map((choice, index) => ({
        correct: choice === references[index],
        pred: input.predictions[index] as string,
        fields: { parsed: choice, refr: references[index] as string },
      }));
      return { metrics: { accuracy: accuracy(parsed, references) }, samples };
    },
  };
}
