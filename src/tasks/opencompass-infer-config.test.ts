import { describe, expect, it } from 'vitest';
import { cevalGenInferConfig, cevalPplInferConfig, cevalSubjects, cevalVariants, cevalZeroShotInferConfig, type CevalVariant } from './ceval/index.js';
import { configFileSuffix, datasetVersion, inferConfigDigest, toOpenCompassInferCfg } from './opencompass-infer-config.js';

function subject(key: string) {
  const found = cevalSubjects.find((candidate) => candidate.key === key);
  if (!found) throw new Error(`no subject ${key}`);
  return found;
}

function variant(configName: string): CevalVariant {
  const found = cevalVariants.find((candidate) => candidate.configName === configName);
  if (!found) throw new Error(`no variant ${configName}`);
  return found;
}

/** The variant's infer configs in file order: split loop outside, subject loop inside. */
function fileConfigs(configName: string) {
  const chosen = variant(configName);
  return chosen.splits.flatMap(() => cevalSubjects.map((entry) => chosen.inferConfig(entry)));
}

describe('datasetVersion (OpenCompass get_prompt_hash, first 6 hex)', () => {
  it.each([
    { name: 'ceval-computer_network gen', config: () => cevalGenInferConfig(subject('computer_network').chineseName), expected: 'db9ce2' },
    { name: 'ceval-computer_network ppl', config: () => cevalPplInferConfig(subject('computer_network').chineseName), expected: '9b9417' },
    { name: 'ceval-computer_network zero-shot', config: () => cevalZeroShotInferConfig(subject('computer_network').chineseName), expected: '98dacd' },
    { name: 'ceval-operating_system gen', config: () => cevalGenInferConfig(subject('operating_system').chineseName), expected: '1c2571' },
    { name: 'ceval-computer_architecture gen', config: () => cevalGenInferConfig(subject('computer_architecture').chineseName), expected: 'a74dad' },
  ])('$name = $expected', ({ config, expected }) => {
    expect(datasetVersion(config())).toBe(expected);
  });

  it('is the prefix of the full 64-hex digest', () => {
    const config = cevalGenInferConfig('计算机网络');
    const digest = inferConfigDigest(config);
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(digest.startsWith(datasetVersion(config))).toBe(true);
  });

  it('moves the retriever fix_id_list into the inferencer and writes dotted type paths', () => {
    const cfg = toOpenCompassInferCfg(cevalGenInferConfig('计算机网络')) as Record<string, any>;
    expect(cfg.retriever).toEqual({ type: 'opencompass.openicl.icl_retriever.FixKRetriever' });
    expect(cfg.inferencer).toEqual({ type: 'opencompass.openicl.icl_inferencer.GenInferencer', fix_id_list: [0, 1, 2, 3, 4] });
    expect(cfg.ice_template.type).toBe('opencompass.openicl.icl_prompt_template.PromptTemplate');
    expect(cfg.ice_template.ice_token).toBe('</E>');
    expect(cfg.ice_template.template.begin).toBe('</E>');
    expect(cfg.prompt_template).toBeUndefined();
  });

  it('zero-shot: ZeroRetriever, max_out_len 256 on the inferencer', () => {
    const cfg = toOpenCompassInferCfg(cevalZeroShotInferConfig('计算机网络')) as Record<string, any>;
    expect(cfg.retriever).toEqual({ type: 'opencompass.openicl.icl_retriever.ZeroRetriever' });
    expect(cfg.inferencer).toEqual({ type: 'opencompass.openicl.icl_inferencer.GenInferencer', max_out_len: 256 });
  });

  it('ppl: a label-keyed template of meta dicts, PPLInferencer', () => {
    const cfg = toOpenCompassInferCfg(cevalPplInferConfig('计算机网络')) as Record<string, any>;
    expect(Object.keys(cfg.ice_template.template)).toEqual(['A', 'B', 'C', 'D']);
    expect(cfg.ice_template.template.C.round[1]).toEqual({ role: 'BOT', prompt: 'C' });
    expect(cfg.inferencer).toEqual({ type: 'opencompass.openicl.icl_inferencer.PPLInferencer', fix_id_list: [0, 1, 2, 3, 4] });
  });

  it('every subject gets its own gen version (the Chinese name is baked into the template)', () => {
    const versions = cevalSubjects.map((entry) => datasetVersion(cevalGenInferConfig(entry.chineseName)));
    expect(new Set(versions).size).toBe(52);
  });
});

describe('configFileSuffix (sha256 of comma-joined digests, first 6 hex)', () => {
  it('has 52 subjects in config order', () => {
    expect(cevalSubjects).toHaveLength(52);
    expect(cevalSubjects[0]?.key).toBe('computer_network');
    expect(cevalSubjects.at(-1)?.key).toBe('physician');
  });

  it.each([
    { configName: 'ceval_gen_5f30c7', expected: '5f30c7', count: 52 },
    { configName: 'ceval_ppl_578f8d', expected: '578f8d', count: 52 },
    { configName: 'ceval_zero_shot_gen_bd40ef', expected: 'bd40ef', count: 52 },
    { configName: 'ceval_gen_2daf24', expected: '2daf24', count: 104 },
  ])('$configName → $expected ($count datasets)', ({ configName, expected, count }) => {
    const configs = fileConfigs(configName);
    expect(configs).toHaveLength(count);
    expect(configFileSuffix(configs)).toBe(expected);
    expect(configName.endsWith(`_${expected}`)).toBe(true);
  });

  it('depends on the order of the datasets', () => {
    const configs = fileConfigs('ceval_gen_5f30c7');
    expect(configFileSuffix([...configs].reverse())).not.toBe('5f30c7');
  });

  it('a one-dataset file uses that dataset’s own digest', () => {
    const config = cevalGenInferConfig('计算机网络');
    expect(configFileSuffix([config])).toBe('db9ce2');
  });
});
