import { Injectable } from '@nestjs/common';

/** So many actions of one kind per subject per window; a limit of 0 allows all. */
export interface RateRule {
  /** Names the kind of action; each has its own count. */
  readonly name: string;
  readonly limit: number;
  readonly windowMs: number;
}

/** Whom a rule counts: a user id, a client address. */
export type RateSubject = string | number;

/** Where a subject stands once an action was counted, or refused. */
export interface RateDecision {
  /** 0 when the action was allowed (and counted), else the ms until one more would be. */
  readonly retryAfterMs: number;
  /** Actions left to the subject in the window. */
  readonly remaining: number;
  /** Ms until the oldest counted action leaves the window. */
  readonly resetMs: number;
}

/** What a limit of 0 answers: everything is allowed, nothing counted. */
export const UNLIMITED: RateDecision = { retryAfterMs: 0, remaining: Infinity, resetMs: 0 };

/**
 * Sliding-window limits of what clients do (sends, joins and leaves, sign-in attempts): each
 * subject's actions of the window are logged; one more is refused while the log is full.
 */
export abstract class RateLimiter {
  /** Counts an action unless the subject is over the limit. */
  abstract hit(rule: RateRule, subject: RateSubject): Promise<RateDecision>;

  /** `hit`, when only the wait matters: 0 when allowed, else the ms until one more is. */
  async take(rule: RateRule, subject: RateSubject): Promise<number> {
    return (await this.hit(rule, subject)).retryAfterMs;
  }
}

/** A sliding log of each subject's recent actions, per rule, within one process. */
@Injectable()
export class LocalRateLimiter extends RateLimiter {
  private readonly logsByRule = new Map<string, Map<RateSubject, number[]>>();

  async hit(rule: RateRule, subject: RateSubject, now = Date.now()): Promise<RateDecision> {
    if (rule.limit === 0) return UNLIMITED;
    let logs = this.logsByRule.get(rule.name);
    if (!logs) this.logsByRule.set(rule.name, (logs = new Map<RateSubject, number[]>()));
    const horizon = now - rule.windowMs;
    const recent = (logs.get(subject) ?? []).filter((at) => at > horizon);
    const allowed = recent.length < rule.limit;
    if (allowed) {
      recent.push(now);
      sweep(logs, horizon);
    }
    logs.set(subject, recent);
    const resetMs = recent[0] - horizon;
    return { retryAfterMs: allowed ? 0 : resetMs, remaining: rule.limit - recent.length, resetMs };
  }
}

/**
 * Forgets the logs of one rule whose last action is out of its window, now and then, so the map
 * stays small (each rule has its own window).
 */
function sweep(logs: Map<RateSubject, number[]>, horizon: number): void {
  if (logs.size < 10_000) return;
  for (const [subject, times] of logs) {
    if (times[times.length - 1] <= horizon) logs.delete(subject);
  }
}
