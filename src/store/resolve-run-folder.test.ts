import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveRunFolder, resolveWorkDir } from './resolve-run-folder.js';

describe('resolveRunFolder / resolveWorkDir', () => {
  let root: string;
  const run = (workDir: string, timestamp: string) => mkdir(join(root, workDir, timestamp, 'configs'), { recursive: true });
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'sextant-resolve-run-'));
    await run('outputs/a', '20260101_000000');
    await run('outputs/a', '20260102_000000');
    await run('outputs/b', '20260103_000000');
    await mkdir(join(root, 'empty'));
    await writeFile(join(root, 'file'), '');
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('a run folder is itself; a work dir means its newest run', async () => {
    expect(await resolveRunFolder({ path: join(root, 'outputs/a/20260101_000000'), argument: 'RUN' })).toBe(join(root, 'outputs/a/20260101_000000'));
    expect(await resolveRunFolder({ path: join(root, 'outputs/a'), argument: 'RUN' })).toBe(join(root, 'outputs/a/20260102_000000'));
  });

  it('refuses what does not exist, a file, and a folder without runs, naming the argument', async () => {
    await expect(resolveRunFolder({ path: join(root, 'nope'), argument: 'A' })).rejects.toThrow(/^A: .*nope does not exist/);
    await expect(resolveRunFolder({ path: join(root, 'file'), argument: 'RUN' })).rejects.toThrow(/file is not a folder/);
    await expect(resolveRunFolder({ path: join(root, 'empty'), argument: 'RUN' })).rejects.toThrow(/holds no run folders/);
  });

  it('view: a work dir, a run folder (its work dir), or a folder of work dirs (the newest, the others named)', async () => {
    expect(await resolveWorkDir({ path: join(root, 'outputs/a'), argument: 'W' })).toEqual({ workDir: join(root, 'outputs/a'), notes: [] });
    expect(await resolveWorkDir({ path: join(root, 'outputs/a/20260101_000000'), argument: 'W' })).toEqual({
      workDir: join(root, 'outputs/a'),
      run: '20260101_000000',
      notes: [],
    });
    const nested = await resolveWorkDir({ path: join(root, 'outputs'), argument: 'W' });
    expect(nested.workDir).toBe(join(root, 'outputs/b'));
    expect(nested.notes).toEqual([expect.stringContaining(`Others: ${join(root, 'outputs/a')}`)]);
    expect((await resolveWorkDir({ path: join(root, 'empty'), argument: 'W' })).notes).toEqual([expect.stringContaining('holds no runs yet')]);
    await expect(resolveWorkDir({ path: join(root, 'nope'), argument: 'W' })).rejects.toThrow(/does not exist/);
  });
});
