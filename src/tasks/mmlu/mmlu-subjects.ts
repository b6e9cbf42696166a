/**
 * The 57 MMLU subjects in OpenCompass's config order (`mmlu_all_sets`; also the summary row order), the category of
 * `summarizers/groups/mmlu.py`, and the number of test rows (the weights of `mmlu-weighted`; they sum to 14,042).
 */
export type MmluCategory = 'humanities' | 'stem' | 'social-science' | 'other';

export interface MmluSubject {
  readonly key: string;
  readonly category: MmluCategory;
  readonly testCount: number;
}

export const mmluSubjects: readonly MmluSubject[] = [
  { key: 'college_biology', category: 'stem', testCount: 144 },
  { key: 'college_chemistry', category: 'stem', testCount: 100 },
  { key: 'college_computer_science', category: 'stem', testCount: 100 },
  { key: 'college_mathematics', category: 'stem', testCount: 100 },
  { key: 'college_physics', category: 'stem', testCount: 102 },
  { key: 'electrical_engineering', category: 'stem', testCount: 145 },
  { key: 'astronomy', category: 'stem', testCount: 152 },
  { key: 'anatomy', category: 'stem', testCount: 135 },
  { key: 'abstract_algebra', category: 'stem', testCount: 100 },
  { key: 'machine_learning', category: 'stem', testCount: 112 },
  { key: 'clinical_knowledge', category: 'other', testCount: 265 },
  { key: 'global_facts', category: 'other', testCount: 100 },
  { key: 'management', category: 'other', testCount: 103 },
  { key: 'nutrition', category: 'other', testCount: 306 },
  { key: 'marketing', category: 'other', testCount: 234 },
  { key: 'professional_accounting', category: 'other', testCount: 282 },
  { key: 'high_school_geography', category: 'social-science', testCount: 198 },
  { key: 'international_law', category: 'humanities', testCount: 121 },
  { key: 'moral_scenarios', category: 'humanities', testCount: 895 },
  { key: 'computer_security', category: 'stem', testCount: 100 },
  { key: 'high_school_microeconomics', category: 'social-science', testCount: 238 },
  { key: 'professional_law', category: 'humanities', testCount: 1534 },
  { key: 'medical_genetics', category: 'other', testCount: 100 },
  { key: 'professional_psychology', category: 'social-science', testCount: 612 },
  { key: 'jurisprudence', category: 'humanities', testCount: 108 },
  { key: 'world_religions', category: 'humanities', testCount: 171 },
  { key: 'philosophy', category: 'humanities', testCount: 311 },
  { key: 'virology', category: 'other', testCount: 166 },
  { key: 'high_school_chemistry', category: 'stem', testCount: 203 },
  { key: 'public_relations', category: 'social-science', testCount: 110 },
  { key: 'high_school_macroeconomics', category: 'social-science', testCount: 390 },
  { key: 'human_sexuality', category: 'social-science', testCount: 131 },
  { key: 'elementary_mathematics', category: 'stem', testCount: 378 },
  { key: 'high_school_physics', category: 'stem', testCount: 151 },
  { key: 'high_school_computer_science', category: 'stem', testCount: 100 },
  { key: 'high_school_european_history', category: 'humanities', testCount: 165 },
  { key: 'business_ethics', category: 'other', testCount: 100 },
  { key: 'moral_disputes', category: 'humanities', testCount: 346 },
  { key: 'high_school_statistics', category: 'stem', testCount: 216 },
  { key: 'miscellaneous', category: 'other', testCount: 783 },
  { key: 'formal_logic', category: 'humanities', testCount: 126 },
  { key: 'high_school_government_and_politics', category: 'social-science', testCount: 193 },
  { key: 'prehistory', category: 'humanities', testCount: 324 },
  { key: 'security_studies', category: 'social-science', testCount: 245 },
  { key: 'high_school_biology', category: 'stem', testCount: 310 },
  { key: 'logical_fallacies', category: 'humanities', testCount: 163 },
  { key: 'high_school_world_history', category: 'humanities', testCount: 237 },
  { key: 'professional_medicine', category: 'other', testCount: 272 },
  { key: 'high_school_mathematics', category: 'stem', testCount: 270 },
  { key: 'college_medicine', category: 'other', testCount: 173 },
  { key: 'high_school_us_history', category: 'humanities', testCount: 204 },
  { key: 'sociology', category: 'social-science', testCount: 201 },
  { key: 'econometrics', category: 'social-science', testCount: 114 },
  { key: 'high_school_psychology', category: 'social-science', testCount: 545 },
  { key: 'human_aging', category: 'other', testCount: 223 },
  { key: 'us_foreign_policy', category: 'social-science', testCount: 100 },
  { key: 'conceptual_physics', category: 'stem', testCount: 235 },
];

/** Each category's subjects in the order of OpenCompass's group lists (alphabetical), which `mmlu` concatenates. */
export const mmluCategorySubjects: Readonly<Record<MmluCategory, readonly string[]>> = {
  'humanities': ['formal_logic', 'high_school_european_history', 'high_school_us_history', 'high_school_world_history', 'international_law', 'jurisprudence', 'logical_fallacies', 'moral_disputes', 'moral_scenarios', 'philosophy', 'prehistory', 'professional_law', 'world_religions'],
  'stem': ['abstract_algebra', 'anatomy', 'astronomy', 'college_biology', 'college_chemistry', 'college_computer_science', 'college_mathematics', 'college_physics', 'computer_security', 'conceptual_physics', 'electrical_engineering', 'elementary_mathematics', 'high_school_biology', 'high_school_chemistry', 'high_school_computer_science', 'high_school_mathematics', 'high_school_physics', 'high_school_statistics', 'machine_learning'],
  'social-science': ['econometrics', 'high_school_geography', 'high_school_government_and_politics', 'high_school_macroeconomics', 'high_school_microeconomics', 'high_school_psychology', 'human_sexuality', 'professional_psychology', 'public_relations', 'security_studies', 'sociology', 'us_foreign_policy'],
  'other': ['business_ethics', 'clinical_knowledge', 'college_medicine', 'global_facts', 'human_aging', 'management', 'marketing', 'medical_genetics', 'miscellaneous', 'nutrition', 'professional_accounting', 'professional_medicine', 'virology'],
};
