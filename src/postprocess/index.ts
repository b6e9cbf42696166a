export { firstCapitalPostprocess } from './first-capital-postprocess.js';
export {
  defaultFusedPatternQuirk,
  firstOptionPostprocess,
  type FirstOptionPostprocessOptions,
} from './first-option-postprocess.js';
export { getPostprocessor, postprocessors, type PostprocessorName } from './postprocessors.js';
export { compilePythonPattern } from './compile-python-pattern.js';
export { matchAnswerPattern } from './match-answer-pattern.js';
