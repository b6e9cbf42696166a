import { describe, expect, it } from 'vitest';
import { LruCache } from './lru-cache.js';

describe('LruCache', () => {
  it('drops the least recently used entry past the entry limit', () => {
    const cache = new LruCache<number>({ maxEntries: 2 });
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([1, undefined, 3]);
  });

  it('drops old entries past the weight limit, but keeps the newest even when it alone is too heavy', () => {
    const cache = new LruCache<string>({ maxEntries: 10, maxWeight: 100 });
    cache.set('small', 's', 30);
    cache.set('medium', 'm', 60);
    cache.set('large', 'l', 40);
    expect([cache.get('small'), cache.get('medium'), cache.get('large')]).toEqual([undefined, 'm', 'l']);
    cache.set('huge', 'h', 500);
    expect([cache.get('medium'), cache.get('large'), cache.get('huge')]).toEqual([undefined, undefined, 'h']);
    cache.set('huge', 'h', 1);
    cache.set('next', 'n', 99);
    expect([cache.get('huge'), cache.get('next')]).toEqual(['h', 'n']);
  });
});
