// A config written in the user's own folder, far from any node_modules, importing `defineConfig` from 'sextant':
// it loads because the loader resolves 'sextant' to the running package (as it would from npx or a global
// install). Run from a temp dir outside the repository; `npm run build` first.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from './cli-harness.js';

let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'sextant-e2e-user-config-'));
  expect(folder.startsWith(REPO_ROOT)).toBe(false);
  await writeFile(
    join(folder, 'cfg.ts'),
    [
      "import { defineConfig } from 'sextant';",
      "import type { UserConfig } from 'sextant/config';",
      "const config: UserConfig = defineConfig({ datasets: ['ceval_gen'], models: [{ type: 'openai', apiBase: 'http://127.0.0.1:9/v1', abbr: 'outside-ts' }] });",
      'export default config;',
      '',
    ].join('\n'),
  );
  await writeFile(
    join(folder, 'cfg.mjs'),
    "import { defineConfig } from 'sextant';\nexport default defineConfig({ datasets: ['ceval_gen'], models: [{ type: 'openai', apiBase: 'http://127.0.0.1:9/v1', abbr: 'outside-mjs' }] });\n",
  );
});
afterAll(() => rm(folder, { recursive: true, force: true }));

describe("a config outside the repository importing 'sextant'", () => {
  it('renders prompts from a .ts config', async () => {
    const result = await runCli(['prompt', 'cfg.ts'], { cwd: folder });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('==== ceval-computer_network #0 (gold C) ====');
  });

  it('plans a dry run from a .mjs config', async () => {
    const result = await runCli(['run', 'cfg.mjs', '--dry-run', '--limit', '1', '-w', join(folder, 'outputs')], { cwd: folder });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('  outside-mjs  ceval-computer_network  1 samples');
  });
});
