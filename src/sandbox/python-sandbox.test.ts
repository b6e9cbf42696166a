import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectIsolation } from './detect-isolation.js';
import { PythonSandbox } from './python-sandbox.js';
import { resolvePython } from './resolve-python.js';

const run = promisify(execFile);
let sandbox: PythonSandbox;
let fakeHome: string;
const secret = 'the user secret 5b1f';

beforeAll(async () => {
  const isolation = await detectIsolation();
  // CI installs bubblewrap, so these tests run the real isolation; say so loudly if it is missing.
  expect(isolation.level, `bubblewrap unavailable: ${isolation.missing.join('; ')}`).toBe('bubblewrap');
  sandbox = new PythonSandbox({ interpreter: await resolvePython(), isolation });
  fakeHome = await mkdtemp(join(tmpdir(), 'sextant-fake-home-'));
  await writeFile(join(fakeHome, 'secret.txt'), secret);
});

afterAll(async () => {
  await rm(fakeHome, { recursive: true, force: true });
});

const limits = { timeoutMs: 3000 };

describe('PythonSandbox outcomes', () => {
  it('passes, fails with the exception, and times out', async () => {
    expect((await sandbox.run('assert 1 + 1 == 2\nprint("hi")', limits)).status).toBe('passed');
    const failed = await sandbox.run('def f():\n    return 3\nassert f() == 4', limits);
    expect(failed).toMatchObject({ status: 'failed', errorType: 'AssertionError', errorMessage: '' });
    const named = await sandbox.run('undefined_name', limits);
    expect(named).toMatchObject({ status: 'failed', errorType: 'NameError', errorMessage: "name 'undefined_name' is not defined" });
    const loop = await sandbox.run('while True:\n    pass', { timeoutMs: 1000 });
    expect(loop.status).toBe('timeout');
  });

  it('runs in fresh globals without __name__ == "__main__", stdin unreadable', async () => {
    expect((await sandbox.run('assert __name__ != "__main__"', limits)).status).toBe('passed');
    expect(await sandbox.run('input()', limits)).toMatchObject({ status: 'failed', errorType: 'OSError' });
  });

  it('reports os._exit as no report, as human-eval would count it (timed out)', async () => {
    expect((await sandbox.run('import os\nos._exit(0)', limits)).status).toBe('no-report');
  });
});

describe('hostile programs are contained', () => {
  it('a fork bomb fails to fork and leaves no process behind', async () => {
    // Each child becomes a long `sleep` whose argv[0] is a marker, so the check below finds this bomb's processes
    // only (other tests may run sandboxed programs as nobody at the same time).
    const marker = `sextant-fork-bomb-${process.pid}-${Date.now()}`;
    const bomb = `import os\nwhile True:\n    try:\n        if os.fork() == 0:\n            os.execv("/bin/sleep", [${JSON.stringify(marker)}, "60"])\n    except OSError:\n        pass`;
    const outcome = await sandbox.run(bomb, { timeoutMs: 2000 });
    expect(outcome.status).toBe('timeout');
    const after = await sandbox.run('print("still works")', limits);
    expect(after).toMatchObject({ status: 'passed', stdout: 'still works\n' });
    const { stdout } = await run('ps', ['-eo', 'args']);
    expect(stdout.split('\n').filter((line) => line.startsWith(marker))).toEqual([]);
  });

  it('a memory bomb hits the address-space limit', async () => {
    const outcome = await sandbox.run('x = bytearray(8 * 1024 ** 3)', { timeoutMs: 5000, memoryBytes: 512 * 1024 ** 2 });
    expect(outcome).toMatchObject({ status: 'failed', errorType: 'MemoryError' });
  });

  it('cannot write outside its work dir, nor read the home directory', async () => {
    const target = join(fakeHome, 'planted.txt');
    const write = await sandbox.run(`open(${JSON.stringify(target)}, "w").write("x")`, limits);
    expect(write.status).toBe('failed');
    const read = await sandbox.run(`print(open(${JSON.stringify(join(fakeHome, 'secret.txt'))}).read())`, limits);
    expect(read.status).toBe('failed');
    expect(read.stdout).not.toContain(secret);
    const listing = await sandbox.run('import os\nprint(os.listdir("/root") if os.path.isdir("/root") else "none")', limits);
    expect(listing.stdout).not.toContain('.bashrc');
    expect(await readdir(fakeHome)).toEqual(['secret.txt']);
    expect(await readFile(join(fakeHome, 'secret.txt'), 'utf8')).toBe(secret);
  });

  it('has no network', async () => {
    const server = createServer((socket) => socket.end('reached'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const outcome = await sandbox.run(`import socket\nsocket.create_connection(("127.0.0.1", ${port}), timeout=1).recv(10)`, limits);
    server.close();
    expect(outcome.status).toBe('failed');
    expect(['ConnectionRefusedError', 'OSError', 'TimeoutError']).toContain(outcome.errorType);
  });

  it('cannot kill the process that runs it', async () => {
    const outcome = await sandbox.run(`import os, signal\nos.kill(${process.pid}, signal.SIGKILL)`, limits);
    expect(outcome.status).toBe('failed');
    expect(['ProcessLookupError', 'PermissionError']).toContain(outcome.errorType);
  });

  it('huge output is truncated, not fatal', async () => {
    const outcome = await sandbox.run('import sys\nfor _ in range(200000):\n    sys.stdout.write("x" * 100)', { timeoutMs: 10_000, outputBytes: 1024 });
    expect(outcome.status).toBe('passed');
    expect(outcome.stdout.length).toBe(1024);
    expect(outcome.truncated).toBe(true);
  });

  it('a large file write fails at the size limit', async () => {
    const outcome = await sandbox.run('open("big", "wb").write(b"a" * (64 * 1024 * 1024))', { timeoutMs: 5000, fileBytes: 1024 * 1024 });
    expect(outcome.status).not.toBe('passed');
  });
});

describe('without bubblewrap', () => {
  it('still applies rlimits and the timeout, and says what is missing', async () => {
    const isolation = { level: 'rlimits' as const, missing: ['filesystem isolation (the host is readable)'] };
    const plain = new PythonSandbox({ interpreter: sandbox.interpreter, isolation });
    expect((await plain.run('assert True', limits)).status).toBe('passed');
    expect((await plain.run('while True:\n    pass', { timeoutMs: 1000 })).status).toBe('timeout');
    expect(await plain.run('x = bytearray(8 * 1024 ** 3)', { timeoutMs: 5000, memoryBytes: 512 * 1024 ** 2 })).toMatchObject({
      status: 'failed',
      errorType: 'MemoryError',
    });
    expect((await plain.run('import os\nprint(os.getcwd())', limits)).stdout).toContain('sextant-sandbox-');
  });
});
