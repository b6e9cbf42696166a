#!/usr/bin/env node
/**
 * `npm run demo`: sextant's main job with nothing else installed or running — C-Eval on a model file evaluated
 * in-process (the embedded default): the tiny trained story model in ../shared/models (GGUF, llama.cpp), 0-shot
 * C-Eval, the first question of each of the 52 subjects. It is an English story model, so expect chance-level
 * accuracy; the point is the whole path. Extra arguments are passed to `sextant run`.
 * Data: SEXTANT_DATA_DIR, else ../shared/data beside this repository.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const repository = fileURLToPath(new URL('..', import.meta.url));
const shared = fileURLToPath(new URL('../../shared/', import.meta.url));
const dataDir = process.env.SEXTANT_DATA_DIR ?? `${shared}data`;
const model = `${shared}models/stories260K-gguf/stories260Ktok512.gguf`;
for (const [what, path] of [
  ['data', dataDir],
  ['model', model],
]) {
  if (!existsSync(path)) {
    console.error(`demo: no ${what} at ${path} (set SEXTANT_DATA_DIR for data; the model is read from ../shared/models)`);
    process.exit(2);
  }
}
const child = spawn(
  process.execPath,
  ['dist/cli/main.js', 'run', '--hf-path', model, '--datasets', 'ceval_zero_shot_gen_bd40ef', '--limit', '1', '-w', 'outputs/demo', ...process.argv.slice(2)],
  { cwd: repository, stdio: 'inherit', env: { ...process.env, SEXTANT_DATA_DIR: dataDir } },
);
child.on('exit', (code) => process.exit(code ?? 1));
