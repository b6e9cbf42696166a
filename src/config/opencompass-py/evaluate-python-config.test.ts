import { describe, expect, it } from 'vitest';
import { evaluatePythonConfig, ImportedDatasets, PythonImport, type PythonValue } from './evaluate-python-config.js';

const known = new Set(['ceval_gen', 'ceval_gen_5f30c7', 'ceval_ppl']);

function evaluate(source: string) {
  return evaluatePythonConfig({ file: 'c.py', source, resolveDatasetConfig: (name) => (known.has(name) ? name : undefined) });
}

function value(source: string, name = 'x'): PythonValue | undefined {
  return evaluate(source).bindings.get(name)?.value;
}

function errorOf(source: string): string {
  try {
    evaluate(source);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('no error');
}

describe('evaluatePythonConfig: the literal subset', () => {
  it('numbers, booleans, None and signs', () => {
    expect(value('x = [1, -2, 2.5, 1e3, 0x1F, 0o17, 0b101, 1_000, +3, True, False, None]')).toEqual([1, -2, 2.5, 1000, 31, 15, 5, 1000, 3, true, false, null]);
  });

  it('strings: escapes, raw, triple-quoted, implicit concatenation, u prefix', () => {
    expect(value(String.raw`x = 'a\nb\t\'\\'`)).toBe("a\nb\t'\\");
    expect(value(String.raw`x = r'\d+\n'`)).toBe('\\d+\\n');
    expect(value('x = """line1\nline2"""')).toBe('line1\nline2');
    expect(value(`x = ('<|User|>:' "mid"\n     'end')`)).toBe('<|User|>:midend');
    expect(value(String.raw`x = u'\u4e2d\x41\101\N'`)).toBe('中AA\\N');
    expect(value('x = "a\\\nb"')).toBe('ab');
  });

  it('dicts, lists, tuples, dict(...), list(...), tuple(...), ** and * unpacking, + on lists and strings', () => {
    const source = [
      'base = dict(a=1, b=[1, 2])',
      "x = dict(**base, c=(3,), d={'k': 'v', **{'z': None}})",
      'y = [*base["b"]]'.replace('base["b"]', 'base_list'),
    ];
    const config = evaluate(['base_list = [1, 2]', ...source.slice(0, 2), 'y = [0, *base_list] + list((3, 4)) + tuple()', "z = 'ab' + 'cd'"].join('\n'));
    expect(config.bindings.get('x')?.value).toEqual({ a: 1, b: [1, 2], c: [3], d: { k: 'v', z: null } });
    expect(config.bindings.get('y')?.value).toEqual([0, 1, 2, 3, 4]);
    expect(config.bindings.get('z')?.value).toBe('abcd');
  });

  it('a name means the value bound above; a later assignment rebinds; += extends a list', () => {
    const config = evaluate('a = [1]\nb = a\na = [2]\nb += [3]\nc = d = "same"');
    expect(config.bindings.get('b')?.value).toEqual([1, 3]);
    expect(config.bindings.get('a')?.value).toEqual([2]);
    expect(config.bindings.get('c')?.value).toBe('same');
    expect(config.bindings.get('d')?.value).toBe('same');
  });

  it('with read_base(): dataset configs by module name (relative, opencompass.configs, aliases), with `as`', () => {
    const config = evaluate(
      [
        'from mmengine.config import read_base',
        '# a comment',
        'with read_base():',
        '    from .datasets.ceval.ceval_gen_5f30c7 import ceval_datasets',
        '    from opencompass.configs.datasets.ceval.ceval_ppl import ceval_datasets as ppl_datasets',
        'from opencompass.models import TurboMindModel',
        'datasets = [*ceval_datasets, *ppl_datasets]',
        'both = ceval_datasets + ppl_datasets',
      ].join('\n'),
    );
    const datasets = config.bindings.get('datasets')?.value as ImportedDatasets[];
    expect(datasets.map((entry) => entry.configName)).toEqual(['ceval_gen_5f30c7', 'ceval_ppl']);
    expect(datasets[0]).toBeInstanceOf(ImportedDatasets);
    expect((config.bindings.get('both')?.value as ImportedDatasets[]).map((entry) => entry.configName)).toEqual(['ceval_gen_5f30c7', 'ceval_ppl']);
    const model = config.bindings.get('TurboMindModel')?.value as PythonImport;
    expect(model).toBeInstanceOf(PythonImport);
    expect(model.name).toBe('TurboMindModel');
  });

  it('read_base may be imported under another name', () => {
    const config = evaluate(
      'from mmengine.config import read_base as rb\nwith rb():\n    from .datasets.ceval.ceval_gen import ceval_datasets\ndatasets = ceval_datasets',
    );
    expect((config.bindings.get('datasets')?.value as ImportedDatasets).configName).toBe('ceval_gen');
  });

  it('records where each dict key was written', () => {
    const config = evaluate("x = dict(\n    a=1,\n    b=2)\ny = {'k':\n 1}");
    const x = config.bindings.get('x')?.value as PythonValue;
    expect(config.locationOf(x, 'b')).toEqual({ file: 'c.py', line: 3, column: 5 });
    expect(config.locationOf(config.bindings.get('y')?.value as PythonValue, 'k')).toEqual({ file: 'c.py', line: 4, column: 6 });
  });
});

describe('evaluatePythonConfig: everything else is refused at its position', () => {
  it.each([
    ['x = [1 2]', /^c\.py:1:8: Python syntax error/],
    ['x = f(1)', /^c\.py:1:5: function call f\(\.\.\.\) is not supported/],
    ['x = [i for i in [1]]', /^c\.py:1:5: a list comprehension/],
    ['x = {k: 1 for k in [1]}', /^c\.py:1:5: a dict comprehension/],
    ['x = sum((v for v in [1]), [])', /^c\.py:1:5: function call sum/],
    ['x = lambda: 1', /^c\.py:1:5: a lambda/],
    ['y = [1]\nx = y[0]', /^c\.py:2:5: subscripts/],
    ['import os\nx = os.path', /^c\.py:1:1: `import os`: only `from MODULE import NAME`/],
    ['from os import path', /^c\.py:1:16: unknown import `from os import path`/],
    ['x = 1 if True else 2', /^c\.py:1:5: a conditional expression/],
    ["x = f'{1}'", /^c\.py:1:5: an f-string/],
    ["x = b'a'", /^c\.py:1:5: a bytes literal/],
    ['x = {1, 2}', /^c\.py:1:5: a set/],
    ['x = 2 * 3', /^c\.py:1:7: operator "\*" is not supported/],
    ['x = 1 + 2', /^c\.py:1:7: \+ joins two lists or two strings only/],
    ['x = undefined_name', /^c\.py:1:5: name "undefined_name" is not defined above this line/],
    ['x = {1: 2}', /^c\.py:1:6: dict keys must be strings/],
    ['if True:\n    x = 1', /^c\.py:1:1: a config may only assign names and import; found an if statement/],
    ['def f():\n    pass', /^c\.py:1:1: a config may only assign names and import; found a function definition/],
    ['print(1)', /^c\.py:1:1: a config may only assign names; found the expression statement/],
    ['from mmengine.config import read_base\nwith read_base():\n    x = 1', /^c\.py:3:5: a `with read_base\(\):` block may only hold imports/],
    [
      'from mmengine.config import read_base\nwith read_base():\n    from .datasets.mmlu.mmlu_gen import mmlu_datasets',
      /^c\.py:3:10: unknown OpenCompass dataset config module/,
    ],
    ['from .datasets.ceval.ceval_gen import ceval_datasets', /^c\.py:1:39: dataset configs are imported inside `with read_base\(\):`/],
    [
      'from mmengine.config import read_base\nwith read_base():\n    from ..summarizers.example import summarizer',
      /^c\.py:3:39: cannot resolve `from \.\.summarizers\.example import summarizer`/,
    ],
    ['x = dict(1)', /^c\.py:1:10: dict\(\.\.\.\) takes keyword arguments/],
    ['x = [*1]', /^c\.py:1:7: \*1 unpacks a list/],
    ['x = 3j', /^c\.py:1:5: complex number/],
  ])('%s', (source, message) => {
    expect(errorOf(source)).toMatch(message);
  });

  it('messages never show the contents of string literals (a config may hold an API key)', () => {
    for (const source of [
      "x = dict(key='sk-secret-123',, a=1)",
      "x = [1]\ny = x['sk-secret-123']",
      "print('sk-secret-123')",
      "x = f('sk-secret-123')",
      "x = [*'sk-secret-123']",
    ]) {
      const message = errorOf(source);
      expect(message).not.toContain('sk-secret');
      expect(message).toMatch(/^c\.py:\d+:\d+: /);
    }
  });

  it('a read_base block needs read_base imported from mmengine.config', () => {
    expect(errorOf('with open("x"):\n    pass')).toMatch(/^c\.py:1:1: the only `with` block allowed is `with read_base\(\):`/);
  });
});
