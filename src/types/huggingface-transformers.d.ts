// Stand-in types for @huggingface/transformers, used by tsc only when the optional package is not installed
// (tsconfig.json `paths` tries the real package first). Everything is `any`, so the build never depends on the
// optional package; with it installed, tsc checks against its real types. At run time its absence is reported by
// `OnnxCausalLm.load`.
export type PreTrainedModel = any;
export type PreTrainedTokenizer = any;
export type Tensor = any;
export declare const AutoModelForCausalLM: any;
export declare const AutoTokenizer: any;
/** The base class `OnnxCausalLm` extends (its `_call` is overridden). */
export declare class StoppingCriteria {
  _call(input_ids: number[][], scores: number[][]): boolean[];
}
export declare const Tensor: any;
export declare const env: any;
