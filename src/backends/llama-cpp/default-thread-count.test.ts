import { describe, expect, it } from 'vitest';
import { defaultThreadCount } from './default-thread-count.js';

describe('defaultThreadCount', () => {
  it('uses one thread on machines with at most two cores', () => {
    expect(defaultThreadCount(1)).toBe(1);
    expect(defaultThreadCount(2)).toBe(1);
  });

  it('leaves one core free on larger machines', () => {
    expect(defaultThreadCount(3)).toBe(2);
    expect(defaultThreadCount(16)).toBe(15);
  });
});
