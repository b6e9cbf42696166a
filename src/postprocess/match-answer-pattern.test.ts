import { describe, expect, it } from 'vitest';
import { matchAnswerPattern } from './match-answer-pattern.js';

describe('matchAnswerPattern', () => {
  it('returns group 1 of the first match, or "" when there is none', () => {
    expect(matchAnswerPattern('ANSWER: A ... ANSWER: B', String.raw`(?i)ANSWER\s*:\s*([A-D])`)).toBe('A');
    expect(matchAnswerPattern('no answer here', String.raw`(?i)ANSWER\s*:\s*([A-D])`)).toBe('');
  });

  it('has no DOTALL: "." stops at a newline', () => {
    expect(matchAnswerPattern('答案.\nB', String.raw`答案.(.)`)).toBe('');
    expect(matchAnswerPattern('答案xB', String.raw`答案.(.)`)).toBe('B');
  });

  it('Python \\W: CJK characters are word characters', () => {
    expect(matchAnswerPattern('答案: 选B', String.raw`(?i)答案\s*:\s*[\W]*([A-D])[\W]*`)).toBe('');
    expect(matchAnswerPattern('答案: 【B】', String.raw`(?i)答案\s*:\s*[\W]*([A-D])[\W]*`)).toBe('B');
  });
});
