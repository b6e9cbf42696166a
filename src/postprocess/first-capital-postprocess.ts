const uppercase = /^\p{Uppercase}$/u;

/**
 * OpenCompass's `first_capital_postprocess`: the first character of `text` for which Python's `str.isupper()`
 * is true, or `''` when there is none.
 *
 * The test is Unicode's Uppercase property per code point, so it is not limited to A–D: full-width `Ａ`, Greek
 * `Γ`, circled `Ⓐ` and astral `𝐀` all count (the whole code point is returned), while CJK characters, digits,
 * lowercase and titlecase letters (`ǅ`) do not. "The answer is B" gives `T`.
 */
export function firstCapitalPostprocess(text: string): string {
  for (const character of text) {
    if (uppercase.test(character)) return character;
  }
  return '';
}
