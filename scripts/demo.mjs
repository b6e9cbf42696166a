#!/usr/bin/env node
/**
 * `npm run demo`: sextant's whole C-Eval path with nothing else installed. Starts the deterministic stand-in
 * OpenAI-compatible server from the test suite on 127.0.0.1 (it answers by hashing the prompt — not a model, so
 * expect chance-level accuracy) and runs `sextant run --datasets ceval_gen` against it.
 * Data: SEXTANT_DATA_DIR, else ../shared/data beside this repository.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startOpenAITestServer } from '../test/support/openai-test-server.mjs';

const repository = fileURLToPath(new URL('..', import.meta.url));
const dataDir = process.env.SEXTANT_DATA_DIR ?? fileURLToPath(new URL('../../shared/data', import.meta.url));
if (!existsSync(dataDir)) {
  console.error(`demo: no data at ${dataDir}; set SEXTANT_DATA_DIR to a folder holding ceval/`);
  process.exit(2);
}
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
