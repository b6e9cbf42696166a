import type { SummarizerDefinition } from '../spec/index.js';

/**
 * Suite-level summarizers (OpenCompass `configs/summarizers/*.py`), chosen with `--summarizer NAME` or the config's
 * `summarizer: { name }`. Rows name datasets or groups with the metric to show; a row whose benchmark is not in
 * the run (or not yet defined in sextant) is shown as `-`, as OpenCompass shows it.
 */
export const summarizers: readonly SummarizerDefinition[] = [
  {
    name: 'chat_OC15',
    description:
      "OpenCompass's chat_OC15 overview rows (configs/summarizers/chat_OC15.py), without its `average` row (a mean over [abbr, metric] pairs, which sextant's groups do not express yet)",
    rows: [
      { abbr: 'mmlu', metric: 'naive_average' },
      { abbr: 'cmmlu', metric: 'naive_average' },
      { abbr: 'ceval', metric: 'naive_average' },
      { abbr: 'GaokaoBench', metric: 'weighted_average' },
      { abbr: 'triviaqa_wiki_1shot', metric: 'score' },
      { abbr: 'nq_open_1shot', metric: 'score' },
      { abbr: 'race-high', metric: 'accuracy' },
      { abbr: 'winogrande', metric: 'accuracy' },
      { abbr: 'hellaswag', metric: 'accuracy' },
      { abbr: 'bbh', metric: 'naive_average' },
      { abbr: 'gsm8k', metric: 'accuracy' },
      { abbr: 'math', metric: 'accuracy' },
      { abbr: 'TheoremQA', metric: 'score' },
      { abbr: 'openai_humaneval', metric: 'humaneval_pass@1' },
      { abbr: 'sanitized_mbpp', metric: 'score' },
      { abbr: 'GPQA_diamond', metric: 'accuracy' },
      { abbr: 'IFEval', metric: 'Prompt-level-strict-accuracy' },
    ],
  },
];
