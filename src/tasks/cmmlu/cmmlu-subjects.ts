/**
 * The 67 CMMLU subjects in OpenCompass's config order (`cmmlu_all_sets`), with the Chinese names baked into the
 * prompts, the category of `summarizers/groups/cmmlu.py`, membership of `cmmlu-china-specific`, and the number of
 * test rows (they sum to 11,582).
 */
export type CmmluCategory = 'stem' | 'humanities' | 'social-science' | 'other';

export interface CmmluSubject {
  readonly key: string;
  readonly chineseName: string;
  readonly category: CmmluCategory;
  readonly chinaSpecific: boolean;
  readonly testCount: number;
}

export const cmmluSubjects: readonly CmmluSubject[] = [
  { key: 'agronomy', chineseName: '农学', category: 'other', chinaSpecific: false, testCount: 169 },
  { key: 'anatomy', chineseName: '解剖学', category: 'stem', chinaSpecific: false, testCount: 148 },
  { key: 'ancient_chinese', chineseName: '古汉语', category: 'social-science', chinaSpecific: true, testCount: 164 },
  { key: 'arts', chineseName: '艺术学', category: 'humanities', chinaSpecific: false, testCount: 160 },
  { key: 'astronomy', chineseName: '天文学', category: 'stem', chinaSpecific: false, testCount: 165 },
  { key: 'business_ethics', chineseName: '商业伦理', category: 'social-science', chinaSpecific: false, testCount: 209 },
  { key: 'chinese_civil_service_exam', chineseName: '中国公务员考试', category: 'social-science', chinaSpecific: true, testCount: 160 },
  { key: 'chinese_driving_rule', chineseName: '中国驾驶规则', category: 'other', chinaSpecific: true, testCount: 131 },
  { key: 'chinese_food_culture', chineseName: '中国饮食文化', category: 'social-science', chinaSpecific: true, testCount: 136 },
  { key: 'chinese_foreign_policy', chineseName: '中国外交政策', category: 'social-science', chinaSpecific: true, testCount: 107 },
  { key: 'chinese_history', chineseName: '中国历史', category: 'humanities', chinaSpecific: true, testCount: 323 },
  { key: 'chinese_literature', chineseName: '中国文学', category: 'humanities', chinaSpecific: true, testCount: 204 },
  { key: 'chinese_teacher_qualification', chineseName: '中国教师资格', category: 'social-science', chinaSpecific: true, testCount: 179 },
  { key: 'clinical_knowledge', chineseName: '临床知识', category: 'other', chinaSpecific: false, testCount: 237 },
  { key: 'college_actuarial_science', chineseName: '大学精算学', category: 'stem', chinaSpecific: false, testCount: 106 },
  { key: 'college_education', chineseName: '大学教育学', category: 'social-science', chinaSpecific: false, testCount: 107 },
  { key: 'college_engineering_hydrology', chineseName: '大学工程水文学', category: 'stem', chinaSpecific: false, testCount: 106 },
  { key: 'college_law', chineseName: '大学法律', category: 'humanities', chinaSpecific: false, testCount: 108 },
  { key: 'college_mathematics', chineseName: '大学数学', category: 'stem', chinaSpecific: false, testCount: 105 },
  { key: 'college_medical_statistics', chineseName: '大学医学统计', category: 'stem', chinaSpecific: false, testCount: 106 },
  { key: 'college_medicine', chineseName: '大学医学', category: 'other', chinaSpecific: false, testCount: 273 },
  { key: 'computer_science', chineseName: '计算机科学', category: 'stem', chinaSpecific: false, testCount: 204 },
  { key: 'computer_security', chineseName: '计算机安全', category: 'other', chinaSpecific: false, testCount: 171 },
  { key: 'conceptual_physics', chineseName: '概念物理学', category: 'stem', chinaSpecific: false, testCount: 147 },
  { key: 'construction_project_management', chineseName: '建设工程管理', category: 'other', chinaSpecific: true, testCount: 139 },
  { key: 'economics', chineseName: '经济学', category: 'social-science', chinaSpecific: false, testCount: 159 },
  { key: 'education', chineseName: '教育学', category: 'social-science', chinaSpecific: false, testCount: 163 },
  { key: 'electrical_engineering', chineseName: '电气工程', category: 'stem', chinaSpecific: false, testCount: 172 },
  { key: 'elementary_chinese', chineseName: '小学语文', category: 'social-science', chinaSpecific: true, testCount: 252 },
  { key: 'elementary_commonsense', chineseName: '小学常识', category: 'other', chinaSpecific: true, testCount: 198 },
  { key: 'elementary_information_and_technology', chineseName: '小学信息技术', category: 'other', chinaSpecific: false, testCount: 238 },
  { key: 'elementary_mathematics', chineseName: '初等数学', category: 'stem', chinaSpecific: false, testCount: 230 },
  { key: 'ethnology', chineseName: '民族学', category: 'social-science', chinaSpecific: true, testCount: 135 },
  { key: 'food_science', chineseName: '食品科学', category: 'other', chinaSpecific: false, testCount: 143 },
  { key: 'genetics', chineseName: '遗传学', category: 'stem', chinaSpecific: false, testCount: 176 },
  { key: 'global_facts', chineseName: '全球事实', category: 'humanities', chinaSpecific: false, testCount: 149 },
  { key: 'high_school_biology', chineseName: '高中生物', category: 'stem', chinaSpecific: false, testCount: 169 },
  { key: 'high_school_chemistry', chineseName: '高中化学', category: 'stem', chinaSpecific: false, testCount: 132 },
  { key: 'high_school_geography', chineseName: '高中地理', category: 'social-science', chinaSpecific: false, testCount: 118 },
  { key: 'high_school_mathematics', chineseName: '高中数学', category: 'stem', chinaSpecific: false, testCount: 164 },
  { key: 'high_school_physics', chineseName: '高中物理学', category: 'stem', chinaSpecific: false, testCount: 110 },
  { key: 'high_school_politics', chineseName: '高中政治', category: 'social-science', chinaSpecific: true, testCount: 143 },
  { key: 'human_sexuality', chineseName: '人类性行为', category: 'other', chinaSpecific: false, testCount: 126 },
  { key: 'international_law', chineseName: '国际法学', category: 'humanities', chinaSpecific: false, testCount: 185 },
  { key: 'journalism', chineseName: '新闻学', category: 'social-science', chinaSpecific: false, testCount: 172 },
  { key: 'jurisprudence', chineseName: '法理学', category: 'humanities', chinaSpecific: false, testCount: 411 },
  { key: 'legal_and_moral_basis', chineseName: '法律与道德基础', category: 'other', chinaSpecific: false, testCount: 214 },
  { key: 'logical', chineseName: '逻辑学', category: 'humanities', chinaSpecific: false, testCount: 123 },
  { key: 'machine_learning', chineseName: '机器学习', category: 'stem', chinaSpecific: false, testCount: 122 },
  { key: 'management', chineseName: '管理学', category: 'social-science', chinaSpecific: false, testCount: 210 },
  { key: 'marketing', chineseName: '市场营销', category: 'social-science', chinaSpecific: false, testCount: 180 },
  { key: 'marxist_theory', chineseName: '马克思主义理论', category: 'humanities', chinaSpecific: false, testCount: 189 },
  { key: 'modern_chinese', chineseName: '现代汉语', category: 'social-science', chinaSpecific: true, testCount: 116 },
  { key: 'nutrition', chineseName: '营养学', category: 'other', chinaSpecific: false, testCount: 145 },
  { key: 'philosophy', chineseName: '哲学', category: 'humanities', chinaSpecific: false, testCount: 105 },
  { key: 'professional_accounting', chineseName: '专业会计', category: 'social-science', chinaSpecific: false, testCount: 175 },
  { key: 'professional_law', chineseName: '专业法学', category: 'humanities', chinaSpecific: false, testCount: 211 },
  { key: 'professional_medicine', chineseName: '专业医学', category: 'other', chinaSpecific: false, testCount: 376 },
  { key: 'professional_psychology', chineseName: '专业心理学', category: 'social-science', chinaSpecific: false, testCount: 232 },
  { key: 'public_relations', chineseName: '公共关系', category: 'social-science', chinaSpecific: false, testCount: 174 },
  { key: 'security_study', chineseName: '安全研究', category: 'social-science', chinaSpecific: false, testCount: 135 },
  { key: 'sociology', chineseName: '社会学', category: 'social-science', chinaSpecific: false, testCount: 226 },
  { key: 'sports_science', chineseName: '体育学', category: 'other', chinaSpecific: false, testCount: 165 },
  { key: 'traditional_chinese_medicine', chineseName: '中医中药', category: 'other', chinaSpecific: true, testCount: 185 },
  { key: 'virology', chineseName: '病毒学', category: 'stem', chinaSpecific: false, testCount: 169 },
  { key: 'world_history', chineseName: '世界历史', category: 'humanities', chinaSpecific: false, testCount: 161 },
  { key: 'world_religions', chineseName: '世界宗教', category: 'humanities', chinaSpecific: false, testCount: 160 },
];
