/**
 * The 52 C-Eval subjects in OpenCompass's config order, with their Chinese names (used in the prompt), category
 * and membership of the `ceval-hard` group. `valCount` is the number of val questions (they sum to 1,346).
 */
export type CevalCategory = 'stem' | 'social-science' | 'humanities' | 'other';

export interface CevalSubject {
  readonly key: string;
  readonly chineseName: string;
  readonly category: CevalCategory;
  readonly hard: boolean;
  readonly valCount: number;
}

export const cevalSubjects: readonly CevalSubject[] = [
  { key: 'computer_network', chineseName: '计算机网络', category: 'stem', hard: false, valCount: 19 },
  { key: 'operating_system', chineseName: '操作系统', category: 'stem', hard: false, valCount: 19 },
  { key: 'computer_architecture', chineseName: '计算机组成', category: 'stem', hard: false, valCount: 21 },
  { key: 'college_programming', chineseName: '大学编程', category: 'stem', hard: false, valCount: 37 },
  { key: 'college_physics', chineseName: '大学物理', category: 'stem', hard: true, valCount: 19 },
  { key: 'college_chemistry', chineseName: '大学化学', category: 'stem', hard: true, valCount: 24 },
  { key: 'advanced_mathematics', chineseName: '高等数学', category: 'stem', hard: true, valCount: 19 },
  { key: 'probability_and_statistics', chineseName: '概率统计', category: 'stem', hard: true, valCount: 18 },
  { key: 'discrete_mathematics', chineseName: '离散数学', category: 'stem', hard: true, valCount: 16 },
  { key: 'electrical_engineer', chineseName: '注册电气工程师', category: 'stem', hard: false, valCount: 37 },
  { key: 'metrology_engineer', chineseName: '注册计量师', category: 'stem', hard: false, valCount: 24 },
  { key: 'high_school_mathematics', chineseName: '高中数学', category: 'stem', hard: true, valCount: 18 },
  { key: 'high_school_physics', chineseName: '高中物理', category: 'stem', hard: true, valCount: 19 },
  { key: 'high_school_chemistry', chineseName: '高中化学', category: 'stem', hard: true, valCount: 19 },
  { key: 'high_school_biology', chineseName: '高中生物', category: 'stem', hard: false, valCount: 19 },
  { key: 'middle_school_mathematics', chineseName: '初中数学', category: 'stem', hard: false, valCount: 19 },
  { key: 'middle_school_biology', chineseName: '初中生物', category: 'stem', hard: false, valCount: 21 },
  { key: 'middle_school_physics', chineseName: '初中物理', category: 'stem', hard: false, valCount: 19 },
  { key: 'middle_school_chemistry', chineseName: '初中化学', category: 'stem', hard: false, valCount: 20 },
  { key: 'veterinary_medicine', chineseName: '兽医学', category: 'stem', hard: false, valCount: 23 },
  { key: 'college_economics', chineseName: '大学经济学', category: 'social-science', hard: false, valCount: 55 },
  { key: 'business_administration', chineseName: '工商管理', category: 'social-science', hard: false, valCount: 33 },
  { key: 'marxism', chineseName: '马克思主义基本原理', category: 'social-science', hard: false, valCount: 19 },
  { key: 'mao_zedong_thought', chineseName: '毛泽东思想和中国特色社会主义理论体系概论', category: 'social-science', hard: false, valCount: 24 },
  { key: 'education_science', chineseName: '教育学', category: 'social-science', hard: false, valCount: 29 },
  { key: 'teacher_qualification', chineseName: '教师资格', category: 'social-science', hard: false, valCount: 44 },
  { key: 'high_school_politics', chineseName: '高中政治', category: 'social-science', hard: false, valCount: 19 },
  { key: 'high_school_geography', chineseName: '高中地理', category: 'social-science', hard: false, valCount: 19 },
  { key: 'middle_school_politics', chineseName: '初中政治', category: 'social-science', hard: false, valCount: 21 },
  { key: 'middle_school_geography', chineseName: '初中地理', category: 'social-science', hard: false, valCount: 12 },
  { key: 'modern_chinese_history', chineseName: '近代史纲要', category: 'humanities', hard: false, valCount: 23 },
  { key: 'ideological_and_moral_cultivation', chineseName: '思想道德修养与法律基础', category: 'humanities', hard: false, valCount: 19 },
  { key: 'logic', chineseName: '逻辑学', category: 'humanities', hard: false, valCount: 22 },
  { key: 'law', chineseName: '法学', category: 'humanities', hard: false, valCount: 24 },
  { key: 'chinese_language_and_literature', chineseName: '中国语言文学', category: 'humanities', hard: false, valCount: 23 },
  { key: 'art_studies', chineseName: '艺术学', category: 'humanities', hard: false, valCount: 33 },
  { key: 'professional_tour_guide', chineseName: '导游资格', category: 'humanities', hard: false, valCount: 29 },
  { key: 'legal_professional', chineseName: '法律职业资格', category: 'humanities', hard: false, valCount: 23 },
  { key: 'high_school_chinese', chineseName: '高中语文', category: 'humanities', hard: false, valCount: 19 },
  { key: 'high_school_history', chineseName: '高中历史', category: 'humanities', hard: false, valCount: 20 },
  { key: 'middle_school_history', chineseName: '初中历史', category: 'humanities', hard: false, valCount: 22 },
  { key: 'civil_servant', chineseName: '公务员', category: 'other', hard: false, valCount: 47 },
  { key: 'sports_science', chineseName: '体育学', category: 'other', hard: false, valCount: 19 },
  { key: 'plant_protection', chineseName: '植物保护', category: 'other', hard: false, valCount: 22 },
  { key: 'basic_medicine', chineseName: '基础医学', category: 'other', hard: false, valCount: 19 },
  { key: 'clinical_medicine', chineseName: '临床医学', category: 'other', hard: false, valCount: 22 },
  { key: 'urban_and_rural_planner', chineseName: '注册城乡规划师', category: 'other', hard: false, valCount: 46 },
  { key: 'accountant', chineseName: '注册会计师', category: 'other', hard: false, valCount: 49 },
  { key: 'fire_engineer', chineseName: '注册消防工程师', category: 'other', hard: false, valCount: 31 },
  { key: 'environmental_impact_assessment_engineer', chineseName: '环境影响评价工程师', category: 'other', hard: false, valCount: 31 },
  { key: 'tax_accountant', chineseName: '税务师', category: 'other', hard: false, valCount: 49 },
  { key: 'physician', chineseName: '医师资格', category: 'other', hard: false, valCount: 49 },
];
