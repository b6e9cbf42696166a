import { describe, expect, it } from 'vitest';
import { renderBaseText } from '../prompts/index.js';
import { createSampleRenderer } from './create-sample-renderer.js';
import type { InferConfig } from './opencompass-infer-config.js';

const examples = [
  { q: 'e1', gold: 'A' },
  { q: 'e2', gold: 'B' },
];

describe('createSampleRenderer', () => {
  it('gen, prompt template with no BOT turn: an empty BOT slot is appended', () => {
    const config: InferConfig = {
      promptTemplate: { template: { round: [{ role: 'HUMAN', prompt: 'Q {q}' }] } },
      retriever: { kind: 'zero' },
      inferencer: { kind: 'gen' },
    };
    const renderer = createSampleRenderer({ inferConfig: config, examples: [], outputColumn: 'gold' });
    expect(renderer.exampleCount).toBe(0);
    expect(renderer.render({ q: 'x', gold: 'B' }).dialogue).toEqual([
      { type: 'turn', role: 'HUMAN', prompt: 'Q x' },
      { type: 'turn', role: 'BOT', prompt: '', generation: true },
    ]);
  });

  it('gen, separate ice and prompt templates: examples from the ice round, spliced at the ice token, no separators', () => {
    const config: InferConfig = {
      iceTemplate: {
        template: {
          round: [
            { role: 'HUMAN', prompt: 'Q {q}' },
            { role: 'BOT', prompt: '{gold}\n' },
          ],
        },
      },
      promptTemplate: { template: { begin: '</E>', round: [{ role: 'HUMAN', prompt: 'Q {q}' }] }, iceToken: '</E>' },
      retriever: { kind: 'fix-k', fixIdList: [0, 1] },
      inferencer: { kind: 'gen' },
    };
    const renderer = createSampleRenderer({ inferConfig: config, examples, outputColumn: 'gold' });
    const row = { q: 'x', gold: 'B' };
    expect(renderBaseText(renderer.render(row).dialogue)).toBe('Q e1\nA\n\nQ e2\nB\n\nQ x');
    expect(renderBaseText(renderer.render(row, 1).dialogue)).toBe('Q e1\nA\n\nQ x');
    expect(renderBaseText(renderer.render(row, 0).dialogue)).toBe('Q x');
    // The scored row's output column is blanked before filling.
    expect(renderer.render({ q: '{gold}', gold: 'B' }).dialogue.at(-2)).toEqual({ type: 'turn', role: 'HUMAN', prompt: 'Q ' });
  });

  it('ppl, plain strings: examples joined by "\\n" plus a final "\\n" at the ice token; the row filled after', () => {
    const config: InferConfig = {
      iceTemplate: { template: { A: '{q}: A\n', B: '{q}: B\n' } },
      promptTemplate: { template: { A: 'H\n</E>{q}: A', B: 'H\n</E>{q}: B' }, iceToken: '</E>' },
      retriever: { kind: 'fix-k', fixIdList: [0, 1] },
      inferencer: { kind: 'ppl' },
    };
    const renderer = createSampleRenderer({ inferConfig: config, examples, outputColumn: 'gold' });
    const rendered = renderer.render({ q: 'x', gold: 'A' });
    expect(rendered.candidates?.map((candidate) => [candidate.label, renderBaseText(candidate.dialogue), renderBaseText(candidate.withoutExamples)])).toEqual([
      ['A', 'H\ne1: A\n\ne2: B\n\nx: A', 'H\nx: A'],
      ['B', 'H\ne1: A\n\ne2: B\n\nx: B', 'H\nx: B'],
    ]);
    expect(rendered.dialogue).toEqual(rendered.candidates?.[0]?.dialogue);
    // With no examples kept, OpenCompass's retriever still emits its end token "\n".
    expect(renderBaseText(renderer.render({ q: 'x', gold: 'A' }, 0).candidates![0]!.dialogue)).toBe('H\n\nx: A');
  });

  it('ppl, plain strings without an ice template (PIQA): integer labels in order', () => {
    const config: InferConfig = { promptTemplate: { template: { 0: 'a {q}', 1: 'b {q}' } }, retriever: { kind: 'zero' }, inferencer: { kind: 'ppl' } };
    const rendered = createSampleRenderer({ inferConfig: config, examples: [], outputColumn: 'label' }).render({ q: 'x', label: 1 });
    expect(rendered.candidates?.map((candidate) => [candidate.label, renderBaseText(candidate.dialogue)])).toEqual([
      ['0', 'a x'],
      ['1', 'b x'],
    ]);
  });

  it('rejects an example whose gold is not a label, and templates of the wrong shape', () => {
    const ppl: InferConfig = {
      iceTemplate: { template: { A: '{q}\n' } },
      promptTemplate: { template: { A: '</E>{q}' }, iceToken: '</E>' },
      retriever: { kind: 'fix-k', fixIdList: [0] },
      inferencer: { kind: 'ppl' },
    };
    expect(() => createSampleRenderer({ inferConfig: ppl, examples: [{ q: 'e', gold: 'C' }], outputColumn: 'gold' }).render({ q: 'x' })).toThrow(/gold "C"/);
    const genWithString: InferConfig = { promptTemplate: { template: '{q}' }, retriever: { kind: 'zero' }, inferencer: { kind: 'gen' } };
    expect(() => createSampleRenderer({ inferConfig: genWithString, examples: [], outputColumn: 'gold' }).render({ q: 'x' })).toThrow(
      /dialogue \(meta\) template/,
    );
  });
});
