export { firstCapitalPostprocess } from './first-capital-postprocess.js';
export {
  defaultFusedPatternQuirk,
  firstOptionPostprocess,
  type FirstOptionPostprocessOptions,
} from './first-option-postprocess.js';
export { getPostprocessor, postprocessors, type PostprocessorName } from './postprocessors.js';
