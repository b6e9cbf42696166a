import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findExecutable, formatCommandLine } from './command-line.js';

describe('formatCommandLine', () => {
  it('quotes only what a shell would split or expand', () => {
    expect(formatCommandLine('lmdeploy', ['serve', 'api_server', '/m/x', '--server-port', '<port>'])).toBe(
      'lmdeploy serve api_server /m/x --server-port <port>',
    );
    expect(formatCommandLine('vllm', ['serve', 'my model', "it's"])).toBe(`vllm serve 'my model' 'it'\\''s'`);
  });
});

describe('findExecutable', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'sextant-find-executable-'));
    await writeFile(join(folder, 'tool'), '#!/bin/sh\n');
    await chmod(join(folder, 'tool'), 0o755);
    await writeFile(join(folder, 'plain'), '');
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));

  it('finds an executable on PATH, not a plain file, not elsewhere', async () => {
    expect(await findExecutable('tool', { PATH: folder })).toBe(join(folder, 'tool'));
    expect(await findExecutable('plain', { PATH: folder })).toBeUndefined();
    expect(await findExecutable('tool', { PATH: '' })).toBeUndefined();
    expect(await findExecutable(join(folder, 'tool'), { PATH: '' })).toBe(join(folder, 'tool'));
  });
});
