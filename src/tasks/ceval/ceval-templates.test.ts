import { describe, expect, it } from 'vitest';
import { cevalGenInferConfig, cevalPplInferConfig, cevalQuestionTemplate, cevalZeroShotInferConfig } from './ceval-templates.js';

// The reference's HUMAN-5shot / HUMAN-0shot strings (opencompass-ceval.md 3.3), with the name filled in.
const human5shot = '以下是中国关于计算机网络考试的单项选择题\uff0c请选出其中的正确答案\u3002\n{question}\nA. {A}\nB. {B}\nC. {C}\nD. {D}\n答案: ';
const human0shot =
  '以下是中国关于计算机网络考试的单项选择题\uff0c请选出其中的正确答案\u3002\n{question}\nA. {A}\nB. {B}\nC. {C}\nD. {D}\n让我们一步一步思考\u3002答案: ';

const codePoints = (text: string) => [...text].map((char) => char.codePointAt(0)!.toString(16).padStart(4, '0'));

describe('C-Eval HUMAN templates', () => {
  it('HUMAN-5shot matches the reference character by character', () => {
    const template = cevalQuestionTemplate('计算机网络', { stepByStep: false });
    expect(codePoints(template)).toEqual(codePoints(human5shot));
    expect(template).toBe(human5shot);
  });

  it('HUMAN-0shot matches the reference character by character', () => {
    const template = cevalQuestionTemplate('计算机网络', { stepByStep: true });
    expect(codePoints(template)).toEqual(codePoints(human0shot));
  });

  it('uses U+FF0C and U+3002, an ASCII colon and one trailing ASCII space', () => {
    const template = cevalQuestionTemplate('计算机网络', { stepByStep: false });
    expect(template).toContain('单项选择题\uff0c请');
    expect(template).not.toContain('单项选择题,');
    expect(template).toContain('正确答案\u3002\n');
    expect(template.endsWith('\n答案: ')).toBe(true);
    expect(template.at(-2)).toBe(':');
    expect(template.at(-1)).toBe(' ');
    expect(template).not.toContain('\uff1a');
    expect(template).toMatch(/\nA\. \{A\}\nB\. \{B\}\nC\. \{C\}\nD\. \{D\}\n/);
  });

  it('gen and zero-shot share the meta shape: begin </E>, HUMAN template, BOT {answer}', () => {
    for (const [config, human] of [
      [cevalGenInferConfig('计算机网络'), human5shot],
      [cevalZeroShotInferConfig('计算机网络'), human0shot],
    ] as const) {
      expect(config.iceTemplate).toEqual({
        template: {
          begin: '</E>',
          round: [
            { role: 'HUMAN', prompt: human },
            { role: 'BOT', prompt: '{answer}' },
          ],
        },
        iceToken: '</E>',
      });
      expect(config.promptTemplate).toBeUndefined();
    }
  });

  it('ppl: one meta dict per label whose BOT turn is the literal letter', () => {
    const config = cevalPplInferConfig('计算机网络');
    const template = config.iceTemplate?.template as unknown as Record<string, { round: ReadonlyArray<{ prompt: string }> }>;
    expect(Object.keys(template)).toEqual(['A', 'B', 'C', 'D']);
    for (const label of ['A', 'B', 'C', 'D']) {
      expect(template[label]?.round[0]?.prompt).toBe(human5shot);
      expect(template[label]?.round[1]?.prompt).toBe(label);
    }
  });
});
