/**
 * An in-flight limit for one endpoint. Fixed when the user gave a number; otherwise adaptive (AIMD): start moderate,
 * raise the limit by a step after each window of completions whose throughput beat the previous window's, halve it
 * on sustained overload (429/503 answers making up at least `overloadFraction` of a window's outcomes, a window
 * being at least max(8, limit) outcomes) or when latency collapses (the window's median latency several times the
 * best seen while throughput stopped growing), never above `max`, and for overload alone never below a quarter of
 * the initial limit. Isolated overload answers (a server that sheds
 * a few requests at random) do not lower the limit: they are retried, and halving on each would starve the run.
 */
export class AdaptiveLimit {
  private current: number;
  private windowStart = Date.now();
  private windowCompletions = 0;
  private windowOverloads = 0;
  private windowLatencies: number[] = [];
  private previousThroughput = 0;
  private bestMedianLatency = Number.POSITIVE_INFINITY;
  private cooldownUntil = 0;

  constructor(
    private readonly options: {
      /** `undefined`: adaptive; a number: fixed at that value. */
      readonly fixed?: number;
      readonly initial?: number;
      readonly max: number;
      readonly step?: number;
      /** Median latency more than this many times the best median counts as a collapse. @default 4 */
      readonly collapseFactor?: number;
      /** Share of a window's outcomes that are overload answers at which the limit is halved. @default 0.25 */
      readonly overloadFraction?: number;
    },
  ) {
    this.current = options.fixed ?? Math.min(options.max, options.initial ?? 16);
  }

  get value(): number {
    return this.current;
  }

  get isAdaptive(): boolean {
    return this.options.fixed === undefined;
  }

  /** A request finished normally after `latencyMs`. */
  onSuccess(latencyMs: number, now = Date.now()): void {
    if (!this.isAdaptive) return;
    this.windowCompletions += 1;
    this.windowLatencies.push(latencyMs);
    if (this.windowCompletions + this.windowOverloads < this.windowSize) return;
    const elapsed = Math.max(1, now - this.windowStart);
    const throughput = this.windowCompletions / elapsed;
    const median = medianOf(this.windowLatencies);
    this.bestMedianLatency = Math.min(this.bestMedianLatency, median);
    const grew = throughput > this.previousThroughput * 1.05;
    const collapsed = median > this.bestMedianLatency * (this.options.collapseFactor ?? 4);
    if (now >= this.cooldownUntil) {
      if (collapsed && !grew) this.decrease(now);
      else if (this.overloaded) this.decrease(now, this.overloadFloor);
      else if (grew) this.current = Math.min(this.options.max, this.current + (this.options.step ?? 4));
    }
    this.previousThroughput = throughput;
    this.startWindow(now);
  }

  /**
   * The server said it is overloaded (429, 503). Halves the limit once such answers are a sustained share of the
   * window's outcomes (also when nothing succeeds at all), never on one isolated answer.
   */
  onOverload(now = Date.now()): void {
    if (!this.isAdaptive) return;
    this.windowOverloads += 1;
    if (this.windowCompletions + this.windowOverloads < this.windowSize || !this.overloaded) return;
    if (now >= this.cooldownUntil) this.decrease(now, this.overloadFloor);
    this.startWindow(now);
  }

  /** Outcomes per decision window. */
  private get windowSize(): number {
    return Math.max(8, this.current);
  }

  private get overloaded(): boolean {
    const outcomes = this.windowCompletions + this.windowOverloads;
    return outcomes > 0 && this.windowOverloads / outcomes >= (this.options.overloadFraction ?? 0.25);
  }

  private startWindow(now: number): void {
    this.windowStart = now;
    this.windowCompletions = 0;
    this.windowOverloads = 0;
    this.windowLatencies = [];
  }

  /**
   * Overload answers alone never take the limit below a quarter of where it started (4 by default): a server that
   * sheds requests at random whatever the load would otherwise drive it to 1 and the run to a crawl, while a server
   * that is really full paces those 4 with its 429s and `Retry-After`, which are honoured.
   */
  private get overloadFloor(): number {
    return Math.max(1, Math.floor(Math.min(this.options.max, this.options.initial ?? 16) / 4));
  }

  private decrease(now: number, floor = 1): void {
    if (this.current <= floor) return;
    this.current = Math.max(floor, Math.floor(this.current / 2));
    // One decrease per burst of overload answers.
    this.cooldownUntil = now + 1000;
    this.previousThroughput = 0;
  }
}

function medianOf(values: number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
