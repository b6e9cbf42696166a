import type { SummarizerDefinition, SummaryGroup } from '../spec/index.js';

/** chat_OC15's `average` (configs/summarizers/chat_OC15.py `other_summary_groups`): [abbr, metric] pairs. */
const oc15AveragePairs: ReadonlyArray<readonly [string, string]> = [
  ['mmlu', 'naive_average'],
  ['cmmlu', 'naive_average'],
  ['ceval', 'naive_average'],
  ['GaokaoBench', 'weighted_average'],
  ['triviaqa_wiki_1shot', 'score'],
  ['nq_open_1shot', 'score'],
  ['race-high', 'accuracy'],
  ['winogrande', 'accuracy'],
  ['hellaswag', 'accuracy'],
  ['bbh', 'naive_average'],
  ['gsm8k', 'accuracy'],
  ['math', 'accuracy'],
  ['TheoremQA', 'score'],
  ['openai_humaneval', 'humaneval_pass@1'],
  ['sanitized_mbpp', 'score'],
  ['GPQA_diamond', 'accuracy'],
  ['IFEval', 'Prompt-level-strict-accuracy'],
];

const averageOver = (average: SummaryGroup['average']): SummaryGroup => ({
  name: 'average',
  subsets: oc15AveragePairs.map(([abbr]) => abbr),
  metrics: oc15AveragePairs.map(([, metric]) => metric),
  average,
});

/**
 * Suite-level summarizers (OpenCompass `configs/summarizers/*.py`), chosen with `--summarizer NAME` or the config's
 * `summarizer: { name }`. Rows name datasets or groups with the metric to show; a row whose benchmark is not in
 * the run (or not yet defined in sextant) is shown as `-`, as OpenCompass shows it.
 */
export const summarizers: readonly SummarizerDefinition[] = [
  {
    name: 'chat_OC15',
    description:
      "OpenCompass's chat_OC15 overview rows (configs/summarizers/chat_OC15.py). Its `average` is the mean of 17 [abbr, metric] pairs, an error row (`-`) while any is missing (GaokaoBench, TriviaQA, RACE, … are not defined in sextant yet); sextant adds the mean of those available, labelled as its own and kept out of OpenCompass's csv",
    rows: [{ abbr: 'average', metric: 'naive_average' }, ...oc15AveragePairs.map(([abbr, metric]) => ({ abbr, metric }))],
    groups: [averageOver('naive'), averageOver('available')],
  },
];
