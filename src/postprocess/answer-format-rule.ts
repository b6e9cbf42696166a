import type { AnswerFormat } from '../spec/index.js';

/** A test of "an answer was found" and its description, for one answer format. */
export interface AnswerRule {
  readonly description: string;
  readonly test: (answer: string) => boolean;
}

/**
 * The rule of one answer format (spec `AnswerFormat`): how the extraction audit and the viewer tell an extracted
 * answer from none found, and how they describe it.
 */
export function answerFormatRule(format: AnswerFormat | 'label'): AnswerRule {
  if (format === 'label') return { description: 'a PPL label (always)', test: () => true };
  switch (format.kind) {
    case 'options': {
      const letters = new Set(format.options);
      const listed = [...format.options].join(', ');
      return format.multiple
        ? { description: `one or more of ${listed}`, test: (answer) => answer.length > 0 && [...answer].every((letter) => letters.has(letter)) }
        : { description: `one of ${listed}`, test: (answer) => letters.has(answer) };
    }
    case 'number':
      return { description: 'a number', test: (answer) => /^[-+]?(\d[\d,]*(\.\d*)?|\.\d+)$/.test(answer.trim()) };
    case 'text':
      return { description: 'non-empty text', test: (answer) => answer.trim() !== '' };
    case 'program':
      return { description: 'a non-empty program', test: (answer) => answer.trim() !== '' };
    default: {
      const unknown: never = format;
      throw new TypeError(`unknown answer format ${JSON.stringify(unknown)}`);
    }
  }
}
