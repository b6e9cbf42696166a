import { describe, expect, it } from 'vitest';
import type { RunInfo } from '../store/index.js';
import { detectConfigDifferences, type ComparedSide } from './detect-config-differences.js';
import type { RunModelInfo } from './read-model-run.js';

function side(options: { info?: Partial<RunInfo>; model?: Partial<RunModelInfo> } = {}): ComparedSide {
  const model: RunModelInfo = {
    abbr: 'internlm2-chat-7b',
    modelName: 'internlm2-chat-7b',
    apiBase: 'http://127.0.0.1:23333/v1',
    config: { type: 'lmdeploy', apiBase: 'http://127.0.0.1:23333/v1', temperature: 0 },
    promptStyle: { kind: 'messages', messageStyle: 'api' },
    generation: { temperature: 0, stopWords: [] },
    maxOutLen: 256,
    backendSettings: { chatTemplate: 'internlm2', sessionLen: 8192 },
    ...options.model,
  };
  return {
    info: {
      root: '/runs/x',
      timestamp: '20260101_000000',
      sextantVersion: '0.1.0',
      datasets: ['ceval_gen'],
      datasetVersions: { 'ceval-law': 'a110a1', 'ceval-logic': 'f5b022' },
      limit: null,
      models: [model],
      ...options.info,
    },
    model,
  };
}

describe('detectConfigDifferences', () => {
  it('finds nothing between identical configs', () => {
    expect(detectConfigDifferences({ a: side(), b: side() })).toEqual([]);
  });

  it('classifies generation, template and prompt-version changes as changing the measurement, and lists them first', () => {
    const a = side();
    const b = side({
      info: { datasetVersions: { 'ceval-law': 'ffffff', 'ceval-logic': 'f5b022' }, limit: 5, sextantVersion: '0.2.0' },
      model: {
        apiBase: 'http://127.0.0.1:8000/v1',
        modelName: 'internlm2-chat-7b-hf',
        config: { type: 'vllm', apiBase: 'http://127.0.0.1:8000/v1', temperature: 0.7, chatTemplate: '/tmp/t.jinja', tensorParallelSize: 2 },
        promptStyle: { kind: 'messages', messageStyle: 'chat-template' },
        generation: { temperature: 0.7, topP: 0.9, stopWords: ['<|im_end|>'] },
        maxOutLen: 512,
        backendSettings: { chatTemplate: 'chatml', sessionLen: 4096 },
      },
    });
    const differences = detectConfigDifferences({ a, b });
    expect(differences.map((difference) => [difference.kind, difference.field, difference.changesMeasurement])).toEqual([
      ['template', 'backendSettings.chatTemplate', true],
      ['template', 'config.chatTemplate', true],
      ['prompt-version', 'datasetVersions.ceval-law', true],
      ['generation', 'generation.stopWords', true],
      ['generation', 'generation.temperature', true],
      ['generation', 'generation.topP', true],
      ['generation', 'maxOutLen', true],
      ['template', 'promptStyle.messageStyle', true],
      ['backend', 'apiBase', false],
      ['backend', 'backendSettings.sessionLen', false],
      ['backend', 'config.tensorParallelSize', false],
      ['backend', 'config.type', false],
      ['datasets', 'limit', false],
      ['backend', 'modelName', false],
      ['run', 'sextantVersion', false],
    ]);
    expect(differences.find((difference) => difference.field === 'generation.stopWords')).toMatchObject({ a: [], b: ['<|im_end|>'] });
    // Recorded on one side only: the missing side is null.
    expect(differences.find((difference) => difference.field === 'generation.topP')).toMatchObject({ a: null, b: 0.9 });
    expect(differences.find((difference) => difference.field === 'config.chatTemplate')).toMatchObject({ a: null, b: '/tmp/t.jinja' });
  });

  it('treats a dataset recorded by one run only as a dataset-set difference, not a prompt version change', () => {
    const b = side({ info: { datasetVersions: { 'ceval-law': 'a110a1' } } });
    expect(detectConfigDifferences({ a: side(), b })).toEqual([
      { kind: 'datasets', field: 'datasetVersions.ceval-logic', a: 'f5b022', b: null, changesMeasurement: false },
    ]);
  });

  it('compares arrays whole and ignores key order in objects', () => {
    const a = side({ model: { generation: { stopWords: ['a', 'b'], temperature: 0 } } });
    const reordered = side({ model: { generation: { temperature: 0, stopWords: ['a', 'b'] } } });
    const swapped = side({ model: { generation: { temperature: 0, stopWords: ['b', 'a'] } } });
    expect(detectConfigDifferences({ a, b: reordered })).toEqual([]);
    expect(detectConfigDifferences({ a, b: swapped }).map((difference) => difference.field)).toEqual(['generation.stopWords']);
  });

  it('ignores the abbr (two models of one run always differ in it)', () => {
    const b = side({ model: { abbr: 'other', config: { type: 'lmdeploy', apiBase: 'http://127.0.0.1:23333/v1', temperature: 0, abbr: 'other' } } });
    expect(detectConfigDifferences({ a: side(), b })).toEqual([]);
  });
});
