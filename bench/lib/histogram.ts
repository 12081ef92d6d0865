/**
 * A log-bucketed latency histogram: O(1) to record, 1 % relative resolution, from 1 µs to ~1 h.
 * Values are recorded in microseconds and read back in milliseconds.
 */
const BUCKETS_PER_E = 100; // ln-buckets: width 1 %
const MAX_BUCKET = Math.ceil(Math.log(3.6e9) * BUCKETS_PER_E);

export class Histogram {
  private readonly buckets = new Uint32Array(MAX_BUCKET + 1);
  count = 0;
  private sumUs = 0;
  private maxUs = 0;

  recordUs(us: number): void {
    const value = us < 1 ? 1 : us;
    const index = Math.min(MAX_BUCKET, Math.floor(Math.log(value) * BUCKETS_PER_E));
    this.buckets[index]++;
    this.count++;
    this.sumUs += value;
    if (value > this.maxUs) this.maxUs = value;
  }

  merge(other: Histogram): void {
    for (let i = 0; i <= MAX_BUCKET; i++) this.buckets[i] += other.buckets[i];
    this.count += other.count;
    this.sumUs += other.sumUs;
    this.maxUs = Math.max(this.maxUs, other.maxUs);
  }

  /** The p-th percentile (0..100) in milliseconds; NaN when empty. */
  percentileMs(p: number): number {
    if (this.count === 0) return NaN;
    const rank = Math.max(1, Math.ceil((p / 100) * this.count));
    let seen = 0;
    for (let i = 0; i <= MAX_BUCKET; i++) {
      seen += this.buckets[i];
      if (seen >= rank) {
        // Upper edge of the bucket, never above the largest value seen.
        return Math.min(Math.exp((i + 1) / BUCKETS_PER_E), this.maxUs) / 1000;
      }
    }
    return this.maxUs / 1000;
  }

  meanMs(): number {
    return this.count === 0 ? NaN : this.sumUs / this.count / 1000;
  }

  maxMs(): number {
    return this.count === 0 ? NaN : this.maxUs / 1000;
  }

  summary(): LatencySummary {
    return {
      count: this.count,
      p50: this.percentileMs(50),
      p99: this.percentileMs(99),
      max: this.maxMs(),
      mean: this.meanMs(),
    };
  }
}

export interface LatencySummary {
  count: number;
  /** Milliseconds. */
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

/** Microseconds on the process's monotonic clock. */
export function nowUs(): number {
  return Math.round(performance.now() * 1000);
}
