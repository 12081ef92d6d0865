/**
 * The median of the finite values, the lower of the middle two for an even count (NaN if none):
 * one stall of the machine moves one round, not the median.
 */
export function median(values: readonly number[]): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.floor((sorted.length - 1) / 2)];
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A small deterministic PRNG (mulberry32), so runs pick the same senders and pages. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/** CPU use of this process since `start()`, in % of one core. */
export class CpuMeter {
  private wall = performance.now();
  private cpu = process.cpuUsage();

  start(): this {
    this.wall = performance.now();
    this.cpu = process.cpuUsage();
    return this;
  }

  percent(): number {
    const used = process.cpuUsage(this.cpu);
    const wallMs = performance.now() - this.wall;
    return wallMs <= 0 ? 0 : ((used.user + used.system) / 1000 / wallMs) * 100;
  }
}

/** Runs `work` over 0..count-1 with at most `width` at a time. */
export async function pool(
  count: number,
  width: number,
  work: (index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await work(next++);
  };
  await Promise.all(Array.from({ length: Math.min(width, count) }, worker));
}
