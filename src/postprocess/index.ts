export { firstCapitalPostprocess } from './first-capital-postprocess.js';
export {
  defaultFusedPatternQuirk,
  firstOptionPostprocess,
  type FirstOptionPostprocessOptions,
} from './first-option-postprocess.js';
export { getPostprocessor, postprocessors, type PostprocessorName } from './postprocessors.js';
export { compilePythonPattern } from './compile-python-pattern.js';
export { matchAnswerPattern } from './match-answer-pattern.js';
export { legacyMathEquivalent, stripStringV2 } from './legacy-math-equivalence.js';
export { normalizeMathAnswer, parseMathAnswer, type MathAnswer } from './math-answer-structure.js';
export { extractBoxedAnswer, mathPostprocessV2, normalizeFinalAnswer, removeBoxed } from './math-postprocess-v2.js';
export { extractFinalAnswer, goldFinalAnswer, lastBoxedAnswer, loadSymbolicMathJudge, type SymbolicMathJudge } from './symbolic-math-judge.js';
export { lastBoxedOnlyString } from './agieval-math-answer.js';
