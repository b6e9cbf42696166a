// Stand-in types for node-llama-cpp, used by tsc only when the optional package is not installed (tsconfig.json
// `paths` tries the real package first). Everything is `any`, so the build never depends on the optional package;
// with it installed, tsc checks against its real types. At run time its absence is reported by `importNodeLlamaCpp`.
export type ChatHistoryItem = any;
export type ChatWrapper = any;
export type ControlledEvaluateInputItem = any;
export type Llama = any;
export type LlamaCompletion = any;
export type LlamaContext = any;
export type LlamaContextSequence = any;
export type LlamaModel = any;
export type LlamaText = any;
export type Token = any;
export type Tokenizer = any;
export declare const getLlama: any;
export declare const readGgufFileInfo: any;
export declare const GeneralChatWrapper: any;
export declare const JinjaTemplateChatWrapper: any;
export declare const LlamaCompletion: any;
export declare const LlamaLogLevel: any;
