import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compareRunFolders, lockRunDirectory, openRunDirectory, pathSegment, RunDirectory } from './run-directory.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sextant-run-dir-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('pathSegment', () => {
  it('keeps ordinary names and encodes separators, control characters and dot-only names', () => {
    expect(pathSegment('internlm2-chat-7b')).toBe('internlm2-chat-7b');
    expect(pathSegment('llama3:8b')).toBe('llama3:8b');
    expect(pathSegment('ceval-computer_network')).toBe('ceval-computer_network');
    expect(pathSegment('Qwen/Qwen2-7B')).toBe('Qwen%2FQwen2-7B');
    expect(pathSegment('../../../x')).toBe('..%2F..%2F..%2Fx');
    expect(pathSegment('..')).toBe('%2E%2E');
    expect(pathSegment('.')).toBe('%2E');
    expect(pathSegment('a\\b\nc')).toBe('a%5Cb%0Ac');
    expect(() => pathSegment('')).toThrow(/empty name/);
  });

  it('every path of a run stays inside the run folder, whatever the names', () => {
    const run = new RunDirectory('/w/20240101_000000', '20240101_000000');
    for (const path of [run.samples('../../..', '../x'), run.predictions('..', '..'), run.results('/etc', 'passwd'), run.inferLog('../../x')]) {
      expect(path.startsWith('/w/20240101_000000/')).toBe(true);
      expect(path.split('/').includes('..')).toBe(false);
    }
  });
});

describe('openRunDirectory', () => {
  it('two fresh runs in the same second get distinct folders (YYYYmmdd_HHMMSS, then _1, _2), each created atomically', async () => {
    const workDir = await tempDir();
    const now = new Date(2024, 0, 2, 3, 4, 5);
    const runs = await Promise.all(Array.from({ length: 4 }, () => openRunDirectory({ workDir, now })));
    expect(runs.map((run) => run.timestamp).sort(compareRunFolders)).toEqual([
      '20240102_030405',
      '20240102_030405_1',
      '20240102_030405_2',
      '20240102_030405_3',
    ]);
    expect((await readdir(workDir)).sort()).toEqual(['20240102_030405', '20240102_030405_1', '20240102_030405_2', '20240102_030405_3']);
    // -r alone takes the newest: suffixes order numerically.
    for (let suffix = 4; suffix <= 10; suffix += 1) await openRunDirectory({ workDir, now });
    expect((await openRunDirectory({ workDir, reuse: 'latest' })).timestamp).toBe('20240102_030405_10');
  });

  it('refuses a --reuse that is not a run folder name', async () => {
    const workDir = await tempDir();
    await expect(openRunDirectory({ workDir, reuse: '../outside' })).rejects.toThrow(/expected a run folder name/);
    await expect(openRunDirectory({ workDir, reuse: '/etc' })).rejects.toThrow(/expected a run folder name/);
  });
});

describe('lockRunDirectory', () => {
  it('one holder at a time; released on release; a dead holder on this host is taken over and reported', async () => {
    const workDir = await tempDir();
    const run = await openRunDirectory({ workDir });
    const release = await lockRunDirectory(run);
    await expect(lockRunDirectory(run)).rejects.toThrow(new RegExp(`in use by process ${process.pid}`));
    await release();
    const again = await lockRunDirectory(run);
    await again();
    // A pid that cannot be alive (above the kernel's pid_max).
    await writeFile(run.lockFile(), JSON.stringify({ pid: 2 ** 30, host: (await import('node:os')).hostname(), since: 'then' }));
    const notes: string[] = [];
    const taken = await lockRunDirectory(run, { onStale: (message) => notes.push(message) });
    expect(notes).toEqual([
      `took over the stale lock of run ${run.timestamp}: process ${2 ** 30} on ${(await import('node:os')).hostname()} (since then) is gone`,
    ]);
    await taken();
    // A holder on another host is never taken over (its pid means nothing here).
    await writeFile(run.lockFile(), JSON.stringify({ pid: 2 ** 30, host: 'elsewhere', since: 'then' }));
    await expect(lockRunDirectory(run)).rejects.toThrow(/in use by process \d+ on elsewhere/);
  });
});
