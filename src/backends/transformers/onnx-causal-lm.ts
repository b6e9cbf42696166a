import { availableParallelism } from 'node:os';
import type * as Transformers from '@huggingface/transformers';
import { BackendUnavailableError, type ChatMessage } from '../../spec/index.js';
import type { ForwardFunction } from './score-tokens.js';

type TransformersModule = typeof Transformers;

/** The version sextant is tested with; the install hint names it. */
const transformersVersion = '4.3.1';

/** Prompt tokens decoded before generated ones (enough to settle a word boundary or a split UTF-8 sequence). */
const decoderLookback = 16;

/** The model's key/value cache: `past_key_values.<layer>.key|value` tensors, fed back as inputs. */
export type KeyValueCache = Readonly<Record<string, Transformers.Tensor>>;

export interface OnnxCausalLmOptions {
  /** Absolute path of the model folder (config.json, tokenizer.json, onnx/model.onnx). */
  readonly modelPath: string;
  readonly dtype: 'fp32';
  /** onnxruntime intra-op threads. @default 1 on machines with ≤ 2 cores, else cores − 1 */
  readonly threads?: number | undefined;
}

/**
 * A tokenizer and a decoder-only ONNX model loaded with transformers.js from a local folder. Owns every call into
 * the library; the library itself is imported on first load.
 */
export class OnnxCausalLm {
  /** The model's trained context (`max_position_embeddings`), when config.json gives it. */
  readonly maxPositions: number | undefined;

  private constructor(
    private readonly library: TransformersModule,
    private readonly tokenizer: Transformers.PreTrainedTokenizer,
    private readonly model: Transformers.PreTrainedModel,
  ) {
    const positions = (model.config as unknown as Record<string, unknown>)['max_position_embeddings'];
    this.maxPositions = typeof positions === 'number' && positions > 0 ? positions : undefined;
  }

  /** Import transformers.js and load the folder; never reaches a hub. */
  static async load(options: OnnxCausalLmOptions): Promise<OnnxCausalLm> {
    const library = await importTransformers();
    library.env.allowRemoteModels = false;
    const cores = availableParallelism();
    const threads = options.threads ?? (cores <= 2 ? 1 : cores - 1);
    try {
      // An absolute path is read as a folder as-is, whatever `env.localModelPath` says.
      const loadOptions = { local_files_only: true } as const;
      const tokenizer = await library.AutoTokenizer.from_pretrained(options.modelPath, loadOptions);
      const model = await library.AutoModelForCausalLM.from_pretrained(options.modelPath, {
        ...loadOptions,
        dtype: options.dtype,
        device: 'cpu',
        session_options: { intraOpNumThreads: threads, interOpNumThreads: 1 },
      });
      return new OnnxCausalLm(library, tokenizer, model);
    } catch (error) {
      throw new BackendUnavailableError({
        message: `cannot load the ONNX model folder ${options.modelPath} (expects config.json, tokenizer.json, onnx/model.onnx): ${(error as Error).message}`,
        cause: error,
      });
    }
  }

  /** Whether the tokenizer config carries a chat template. */
  get hasChatTemplate(): boolean {
    return typeof this.tokenizer.chat_template === 'string' && this.tokenizer.chat_template.length > 0;
  }

  /** Token ids of `text`; with `addSpecialTokens`, as the tokenizer adds them (BOS for Llama-style tokenizers). */
  encode(text: string, addSpecialTokens: boolean): number[] {
    return this.tokenizer.encode(text, { add_special_tokens: addSpecialTokens });
  }

  /** The chat-template rendering of `messages`, ready for the assistant's turn. Requires {@link hasChatTemplate}. */
  renderChat(messages: readonly ChatMessage[]): string {
    const conversation = messages.map((message) => ({ role: message.role, content: message.content }));
    return this.tokenizer.apply_chat_template(conversation, { tokenize: false, add_generation_prompt: true }) as string;
  }

  /**
   * A decoder for what generated ids add after `prompt`. The ids are decoded after the prompt's last few tokens, so
   * word-initial spaces survive (SentencePiece strips a leading space), at a cost that does not grow with the prompt.
   */
  continuationDecoder(prompt: readonly number[]): (generated: readonly number[]) => string {
    const options = { skip_special_tokens: true };
    const lookback = prompt.slice(-decoderLookback);
    const head = this.tokenizer.decode(lookback, options);
    return (generated) => {
      const whole = this.tokenizer.decode([...lookback, ...generated], options);
      return whole.startsWith(head) ? whole.slice(head.length) : this.tokenizer.decode([...generated], options);
    };
  }

  /** One forward pass continuing `past`; returns all positions' logits and the extended cache. */
  readonly forward: ForwardFunction<KeyValueCache> = async ({ tokens, past }) => {
    const { Tensor } = this.library;
    const pastLength = past?.length ?? 0;
    const total = pastLength + tokens.length;
    const outputs = (await this.model.forward({
      input_ids: new Tensor(
        'int64',
        BigInt64Array.from(tokens, (token) => BigInt(token)),
        [1, tokens.length],
      ),
      attention_mask: new Tensor('int64', new BigInt64Array(total).fill(1n), [1, total]),
      position_ids: new Tensor(
        'int64',
        BigInt64Array.from(tokens, (_, index) => BigInt(pastLength + index)),
        [1, tokens.length],
      ),
      ...(past ? { past_key_values: past.cache } : {}),
    })) as Record<string, Transformers.Tensor>;
    const logits = outputs['logits'];
    if (!logits) throw new Error('the model has no `logits` output');
    const cache: Record<string, Transformers.Tensor> = {};
    for (const [name, tensor] of Object.entries(outputs)) {
      if (name.startsWith('present.')) cache[`past_key_values.${name.slice('present.'.length)}`] = tensor;
    }
    const data = logits.type === 'float32' ? logits.data : logits.to('float32').data;
    return { logits: data as Float32Array, vocabSize: logits.dims.at(-1) ?? 0, cache };
  };

  /**
   * Greedy decoding (`do_sample: false`, the model's generation_config.json otherwise) after `prompt`. `shouldStop`
   * sees the generated ids after each step. Returns the generated ids.
   */
  async generate(options: {
    prompt: readonly number[];
    maxNewTokens: number;
    minNewTokens?: number | undefined;
    shouldStop?: ((generated: readonly number[]) => boolean) | undefined;
  }): Promise<number[]> {
    const { Tensor, StoppingCriteria } = this.library;
    const { prompt, shouldStop } = options;
    const criteria = shouldStop ? [createStoppingCriteria(StoppingCriteria, (ids) => shouldStop(ids.slice(prompt.length)))] : [];
    const output = (await this.model.generate({
      input_ids: new Tensor(
        'int64',
        BigInt64Array.from(prompt, (token) => BigInt(token)),
        [1, prompt.length],
      ),
      attention_mask: new Tensor('int64', new BigInt64Array(prompt.length).fill(1n), [1, prompt.length]),
      max_new_tokens: options.maxNewTokens,
      do_sample: false,
      ...(options.minNewTokens ? { min_new_tokens: options.minNewTokens } : {}),
      ...(criteria.length > 0 ? { stopping_criteria: criteria } : {}),
    })) as Transformers.Tensor;
    return Array.from(output.data as BigInt64Array, Number).slice(prompt.length);
  }

  async dispose(): Promise<void> {
    await this.model.dispose();
  }
}

async function importTransformers(): Promise<TransformersModule> {
  try {
    return await import('@huggingface/transformers');
  } catch (error) {
    const missing = (error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND';
    throw new BackendUnavailableError({
      message: missing
        ? `the transformers backend needs @huggingface/transformers, an optional dependency: npm install @huggingface/transformers@${transformersVersion}`
        : `cannot load @huggingface/transformers (reinstall it with \`npm install @huggingface/transformers@${transformersVersion}\`): ${(error as Error).message}`,
      cause: error,
    });
  }
}

/**
 * Builds a transformers.js stopping criterion around a callback. The base class comes from the lazily imported
 * library, so the subclass is made at run time.
 */
function createStoppingCriteria(Base: TransformersModule['StoppingCriteria'], isDone: (ids: readonly number[]) => boolean): Transformers.StoppingCriteria {
  class Criteria extends Base {
    override _call(inputIds: number[][]): boolean[] {
      return inputIds.map((ids) => isDone(ids.map(Number)));
    }
  }
  return new Criteria();
}
