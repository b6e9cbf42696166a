import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDataFiles } from './check-data-files.js';

describe('checkDataFiles', () => {
  it('passes when every file exists; otherwise lists every benchmark with missing files in one message', async () => {
    const root = await mkdtemp(join(tmpdir(), 'sextant-data-'));
    await mkdir(join(root, 'ceval', 'val'), { recursive: true });
    await writeFile(join(root, 'ceval', 'val', 'law_val.csv'), 'id\n');
    await checkDataFiles({ root: { path: root, source: 'flag' }, owners: [{ benchmark: 'ceval', title: 'C-Eval', files: ['ceval/val/law_val.csv'] }] });
    const error = await checkDataFiles({
      root: { path: root, source: 'env' },
      owners: [
        { benchmark: 'ceval', title: 'C-Eval', files: ['ceval/val/law_val.csv', 'ceval/dev/law_dev.csv'] },
        { benchmark: 'cmmlu', title: 'CMMLU', files: ['cmmlu/test/a.csv', 'cmmlu/test/b.csv', 'cmmlu/test/c.csv', 'cmmlu/test/d.csv'] },
        { benchmark: 'custom', title: 'custom dataset', files: ['/nowhere/mine.jsonl'], fetchable: false },
      ],
    }).then(
      () => undefined,
      (caught: Error) => caught,
    );
    expect(error?.message).toBe(
      [
        'data missing for 3 benchmarks; nothing was requested:',
        `  C-Eval (ceval): 1 file missing: ${join(root, 'ceval/dev/law_dev.csv')}`,
        `  CMMLU (cmmlu): 4 files missing: ${join(root, 'cmmlu/test/a.csv')}, ${join(root, 'cmmlu/test/b.csv')}, ${join(root, 'cmmlu/test/c.csv')} and 1 more`,
        '  custom dataset (custom): 1 file missing: /nowhere/mine.jsonl',
        `  data root: ${root} (from the environment variable SEXTANT_DATA_DIR)`,
        "  Fetch it (sha256-checked) with: sextant data fetch ceval cmmlu. Or point --data-dir at a folder that holds it (in this repository's tests: SEXTANT_DATA_DIR=../shared/data).",
      ].join('\n'),
    );
  });
});
