import type { TemplateRow } from './prompt-template.js';

/**
 * Fill `{key}` placeholders as OpenCompass does: plain replacement, one row key at a time in the row's key order.
 * Not a format string: unknown braces survive, and text substituted for an earlier key can be rewritten by a later
 * key (a literal `{A}` inside a question becomes option A's text). Reproduced on purpose for byte-identical prompts.
 */
export function fillTemplate(template: string, row: TemplateRow): string {
  let text = template;
  for (const [key, value] of Object.entries(row)) {
    const placeholder = `{${key}}`;
    if (text.includes(placeholder)) text = text.split(placeholder).join(String(value));
  }
  return text;
}
