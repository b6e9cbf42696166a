/** GSM8K's number pattern `\-?\d+\.\d+|\-?\d+`, with Python's Unicode `\d`. */
const numberPattern = /-?\p{Nd}+\.\p{Nd}+|-?\p{Nd}+/gu;

/**
 * OpenCompass's `gsm8k_postprocess`: the last number in the text before the first `Question:`, or `'NULL'` when
 * there is none. Commas are not removed, so `1,234` gives `234`.
 */
export function gsm8kPostprocess(text: string): string {
  const beforeNextQuestion = text.split('Question:')[0] ?? '';
  const numbers = beforeNextQuestion.match(numberPattern);
  return numbers === null ? 'NULL' : (numbers.at(-1) as string);
}

/**
 * OpenCompass's `gsm8k_dataset_postprocess`: the reference answer is the text after the first `#### `, with every
 * `,` removed. A reference without `#### ` raises in OpenCompass (IndexError); here it is an `Error` naming it.
 */
export function gsm8kDatasetPostprocess(text: string): string {
  const pieces = text.split('#### ');
  if (pieces.length < 2) throw new Error(`GSM8K reference has no "#### " answer marker: ${JSON.stringify(text.slice(-80))}`);
  return (pieces[1] as string).replaceAll(',', '');
}
