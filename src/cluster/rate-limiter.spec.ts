import { LocalRateLimiter, RateRule, UNLIMITED } from './rate-limiter';

describe('LocalRateLimiter', () => {
  const rule: RateRule = { name: 'send', limit: 2, windowMs: 1_000 };
  let limiter: LocalRateLimiter;

  beforeEach(() => (limiter = new LocalRateLimiter()));

  /** The wait `take` answers, at the given time. */
  const waitAt = async (rateRule: RateRule, subject: string | number, now: number) =>
    (await limiter.hit(rateRule, subject, now)).retryAfterMs;

  it('allows `limit` actions per window, then says how long until the oldest leaves it', async () => {
    expect(await limiter.hit(rule, 1, 0)).toEqual({
      retryAfterMs: 0,
      remaining: 1,
      resetMs: 1_000,
    });
    expect(await limiter.hit(rule, 1, 400)).toEqual({
      retryAfterMs: 0,
      remaining: 0,
      resetMs: 600,
    });
    expect(await limiter.hit(rule, 1, 700)).toEqual({
      retryAfterMs: 300,
      remaining: 0,
      resetMs: 300,
    });
    // Refused actions are not counted: the window slides past the first one only.
    expect(await limiter.hit(rule, 1, 1_000)).toEqual({
      retryAfterMs: 0,
      remaining: 0,
      resetMs: 400,
    });
    expect(await waitAt(rule, 1, 1_001)).toBe(399);
  });

  it('answers with take only the wait', async () => {
    await limiter.take(rule, 1);
    expect(await limiter.take(rule, 1)).toBe(0);
    expect(await limiter.take(rule, 1)).toBeGreaterThan(0);
  });

  it('counts each subject and each rule apart', async () => {
    const other: RateRule = { ...rule, name: 'membership', limit: 1 };
    await limiter.hit(rule, 1, 0);
    await limiter.hit(rule, 1, 0);
    expect(await waitAt(rule, 2, 0)).toBe(0);
    expect(await waitAt(rule, '203.0.113.7', 0)).toBe(0);
    expect(await waitAt(other, 1, 0)).toBe(0);
    expect(await waitAt(other, 1, 0)).toBe(1_000);
  });

  it('allows everything under a limit of 0, counting nothing', async () => {
    const off: RateRule = { ...rule, limit: 0 };
    for (let i = 0; i < 5; i++) expect(await limiter.hit(off, 1, 0)).toEqual(UNLIMITED);
  });

  it('forgets, when it sweeps, only logs out of their own rule’s window', async () => {
    const long: RateRule = { name: 'auth', limit: 1, windowMs: 60_000 };
    await limiter.hit(long, 'client', 0);
    // Enough subjects of the short rule to make it sweep, well after its window.
    for (let subject = 0; subject < 10_001; subject++) await limiter.hit(rule, subject, 5_000);
    expect(await waitAt(long, 'client', 6_000)).toBe(54_000);
  });
});
