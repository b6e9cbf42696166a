import type { JsonValue } from '../spec/index.js';
import type { SampleRecord } from '../store/index.js';
import type { AnswerExtractor } from './answer-extractor.js';
import { html, type SafeHtml } from './html.js';
import { isOptionLetter } from './sample-facts.js';

/** How one sample scored: the extracted answer and what the filters test. */
export interface SampleOutcome {
  readonly extracted: string;
  readonly correct: boolean;
  readonly failed: boolean;
  readonly unextracted: boolean;
}

/** Score one stored sample with its dataset's extractor (the accuracy metric's test: extracted answer equals gold). */
export function sampleOutcome(record: SampleRecord, extractor: AnswerExtractor): SampleOutcome {
  const extracted = extractor.extract(record);
  return {
    extracted,
    correct: extractor.correct?.(record) ?? extracted === goldText(record.gold),
    failed: record.error !== undefined,
    unextracted: !(extractor.found?.(extracted) ?? isOptionLetter(extracted)),
  };
}

/** Badges for an outcome: correct / wrong / failed, plus `no answer` when nothing the dataset expects was extracted. */
export function outcomeBadges(outcome: SampleOutcome): SafeHtml {
  const verdict = outcome.failed
    ? html`<span class="badge warn">failed</span>`
    : outcome.correct
      ? html`<span class="badge good">correct</span>`
      : html`<span class="badge bad">wrong</span>`;
  return html`${verdict}${outcome.unextracted && !outcome.failed ? html` <span class="badge plain">no answer</span>` : ''}`;
}

/** An extracted answer or gold for a table cell (`∅` when empty). */
export function answerText(answer: JsonValue): SafeHtml {
  const text = goldText(answer);
  return text === '' ? html`<span class="muted">∅</span>` : html`<span class="answer">${text}</span>`;
}

/** A reference as text: a string as it is, anything else (NQ's answer list, a number) as JSON. */
export function goldText(gold: JsonValue): string {
  return typeof gold === 'string' ? gold : JSON.stringify(gold);
}
