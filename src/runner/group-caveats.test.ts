import { describe, expect, it } from 'vitest';
import type { DatasetTask } from '../spec/index.js';
import { formatGroupedCaveat, groupCaveats } from './group-caveats.js';

const task = (abbr: string, caveat?: string) => ({ abbr, ...(caveat ? { caveat } : {}) }) as unknown as DatasetTask;

describe('groupCaveats', () => {
  it('shows a caveat shared by many datasets once', () => {
    const tasks = Array.from({ length: 52 }, (_, index) => task(`ceval-s${index}`, `ceval-s${index}: the test split has no answers`));
    const grouped = groupCaveats([...tasks, task('other'), task('odd', 'odd: something else')]);
    expect(grouped).toHaveLength(2);
    expect(grouped[0]?.datasets).toHaveLength(52);
    expect(formatGroupedCaveat(grouped[0]!)).toBe('52 datasets (ceval-s0, ceval-s1, …): the test split has no answers');
    expect(formatGroupedCaveat(grouped[1]!)).toBe('odd: something else');
  });
});
