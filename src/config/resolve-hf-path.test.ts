import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveHfPath } from './resolve-hf-path.js';

describe('resolveHfPath', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'sextant-hf-path-'));
    await mkdir(join(root, 'one-gguf'));
    await writeFile(join(root, 'one-gguf', 'tiny-q8.gguf'), '');
    await writeFile(join(root, 'one-gguf', 'README.md'), '');
    await mkdir(join(root, 'two-gguf'));
    await writeFile(join(root, 'two-gguf', 'a.gguf'), '');
    await writeFile(join(root, 'two-gguf', 'b.gguf'), '');
    await mkdir(join(root, 'tiny-onnx', 'onnx'), { recursive: true });
    await writeFile(join(root, 'tiny-onnx', 'config.json'), '{}');
    await writeFile(join(root, 'tiny-onnx', 'onnx', 'model.onnx'), '');
    await mkdir(join(root, 'checkpoint'));
    await writeFile(join(root, 'checkpoint', 'config.json'), '{}');
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('a .gguf file, or a folder holding exactly one', () => {
    expect(resolveHfPath(join(root, 'x.gguf'))).toEqual({ kind: 'gguf', path: join(root, 'x.gguf'), name: 'x' });
    expect(resolveHfPath(join(root, 'one-gguf'))).toEqual({ kind: 'gguf', path: join(root, 'one-gguf', 'tiny-q8.gguf'), name: 'tiny-q8' });
  });

  it('a folder with several .gguf files is an error that lists them', () => {
    expect(() => resolveHfPath(join(root, 'two-gguf'))).toThrow(/--hf-path: .*two-gguf holds 2 \.gguf files \(a\.gguf, b\.gguf\); give one of them/);
  });

  it("an ONNX model as its folder, its onnx/ folder or its model.onnx: all the model's folder", () => {
    const model = join(root, 'tiny-onnx');
    expect(resolveHfPath(model)).toEqual({ kind: 'onnx', path: model, name: 'tiny-onnx' });
    expect(resolveHfPath(join(model, 'onnx'))).toEqual({ kind: 'onnx', path: model, name: 'tiny-onnx' });
    expect(resolveHfPath(join(model, 'onnx', 'model.onnx'))).toEqual({ kind: 'onnx', path: model, name: 'tiny-onnx' });
    expect(resolveHfPath(`${join(model, 'onnx')}/`)).toEqual({ kind: 'onnx', path: model, name: 'tiny-onnx' });
  });

  it('anything else is a checkpoint (a folder or a hub id)', () => {
    expect(resolveHfPath(join(root, 'checkpoint'))).toEqual({ kind: 'checkpoint', path: join(root, 'checkpoint'), name: 'checkpoint' });
    expect(resolveHfPath('internlm/internlm2-chat-7b')).toEqual({ kind: 'checkpoint', path: 'internlm/internlm2-chat-7b', name: 'internlm2-chat-7b' });
  });
});
