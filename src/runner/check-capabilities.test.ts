import { describe, expect, it } from 'vitest';
import { EvalError, UnsupportedRequestError, type DatasetTask, type ModelBackend, type RequestKind } from '../spec/index.js';
import { cevalDatasets, cevalVariants } from '../tasks/ceval/index.js';
import { checkCapabilities } from './check-capabilities.js';

function backend(provider: string, requestKinds: RequestKind[], promptKind: 'text' | 'messages' = 'text'): ModelBackend {
  const unused = () => Promise.reject(new Error('not called'));
  return {
    specificationVersion: 'v1',
    provider,
    modelId: `${provider}:model`,
    capabilities: { requestKinds, promptKind },
    connectionKey: provider,
    doStart: unused,
    doGenerate: unused,
    doLoglikelihood: unused,
    doPerplexity: unused,
    doClose: () => Promise.resolve(),
  };
}

const variantTasks = (configName: string): DatasetTask[] => cevalDatasets(cevalVariants.find((variant) => variant.configName === configName)!);

const genTasks = variantTasks('ceval_gen_5f30c7');
const pplTasks = variantTasks('ceval_ppl_578f8d');

function thrown(run: () => void): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('checkCapabilities', () => {
  it('passes when every backend supports every request kind', () => {
    expect(() =>
      checkCapabilities([
        { modelLabel: 'chat', backend: backend('openai', ['generate']), tasks: genTasks },
        { modelLabel: 'base', backend: backend('hf', ['generate', 'perplexity']), tasks: [...genTasks, ...pplTasks] },
      ]),
    ).not.toThrow();
  });

  it('throws one error listing every bad (model, request kind) pair', () => {
    const error = thrown(() =>
      checkCapabilities([
        { modelLabel: 'model-one', backend: backend('openai', ['generate']), tasks: [...genTasks, ...pplTasks] },
        { modelLabel: 'model-two', backend: backend('lmdeploy', ['generate']), tasks: pplTasks },
        { modelLabel: 'model-ok', backend: backend('hf', ['generate', 'perplexity']), tasks: pplTasks },
        { modelLabel: 'model-three', backend: backend('scorer', ['perplexity']), tasks: genTasks.slice(0, 2) },
      ]),
    );
    expect(error).toBeInstanceOf(UnsupportedRequestError);
    expect(EvalError.isInstance(error)).toBe(true);
    expect(error.name).toBe('EVAL_UnsupportedRequestError');
    const lines = error.message.split('\n');
    expect(lines[0]).toBe('nothing was requested, because:');
    expect(lines.slice(1)).toHaveLength(3);
    expect(lines[1]).toContain('model model-one (backend openai, supports generate)');
    expect(lines[1]).toContain('ceval-computer_network, ceval-operating_system, ceval-computer_architecture … (52 datasets)');
    expect(lines[1]).toContain('they need perplexity requests');
    expect(lines[2]).toContain('model model-two (backend lmdeploy, supports generate)');
    expect(lines[2]).toContain('they need perplexity requests');
    expect(lines[3]).toContain(
      'model model-three (backend scorer, supports perplexity) cannot run ceval-computer_network, ceval-operating_system: they need generate requests',
    );
    expect(error.message).not.toContain('model-ok');
  });

  it('lists up to four datasets by name', () => {
    const error = thrown(() => checkCapabilities([{ modelLabel: 'm', backend: backend('openai', ['generate']), tasks: pplTasks.slice(0, 4) }]));
    expect(error.message).toContain(
      'cannot run ceval-computer_network, ceval-operating_system, ceval-computer_architecture, ceval-college_programming: they need',
    );
  });

  it('ppl datasets on a chat-prompt backend that scores perplexity are refused in the same error', () => {
    const error = thrown(() =>
      checkCapabilities([
        { modelLabel: 'chat-model', backend: backend('llama-cpp', ['generate', 'perplexity'], 'messages'), tasks: pplTasks.slice(0, 2) },
        { modelLabel: 'gen-only', backend: backend('openai', ['generate'], 'messages'), tasks: pplTasks.slice(0, 1) },
      ]),
    );
    const lines = error.message.split('\n').slice(1);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('model chat-model sends chat messages, but ceval-computer_network, ceval-operating_system score text prompts by perplexity');
    // A backend without perplexity at all gets the missing-kind line only, not the chat line as well.
    expect(lines[1]).toContain('model gen-only (backend openai, supports generate) cannot run ceval-computer_network: they need perplexity requests');
  });

  it('no tasks, nothing to check', () => {
    expect(() => checkCapabilities([{ modelLabel: 'm', backend: backend('x', []), tasks: [] }])).not.toThrow();
  });
});
