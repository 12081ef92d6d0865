import { Injectable } from '@nestjs/common';

/** So many actions of one kind per subject (a user) per window; a limit of 0 allows all. */
export interface RateRule {
  /** Names the kind of action; each has its own count. */
  readonly name: string;
  readonly limit: number;
  readonly windowMs: number;
}

/** Sliding-window limits of what users do (sends, joins and leaves). */
export abstract class RateLimiter {
  /** Records an action; returns 0 when allowed, else the milliseconds until one more is. */
  abstract take(rule: RateRule, subject: number): Promise<number>;
}

/** A sliding log of each subject's recent actions, within one process. */
@Injectable()
export class LocalRateLimiter extends RateLimiter {
  private readonly logs = new Map<string, number[]>();

  async take(rule: RateRule, subject: number, now = Date.now()): Promise<number> {
    if (rule.limit === 0) return 0;
    const key = `${rule.name}:${subject}`;
    const recent = (this.logs.get(key) ?? []).filter((at) => at > now - rule.windowMs);
    if (recent.length >= rule.limit) {
      this.logs.set(key, recent);
      return recent[0] + rule.windowMs - now;
    }
    recent.push(now);
    this.logs.set(key, recent);
    this.sweep(now, rule.windowMs);
    return 0;
  }

  /** Forgets logs whose window has passed, now and then, so the map stays small. */
  private sweep(now: number, windowMs: number): void {
    if (this.logs.size < 10_000) return;
    for (const [key, times] of this.logs) {
      if (times[times.length - 1] <= now - windowMs) this.logs.delete(key);
    }
  }
}
