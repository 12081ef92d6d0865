import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';

/** Messages a user may send per window (RATE_LIMIT_MESSAGES per RATE_LIMIT_WINDOW_S). */
export abstract class SendRateLimiter {
  /** Records a send; returns 0 when allowed, else the milliseconds until one more is. */
  abstract take(userId: number): Promise<number>;
}

/** A sliding log of each user's recent sends, within one process. */
@Injectable()
export class LocalSendRateLimiter extends SendRateLimiter {
  private readonly sends = new Map<number, number[]>();
  private readonly limit: number;
  private readonly windowMs: number;

  constructor(config: AppConfig) {
    super();
    this.limit = config.rateLimit.messages;
    this.windowMs = config.rateLimit.windowSeconds * 1000;
  }

  async take(userId: number, now = Date.now()): Promise<number> {
    if (this.limit === 0) return 0;
    const recent = (this.sends.get(userId) ?? []).filter((at) => at > now - this.windowMs);
    if (recent.length >= this.limit) {
      this.sends.set(userId, recent);
      return recent[0] + this.windowMs - now;
    }
    recent.push(now);
    this.sends.set(userId, recent);
    this.sweep(now);
    return 0;
  }

  /** Forgets users whose window has passed, now and then, so the map stays small. */
  private sweep(now: number): void {
    if (this.sends.size < 10_000) return;
    for (const [userId, times] of this.sends) {
      if (times[times.length - 1] <= now - this.windowMs) this.sends.delete(userId);
    }
  }
}
