/**
 * A least-recently-used map bounded by entry count and by total weight (e.g. samples indexed): reading an entry
 * refreshes it; past either bound the oldest entries are dropped (never the one just stored).
 */
export class LruCache<Value> {
  private readonly entries = new Map<string, { value: Value; weight: number }>();
  private totalWeight = 0;

  constructor(private readonly limits: { maxEntries: number; maxWeight?: number }) {}

  get(key: string): Value | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  /** Store (or re-store with a new weight) an entry as the most recent. */
  set(key: string, value: Value, weight = 1): void {
    this.delete(key);
    this.entries.set(key, { value, weight });
    this.totalWeight += weight;
    const maxWeight = this.limits.maxWeight ?? Number.POSITIVE_INFINITY;
    for (const [oldest, entry] of this.entries) {
      if (oldest === key || (this.entries.size <= this.limits.maxEntries && this.totalWeight <= maxWeight)) break;
      this.entries.delete(oldest);
      this.totalWeight -= entry.weight;
    }
  }

  delete(key: string): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    this.entries.delete(key);
    this.totalWeight -= entry.weight;
  }
}
