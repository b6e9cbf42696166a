// Every command's --help, read as a user reads it: each flag it lists is run through the real CLI and must be
// accepted by the parser (no "unknown option"), ending in a domain error from inputs chosen to fail fast (an
// unknown dataset, a folder that does not exist). Run `npm run build` first.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from './cli-harness.js';

interface ListedFlag {
  /** As listed: `--work-dir` or `-w`. */
  readonly spelling: string;
  /** The value hint after it (`DIR`, `[TIMESTAMP]`), absent for a boolean flag. */
  readonly hint: string | undefined;
}

/** The flags of a help text's OPTIONS section: `  -w, --work-dir DIR   description`. */
function listedFlags(help: string): ListedFlag[] {
  const lines = help.split('\n');
  const start = lines.indexOf('OPTIONS');
  if (start < 0) return [];
  const end = lines.indexOf('', start);
  return lines.slice(start + 1, end < 0 ? undefined : end).flatMap((line) => {
    const match = /^ {2}((?:-\w, )?--[a-z][a-z0-9-]*)(?: (\S+))?(?: {2,}|$)/.exec(line);
    if (!match) throw new Error(`unparsed OPTIONS line: ${JSON.stringify(line)}`);
    const hint = match[2];
    return (match[1] as string).split(', ').map((spelling) => ({ spelling, hint }));
  });
}

let work: string;
const missing = () => join(work, 'does-not-exist');

/** Per command: arguments that make it fail fast with a domain error, and values for flags that need a specific one. */
const commands: Record<string, { base: () => string[]; expectError: RegExp; values?: Record<string, string> }> = {
  run: {
    base: () => ['run', '--datasets', 'no_such_dataset', '--api-base', 'http://127.0.0.1:9/v1', '-w', work],
    expectError: /^sextant run: /m,
    values: {
      '--mode': 'eval',
      '-m': 'eval',
      '--model-type': 'openai',
      '--hf-type': 'chat',
      '--accelerator': 'lmdeploy',
      '-a': 'lmdeploy',
      '--concurrency': 'auto',
      '--batching': 'static',
    },
  },
  list: { base: () => ['list', 'no_such_pattern'], expectError: /nothing matches/ },
  prompt: { base: () => ['prompt', '--datasets', 'no_such_dataset'], expectError: /^sextant prompt: /m, values: { '--model-type': 'lmdeploy' } },
  compare: { base: () => ['compare', missing()], expectError: /does not exist/, values: { '--alpha': '0.05' } },
  audit: { base: () => ['audit', missing()], expectError: /does not exist/, values: { '--extractor': 'first_option_postprocess' } },
  report: { base: () => ['report', missing()], expectError: /does not exist/ },
  view: { base: () => ['view', missing()], expectError: /does not exist/ },
  'data list': { base: () => ['data', 'list'], expectError: /^data root: /m },
  'data fetch': { base: () => ['data', 'fetch', 'no_such_data'], expectError: /unknown data "no_such_data"/, values: { '--mirror': 'http://127.0.0.1:9' } },
  'data verify': { base: () => ['data', 'verify', 'no_such_data'], expectError: /unknown data "no_such_data"/ },
};

function valueFor(flag: ListedFlag, values: Record<string, string>): string[] {
  if (flag.hint === undefined) return [];
  if (flag.hint.startsWith('[')) return [];
  const given = values[flag.spelling];
  if (given !== undefined) return [given];
  if (flag.hint === 'N' || flag.hint === 'P' || flag.hint === 'POINTS' || flag.hint === 'PORT') return ['1'];
  if (flag.hint.startsWith('K=V')) return ['key=1'];
  if (flag.hint === 'DIR' || flag.hint === 'FILE') return [join(work, 'out')];
  return ['x'];
}

/** Spawns at most `limit` at a time. */
async function mapLimited<Item, Result>(items: readonly Item[], limit: number, run: (item: Item) => Promise<Result>): Promise<Result[]> {
  const results: Result[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next;
        next += 1;
        results[index] = await run(items[index] as Item);
      }
    }),
  );
  return results;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'sextant-e2e-help-'));
});
afterAll(() => rm(work, { recursive: true, force: true }));

describe('--help', () => {
  it.each(Object.keys(commands))(
    '%s --help lists kebab-case flags, and each listed flag is accepted',
    async (name) => {
      const help = await runCli([...name.split(' '), '--help'], { env: { NO_COLOR: '', CI: '1' } });
      expect(help.code).toBe(0);
      // Not a terminal: no colour codes (CI=1 does not turn them on).
      expect(help.stdout).not.toContain('\x1b[');
      expect(help.stdout).toMatch(new RegExp(`^USAGE {2}sextant ${name}`, 'm'));
      expect(help.stdout).not.toMatch(/--[a-z]+[A-Z]/);
      const flags = listedFlags(help.stdout);
      if (name === 'run') {
        expect(flags.map((flag) => flag.spelling)).toEqual(
          expect.arrayContaining(['--model-type', '--hf-path', '--dry-run', '--work-dir', '-w', '-r', '--max-out-len']),
        );
      }
      if (name === 'compare') expect(flags.map((flag) => flag.spelling)).toEqual(expect.arrayContaining(['--fail-if-worse', '--models']));
      if (name === 'audit') expect(flags.map((flag) => flag.spelling)).toContain('--models');
      const command = commands[name]!;
      const runs = await mapLimited(flags, 4, async (flag): Promise<[ListedFlag, CliResult]> => [
        flag,
        await runCli([...command.base(), flag.spelling, ...valueFor(flag, command.values ?? {})], { timeoutMs: 30_000 }),
      ]);
      for (const [flag, result] of runs) {
        const output = `${flag.spelling}:\n${result.stdout}\n${result.stderr}`;
        expect(result.stderr, output).not.toMatch(/unknown option|unexpected error/);
        expect(`${result.stdout}${result.stderr}`, output).toMatch(command.expectError);
      }
    },
    120_000,
  );

  it('sextant --help lists every command; colour only when forced', async () => {
    const plain = await runCli(['--help'], { env: { NO_COLOR: '' } });
    expect(plain.code).toBe(0);
    for (const name of Object.keys(commands).filter((key) => !key.includes(' '))) expect(plain.stdout).toMatch(new RegExp(`^ {2}${name} `, 'm'));
    expect(plain.stdout).toMatch(/^ {2}data /m);
    expect(plain.stdout).not.toContain('\x1b[');
    const forced = await runCli(['run', '--help'], { env: { NO_COLOR: '', FORCE_COLOR: '1' } });
    expect(forced.stdout).toContain('\x1b[');
  });

  it('an unknown flag is refused with the closest listed one', async () => {
    const result = await runCli(['run', '--modelType', 'openai']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('sextant run: --modelType: unknown option; did you mean --model-type? (see --help)');
  });
});
