import { describe, expect, it, vi } from 'vitest';
import { EvalError } from '../../spec/index.js';

describe('OnnxCausalLm without @huggingface/transformers', () => {
  it('fails with BackendUnavailableError telling how to install the library', async () => {
    vi.doMock('@huggingface/transformers', () => {
      throw Object.assign(new Error("Cannot find package '@huggingface/transformers'"), { code: 'ERR_MODULE_NOT_FOUND' });
    });
    const { OnnxCausalLm } = await import('./onnx-causal-lm.js');
    const error = await OnnxCausalLm.load({ modelPath: '/any/folder', dtype: 'fp32' }).catch((caught: unknown) => caught);
    expect(EvalError.isInstance(error) && error.name).toBe('EVAL_BackendUnavailableError');
    expect((error as Error).message).toContain('npm install @huggingface/transformers');
    vi.doUnmock('@huggingface/transformers');
  });
});
