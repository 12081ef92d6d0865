import { until } from '../../test/support/polling';
import { twoNodesForSuite } from '../../test/support/redis-node';
import { LocalRateLimiter, RateRule, UNLIMITED } from './rate-limiter';
import { RedisRateLimiter } from './rate-limiter.redis';

describe('RedisRateLimiter (on a redis-server of its own)', () => {
  const rule: RateRule = { name: 'send', limit: 2, windowMs: 60_000 };
  const suite = twoNodesForSuite();
  let nextSubject = 1;

  it('holds one limit per subject across nodes, answering as LocalRateLimiter does', async () => {
    const [a, b] = suite.nodes().map((node) => new RedisRateLimiter(node));
    const local = new LocalRateLimiter();
    const subject = nextSubject++;
    for (const [attempt, limiter] of [a, b, a, b].entries()) {
      const shared = await limiter.hit(rule, subject);
      const alone = await local.hit(rule, subject);
      expect({ attempt, allowed: shared.retryAfterMs === 0, remaining: shared.remaining }).toEqual({
        attempt,
        allowed: alone.retryAfterMs === 0,
        remaining: alone.remaining,
      });
      // Both clocks started the window a few ms apart.
      expect(Math.abs(shared.resetMs - alone.resetMs)).toBeLessThan(1_000);
      expect(Math.abs(shared.retryAfterMs - alone.retryAfterMs)).toBeLessThan(1_000);
    }
    expect(await b.take(rule, nextSubject++)).toBe(0);
  });

  it('counts each rule and each subject apart, client addresses too', async () => {
    const limiter = new RedisRateLimiter(suite.nodes()[0]);
    const auth: RateRule = { name: 'auth', limit: 1, windowMs: 60_000 };
    expect(await limiter.take(auth, '203.0.113.7')).toBe(0);
    expect(await limiter.take(auth, '2001:db8:0:0::/64')).toBe(0);
    expect(await limiter.take(auth, '203.0.113.7')).toBeGreaterThan(0);
    expect(await limiter.take(rule, '203.0.113.7')).toBe(0);
  });

  it('allows everything under a limit of 0, counting nothing', async () => {
    const limiter = new RedisRateLimiter(suite.nodes()[0]);
    const off: RateRule = { ...rule, name: 'off', limit: 0 };
    for (let i = 0; i < 5; i++) expect(await limiter.hit(off, nextSubject)).toEqual(UNLIMITED);
  });

  it('allows again once the oldest action has left the window', async () => {
    const [a, b] = suite.nodes().map((node) => new RedisRateLimiter(node));
    const short: RateRule = { name: 'short', limit: 1, windowMs: 300 };
    const subject = nextSubject++;
    expect(await a.take(short, subject)).toBe(0);
    expect(await b.take(short, subject)).toBeGreaterThan(0);
    // Refused attempts are not counted, so polling does not hold the window open.
    await until('the window to pass', async () => (await b.take(short, subject)) === 0);
    expect(await a.take(short, subject)).toBeGreaterThan(0);
  });

  it('allows an action within about a second while Redis hangs, as the first of a window', async () => {
    const limiter = new RedisRateLimiter(suite.nodes()[0]);
    suite.redis().pause();
    const started = Date.now();
    expect(await limiter.hit(rule, nextSubject++)).toEqual({
      retryAfterMs: 0,
      remaining: 1,
      resetMs: 60_000,
    });
    expect(Date.now() - started).toBeLessThan(1_500);
  });
});
