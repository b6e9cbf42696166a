import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { validateUserConfig } from '../load-config-file.js';
import { evaluatePythonConfig } from './evaluate-python-config.js';
import { translateOpenCompassConfig } from './translate-opencompass-config.js';

const header = [
  'from mmengine.config import read_base',
  'from opencompass.models import TurboMindModel, TurboMindModelwithChatTemplate, VLLM, VLLMwithChatTemplate, OpenAI, OpenAISDK',
  'from opencompass.models import HuggingFacewithChatTemplate, HuggingFaceBaseModel, HuggingFaceCausalLM',
  'with read_base():',
  '    from .datasets.ceval.ceval_gen_5f30c7 import ceval_datasets',
  '',
].join('\n');

function translate(source: string) {
  const module = evaluatePythonConfig({ file: 'c.py', source, resolveDatasetConfig: (name) => (name.startsWith('ceval_') ? name : undefined) });
  return translateOpenCompassConfig(module);
}

const settings = (result: ReturnType<typeof translate>) =>
  result.warnings.map((entry) => entry.warning.type === 'unsupported-setting' && entry.warning.setting);

describe('translateOpenCompassConfig', () => {
  it('the seed eval_internlm2_chat_7b_turbomind.py becomes what examples/eval_internlm2_chat_7b_turbomind.ts says, plus its meta_template', async () => {
    const source = await readFile(new URL('../../../examples/eval_internlm2_chat_7b_turbomind.py', import.meta.url), 'utf8');
    const result = translate(source);
    expect(result.config).toEqual({
      datasets: ['ceval_gen_5f30c7'],
      models: [
        {
          type: 'lmdeploy',
          promptStyle: 'completion',
          abbr: 'internlm2-chat-7b-turbomind',
          path: 'internlm/internlm2-chat-7b',
          engineConfig: { sessionLen: 2048, maxBatchSize: 8, ropeScalingFactor: 1 },
          genConfig: { topK: 1, topP: 0.8, temperature: 1, maxNewTokens: 100 },
          maxOutLen: 100,
          maxSeqLen: 2048,
          batchSize: 8,
          concurrency: 8,
          metaTemplate: {
            round: [
              { role: 'HUMAN', begin: '<|User|>:', end: '\n' },
              { role: 'BOT', begin: '<|Bot|>:', end: '<eoa>\n', generate: true },
            ],
          },
          runCfg: { numGpus: 1 },
          endStr: '<eoa>',
        },
      ],
    });
    expect(settings(result)).toEqual(['meta_template.eos_token_id']);
    expect(() => validateUserConfig(result.config, 'c.py')).not.toThrow();
  });

  it('TurboMindModelwithChatTemplate: chat through the chat template; do_sample=False is greedy; what LMDeploy cannot take from sextant is warned', () => {
    const result = translate(
      `${header}models = [dict(type=TurboMindModelwithChatTemplate, abbr='m', path='p', backend='pytorch',
    engine_config=dict(tp=2, cache_max_entry_count=0.5), gen_config=dict(do_sample=False, repetition_penalty=1.02),
    meta_template=dict(round=[dict(role='HUMAN', api_role='HUMAN'), dict(role='BOT', api_role='BOT', generate=True)]), run_cfg=dict(num_gpus=2, num_procs=4), stop_words=['<|im_end|>', 92542])]\ndatasets = ceval_datasets`,
    );
    expect(result.config.models).toEqual([
      {
        type: 'lmdeploy',
        promptStyle: 'chat',
        chatTemplateStyle: true,
        abbr: 'm',
        path: 'p',
        engineConfig: { tp: 2 },
        genConfig: { temperature: 0 },
        runCfg: { numGpus: 2 },
        stopWords: ['<|im_end|>'],
      },
    ]);
    expect(settings(result)).toEqual(['backend', 'engine_config.cache_max_entry_count', 'gen_config.repetition_penalty', 'run_cfg.num_procs', 'stop_words']);
    expect(result.warnings.every((entry) => entry.model === 0)).toBe(true);
    expect(() => validateUserConfig(result.config, 'c.py')).not.toThrow();
  });

  it('VLLM / VLLMwithChatTemplate: model_kwargs become launch settings or extra vllm serve flags; generation_kwargs travel with requests', () => {
    const result = translate(
      `${header}models = [dict(type=VLLMwithChatTemplate, abbr='v', path='p', max_out_len=64, end_str='</s>',
    model_kwargs=dict(tensor_parallel_size=2, gpu_memory_utilization=0.8, max_model_len=4096, dtype='bfloat16', enforce_eager=True),
    generation_kwargs=dict(do_sample=False, top_p=0.9)), dict(type=VLLM, path='q')]`,
    );
    expect(result.config.models).toEqual([
      {
        type: 'vllm',
        mode: 'chat',
        abbr: 'v',
        path: 'p',
        maxOutLen: 64,
        stopWords: ['</s>'],
        tensorParallelSize: 2,
        gpuMemoryUtilization: 0.8,
        maxSeqLen: 4096,
        extraArgs: ['--dtype', 'bfloat16', '--enforce-eager'],
        generationKwargs: { temperature: 0, top_p: 0.9 },
      },
      { type: 'vllm', mode: 'completion', path: 'q' },
    ]);
    expect(result.warnings).toEqual([]);
    expect(() => validateUserConfig(result.config, 'c.py')).not.toThrow();
  });

  it('OpenAI / OpenAISDK: key and base URL mapped, the key never shown in a warning, ENV reads OPENAI_API_KEY', () => {
    const secret = 'sk-very-secret-123';
    const result = translate(
      `${header}models = [
    dict(type=OpenAI, abbr='gpt', path='gpt-4o', key='${secret},sk-other', openai_api_base='https://api.example.com/v1/chat/completions',
         query_per_second=1, max_out_len=2048, temperature=0.01, retry=3, max_workers=4,
         meta_template=dict(round=[dict(role='HUMAN', begin='<|User|>:'), dict(role='BOT', api_role='BOT', generate=True)])),
    dict(type=OpenAISDK, path='internlm2', key='ENV', openai_api_base=['http://127.0.0.1:23333/v1/', 'http://127.0.0.1:23334/v1']),
    dict(type=OpenAISDK, path='x', key='EMPTY')]`,
    );
    expect(result.config.models).toEqual([
      {
        type: 'openai',
        mode: 'chat',
        abbr: 'gpt',
        modelName: 'gpt-4o',
        apiKey: secret,
        apiBase: 'https://api.example.com/v1',
        maxOutLen: 2048,
        temperature: 0.01,
        retry: 3,
        concurrency: 4,
      },
      { type: 'openai', mode: 'chat', modelName: 'internlm2', apiBase: ['http://127.0.0.1:23333/v1', 'http://127.0.0.1:23334/v1'] },
      { type: 'openai', mode: 'chat', modelName: 'x', apiKey: 'EMPTY', apiBase: 'https://api.openai.com/v1' },
    ]);
    expect(settings(result)).toEqual(['key', 'query_per_second', 'meta_template']);
    expect(JSON.stringify(result.warnings)).not.toContain('sk-');
    expect(() => validateUserConfig(result.config, 'c.py')).not.toThrow();
  });

  it('the HuggingFace classes map to the huggingface model type', () => {
    const result = translate(
      `${header}models = [dict(type=HuggingFacewithChatTemplate, abbr='h', path='internlm/internlm2-chat-7b', max_out_len=1024, batch_size=8, run_cfg=dict(num_gpus=1)),
    dict(type=HuggingFaceBaseModel, path='b', tokenizer_path='t', model_kwargs=dict(torch_dtype='auto')),
    dict(type=HuggingFaceCausalLM, path='c', batch_padding=True, end_str='<|im_end|>', generation_kwargs=dict(eos_token_id=[2]))]`,
    );
    expect(result.config.models).toEqual([
      { type: 'huggingface', hfType: 'chat', abbr: 'h', path: 'internlm/internlm2-chat-7b', maxOutLen: 1024, batchSize: 8, runCfg: { numGpus: 1 } },
      { type: 'huggingface', hfType: 'base', path: 'b', tokenizerPath: 't', modelKwargs: { torch_dtype: 'auto' } },
      { type: 'huggingface', hfType: 'base', path: 'c', stopWords: ['<|im_end|>'], generationKwargs: { eos_token_id: [2] } },
    ]);
    expect(settings(result)).toEqual(['batch_padding']);
  });

  it('work_dir, summarizer and the top-level names sextant does not use', () => {
    const result = translate(
      `${header}datasets = [*ceval_datasets]\nwork_dir = 'outputs/py'\nsummarizer = dict(dataset_abbrs=['ceval', ['ceval-stem', 'naive_average']], summary_groups=[])\ninfer = dict(runner=dict(max_num_workers=4))`,
    );
    expect(result.config).toEqual({ datasets: ['ceval_gen_5f30c7'], workDir: 'outputs/py', summarizer: { datasetAbbrs: ['ceval', 'ceval-stem'] } });
    expect(settings(result)).toEqual(['summarizer.dataset_abbrs', 'summarizer.summary_groups', 'infer']);
  });

  it.each([
    [`${header}models = [dict(path='x')]`, /^c\.py:6:11: models\[0\] has no type/],
    [`${header}models = [dict(type='NotAModel')]`, /^c\.py:6:16: unknown model class NotAModel/],
    [`${header}models = [dict(type=TurboMindModel, engine_config=[1])]`, /^c\.py:6:37: engine_config must be a dict/],
    [`${header}models = [dict(type=TurboMindModel, abbr=ceval_datasets)]`, /^c\.py:6:37: abbr: a dataset list cannot be used/],
    [`${header}models = dict(type=TurboMindModel)`, /^c\.py:6:1: models must be a list/],
    [`${header}datasets = [dict(abbr='mine')]`, /^c\.py:6:13: dataset dicts written in the config are not supported/],
    [`${header}work_dir = 3`, /^c\.py:6:1: work_dir must be a string/],
  ])('refuses %#', (source, message) => {
    expect(() => translate(source)).toThrow(message);
  });
});
