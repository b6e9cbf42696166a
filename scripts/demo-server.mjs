#!/usr/bin/env node
/**
 * `npm run demo:server`: the served path — `sextant run --datasets ceval_gen` over all 52 C-Eval val subjects
 * (1,346 questions) against the deterministic stand-in OpenAI-compatible server from the test suite on 127.0.0.1
 * (it answers by hashing the prompt: not a model, so expect chance-level accuracy).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startOpenAITestServer } from '../test/support/openai-test-server.mjs';

const repository = fileURLToPath(new URL('..', import.meta.url));
const dataDir = process.env.SEXTANT_DATA_DIR ?? fileURLToPath(new URL('../../shared/data', import.meta.url));
const server = await startOpenAITestServer({ modelName: 'demo-stand-in' });
const child = spawn(
  process.execPath,
  ['dist/cli/main.js', 'run', '--datasets', 'ceval_gen', '--api-base', `${server.url}/v1`, '-w', 'outputs/demo', ...process.argv.slice(2)],
  { cwd: repository, stdio: 'inherit', env: { ...process.env, SEXTANT_DATA_DIR: dataDir } },
);
child.on('exit', async (code) => {
  await server.close();
  process.exit(code ?? 1);
});
