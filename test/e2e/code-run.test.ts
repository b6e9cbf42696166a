// HumanEval and MBPP through the real CLI against the test server, with model answers this file controls, programs
// run in the real sandbox (bubblewrap, which CI installs), and every expected score computed here from the data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOpenAITestServer, type AnswerPolicy, type OpenAITestServer } from '../support/openai-test-server.mjs';
import { CLI, DATA_DIR, onlyRunDir, readJson, runCli } from './cli-harness.js';

const servers: OpenAITestServer[] = [];
const dirs: string[] = [];

interface Problem {
  task_id: string;
  prompt: string;
  canonical_solution: string;
}
interface MbppRow {
  task_id: number;
  text: string;
  code: string;
  test_list: string[];
}

async function jsonLines<T>(path: string): Promise<T[]> {
  return (await readFile(path, 'utf8'))
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

async function tempDir(label: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `sextant-code-${label}-`));
  dirs.push(dir);
  return dir;
}

async function serve(answer: AnswerPolicy): Promise<OpenAITestServer> {
  const server = await startOpenAITestServer({ modelName: 'coder', answer });
  servers.push(server);
  return server;
}

let problems: Problem[];
let mbpp: MbppRow[];

beforeAll(async () => {
  await stat(CLI);
  problems = await jsonLines<Problem>(join(DATA_DIR, 'humaneval', 'HumanEval.jsonl'));
  mbpp = (await jsonLines<MbppRow>(join(DATA_DIR, 'mbpp', 'mbpp.jsonl'))).slice(10, 510);
});

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

const problemOf = (prompt: string) => {
  const problem = problems.find((candidate) => prompt.includes(candidate.prompt));
  if (!problem) throw new Error('unknown HumanEval prompt');
  return problem;
};

describe('HumanEval through the CLI', () => {
  it('canonical solutions give pass@1 = 100; --mode eval -r re-scores from stored outcomes without Python', { timeout: 300_000 }, async () => {
    // The prompt asks for the whole function: answer with the signature, docstring and canonical body, fenced.
    const server = await serve(({ prompt }) => {
      const problem = problemOf(prompt);
      return `Here it is:\n\`\`\`python\n${problem.prompt}${problem.canonical_solution}\`\`\`\n`;
    });
    const workDir = await tempDir('humaneval');
    const args = ['run', '--datasets', 'humaneval_gen', '--api-base', `${server.url}/v1`, '--max-out-len', '4096', '-w', workDir];
    const result = await runCli(args, { timeoutMs: 280_000 });
    expect(result.code, result.stderr).toBe(0);
    const run = await onlyRunDir(workDir);
    const results = await readJson(join(run, 'results', 'coder', 'openai_humaneval.json'));
    expect(results['humaneval_pass@1']).toBe(100);
    expect(results.sandbox_isolation).toBe('bubblewrap');
    expect(Object.values(results.details).filter((detail: any) => detail?.result === 'passed')).toHaveLength(164);
    const csv = await readFile(
      join(
        run,
        'summary',
        (await readdir(join(run, 'summary'))).find((file) => file.endsWith('.csv'))!,
      ),
      'utf8',
    );
    expect(csv).toContain('openai_humaneval,dcae0e,humaneval_pass@1,gen,100.00');
    // Re-scoring: a Python that does not exist proves nothing is executed again.
    const again = await runCli([...args, '--mode', 'eval', '-r', '--python', join(workDir, 'no-python')], { timeoutMs: 120_000 });
    expect(again.code, again.stderr).toBe(0);
    expect((await readJson(join(run, 'results', 'coder', 'openai_humaneval.json')))['humaneval_pass@1']).toBe(100);
    // …and --re-execute does run them, so the missing interpreter is reported, naming it.
    const reExecuted = await runCli([...args, '--mode', 'eval', '-r', '--re-execute', '--python', join(workDir, 'no-python')], { timeoutMs: 120_000 });
    expect(`${reExecuted.stdout}${reExecuted.stderr}`).toContain('no-python');
  });

  it('pass@k on a planted mix: five samples per problem, the first c of each pass', { timeout: 120_000 }, async () => {
    const passes = [5, 3, 1, 0];
    const served = new Map<string, number>();
    const server = await serve(({ prompt }) => {
      const problem = problemOf(prompt);
      const count = served.get(problem.task_id) ?? 0;
      served.set(problem.task_id, count + 1);
      const index = problems.indexOf(problem);
      const body = count < passes[index]! ? problem.canonical_solution : '    return None\n';
      return `\`\`\`python\n${problem.prompt}${body}\`\`\``;
    });
    const workDir = await tempDir('passk');
    const args = [
      'run',
      '--datasets',
      'humaneval_gen',
      '--limit',
      '4',
      '--num-samples',
      '5',
      '--generation-kwargs',
      'temperature=0.8',
      '--api-base',
      `${server.url}/v1`,
      '--max-out-len',
      '4096',
      '-w',
      workDir,
    ];
    const result = await runCli(args, { timeoutMs: 110_000 });
    expect(result.code, result.stderr).toBe(0);
    const run = await onlyRunDir(workDir);
    const results = await readJson(join(run, 'results', 'coder', 'openai_humaneval.json'));
    // The test's own estimator: pass@1 with n = 5 and c passes is c / 5.
    expect(results['humaneval_pass@1']).toBeCloseTo(100 * (passes.reduce((sum, c) => sum + c / 5, 0) / passes.length), 10);
    expect(results['humaneval_pass@10']).toBeUndefined();
    // Five generations of a problem are not five independent questions: no Wilson interval, and each detail says which
    // generation it is.
    expect(results['humaneval_pass@1_ci95']).toBeUndefined();
    expect(Array.from({ length: 20 }, (_, index) => (results.details as Record<string, { repeat?: number }>)[String(index)]?.repeat)).toEqual(
      Array.from({ length: 20 }, (_, index) => index % 5),
    );
    const intervalsFile = (await readdir(join(run, 'sextant'))).find((name) => name.endsWith('.intervals.csv'));
    const intervalLine = (await readFile(join(run, 'sextant', intervalsFile!), 'utf8')).split('\n').find((line) => line.startsWith('openai_humaneval,'));
    expect(intervalLine).toMatch(/,-,-,"?none: not a mean of per-question 0\/1 outcomes/);
    // Each generation is stored on its own: 20 lines in the sample log, and a resume requests nothing.
    const log = (await readFile(join(run, 'samples', 'coder', 'openai_humaneval.jsonl'), 'utf8')).trim().split('\n');
    expect(log).toHaveLength(20);
    const before = server.requests.length;
    const resumed = await runCli([...args, '-r'], { timeoutMs: 110_000 });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(server.requests.filter((request) => request.path.includes('completions')).length).toBe(
      server.requests.slice(0, before).filter((request) => request.path.includes('completions')).length,
    );
  });
});

describe('MBPP through the CLI', () => {
  it('counts planted right, wrong, crashing, timing-out and hostile answers, and nothing outside the sandbox changes', { timeout: 300_000 }, async () => {
    const home = await tempDir('fake-home');
    await mkdir(join(home, 'docs'));
    await writeFile(join(home, 'docs', 'secret.txt'), 'keep me');
    const hostile = [
      `import os\nos.remove(${JSON.stringify(join(home, 'docs', 'secret.txt'))})`,
      `open(${JSON.stringify(join(home, 'planted.txt'))}, "w").write("x")`,
      'import os\nos.system("touch /tmp/sextant-mbpp-escape")',
      `import os, signal\nos.kill(os.getppid(), signal.SIGKILL)`,
    ];
    // Rows 0-9 of the test split (tasks 11-20): right, wrong, crashing, timing-out and hostile answers. Task 18's
    // solution (664 characters) is longer than MBPP's max_out_len of 512 test-server tokens, so it arrives cut.
    const plan = ['right', 'right', 'wrong', 'crash', 'timeout', 'hostile0', 'hostile1', 'right', 'hostile3', 'hostile2'];
    const server = await serve(({ prompt }) => {
      const index = mbpp.findIndex((row) => prompt.includes(`here is your task: ${row.text} Your code`));
      const kind = plan[index];
      const code =
        kind === 'right'
          ? mbpp[index]!.code
          : kind === 'wrong'
            ? `${mbpp[index]!.code}\ndef ${/assert\s+(\w+)\(/.exec(mbpp[index]!.test_list[0]!)![1]}(*args):\n    return None`
            : kind === 'crash'
              ? 'raise RuntimeError("crash")'
              : kind === 'timeout'
                ? 'while True:\n    pass'
                : // The hostile act first; the task's own solution after it, so only the act can make it fail.
                  `${hostile[Number(kind!.slice('hostile'.length))]!}\n${mbpp[index]!.code}`;
      return `[BEGIN]\n '${code}'\n[DONE]`;
    });
    const workDir = await tempDir('mbpp');
    const result = await runCli(['run', '--datasets', 'mbpp_gen', '--limit', '10', '--api-base', `${server.url}/v1`, '--max-out-len', '4096', '-w', workDir], {
      timeoutMs: 280_000,
      env: { HOME: home },
    });
    expect(result.code, result.stderr).toBe(0);
    const run = await onlyRunDir(workDir);
    const results = await readJson(join(run, 'results', 'coder', 'mbpp.json'));
    const outcome = (index: number) => results.details[String(index)].result;
    // Which reference solutions pass under HEAD's type-aware asserts is measured in the unit test; tasks 11-20 all do.
    expect(plan.map((_, index) => outcome(index))).toEqual([
      'pass',
      'pass',
      'wrong_answer',
      'failed',
      'timeout',
      'failed', // os.remove of a file the sandbox cannot see
      'failed', // a write outside the work dir
      'failed', // cut at max_out_len: NameError in the half-written function
      'failed', // the sandbox's parent is root's init of its PID namespace: kill is refused
      'pass', // os.system runs inside the sandbox, on its tmpfs; nothing outside changes
    ]);
    expect(results).toMatchObject({ score: 100 * (3 / 10), pass: 3, timeout: 1, failed: 5, wrong_answer: 1, sandbox_isolation: 'bubblewrap' });
    expect(await readFile(join(home, 'docs', 'secret.txt'), 'utf8')).toBe('keep me');
    expect(await readdir(home)).toEqual(['docs']);
    await expect(stat('/tmp/sextant-mbpp-escape')).rejects.toThrow();
  });
});
