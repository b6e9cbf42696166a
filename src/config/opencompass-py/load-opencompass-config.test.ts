import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFileWithWarnings } from '../load-config-file.js';

let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'sextant-py-load-'));
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function write(name: string, source: string): Promise<string> {
  const path = join(folder, name);
  await writeFile(path, source);
  return path;
}

describe('loadConfigFileWithWarnings on .py files', () => {
  it('resolves dataset modules against the registry (aliases too) and returns the warnings per model', async () => {
    const path = await write(
      'ok.py',
      [
        'from mmengine.config import read_base',
        'from opencompass.models import OpenAISDK',
        'with read_base():',
        '    from opencompass.configs.datasets.ceval.ceval_gen import ceval_datasets',
        'datasets = [*ceval_datasets]',
        "models = [dict(type=OpenAISDK, abbr='m', path='internlm2', openai_api_base='http://127.0.0.1:23333/v1', query_per_second=2)]",
      ].join('\n'),
    );
    const loaded = await loadConfigFileWithWarnings(path);
    expect(loaded.config.datasets).toEqual(['ceval_gen']);
    expect(loaded.config.models).toEqual([{ type: 'openai', mode: 'chat', abbr: 'm', modelName: 'internlm2', apiBase: 'http://127.0.0.1:23333/v1' }]);
    expect(loaded.warnings).toEqual([
      { model: 0, warning: { type: 'unsupported-setting', setting: 'query_per_second', details: expect.stringContaining('query_per_second=2') } },
    ]);
  });

  it('a value sextant rejects is reported at the line and column of the Python field', async () => {
    const path = await write(
      'bad.py',
      'from opencompass.models import TurboMindModel\nmodels = [dict(type=TurboMindModel,\n    engine_config=dict(session_len=0))]\n',
    );
    await expect(loadConfigFileWithWarnings(path)).rejects.toThrow(`${path}:3:5: models[0].engineConfig.sessionLen: Too small`);
  });
});
