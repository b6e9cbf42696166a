/** How a BBH task is scored: `bbh_mcq_postprocess` + exact match, or the free-form normaliser. */
export type BbhTaskKind = 'mcq' | 'freeform';

export interface BbhTask {
  readonly name: string;
  readonly kind: BbhTaskKind;
  /** OpenCompass's version of the task in `bbh_gen_ee62e9` (HEAD) and in the legacy `bbh_gen_5b92b0`. */
  readonly versions: { readonly head: string; readonly legacy: string };
}

/**
 * The 27 tasks in `bbh_gen_ee62e9`'s order (17 multiple-choice, then 10 free-form), also the summary order.
 * Versions hash the prompt file's text, so they are listed here (the loader checks the file against them):
 * the names must be known before any data is read. Computed from the BIG-Bench-Hard prompt files and checked
 * against the reference's test vectors and file suffixes in `bbh-benchmark.test.ts`.
 */
export const bbhTasks: readonly BbhTask[] = (
  [
    ['temporal_sequences', 'mcq', '82454f', 'e43931'],
    ['disambiguation_qa', 'mcq', '2c4c72', 'd52c61'],
    ['date_understanding', 'mcq', 'fb1dc5', 'a8000b'],
    ['tracking_shuffled_objects_three_objects', 'mcq', 'e2c658', '7964c0'],
    ['penguins_in_a_table', 'mcq', 'd7ffbf', 'fceb27'],
    ['geometric_shapes', 'mcq', '2aeca5', '503c8f'],
    ['snarks', 'mcq', 'b56ed1', '42d6ca'],
    ['ruin_names', 'mcq', '737636', '408de8'],
    ['tracking_shuffled_objects_seven_objects', 'mcq', 'e2c658', '7964c0'],
    ['tracking_shuffled_objects_five_objects', 'mcq', 'e2c658', '7964c0'],
    ['logical_deduction_three_objects', 'mcq', '8a3469', '45ebc5'],
    ['hyperbaton', 'mcq', '61fabe', '5e5016'],
    ['logical_deduction_five_objects', 'mcq', '8a3469', '45ebc5'],
    ['logical_deduction_seven_objects', 'mcq', '8a3469', '45ebc5'],
    ['movie_recommendation', 'mcq', '051d97', 'cc2fde'],
    ['salient_translation_error_detection', 'mcq', '77f57c', '5b5f35'],
    ['reasoning_about_colored_objects', 'mcq', 'b4d0a0', '1cb761'],
    ['multistep_arithmetic_two', 'freeform', 'f6f58e', '30f91e'],
    ['navigate', 'freeform', '6fe513', '1576d9'],
    ['dyck_languages', 'freeform', 'c2f601', '805bea'],
    ['word_sorting', 'freeform', 'c389d4', '9a3f78'],
    ['sports_understanding', 'freeform', 'c247fe', 'd3fa77'],
    ['boolean_expressions', 'freeform', '244d2c', '612c92'],
    ['object_counting', 'freeform', '77878f', '781e5c'],
    ['formal_fallacies', 'freeform', '1bdd80', 'eada96'],
    ['causal_judgement', 'freeform', '52e10f', '89eaa4'],
    ['web_of_lies', 'freeform', '33a8ea', '0c0441'],
  ] as const
).map(([name, kind, head, legacy]) => ({ name, kind, versions: { head, legacy } }));
