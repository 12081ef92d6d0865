import { twoNodesForSuite } from '../../test/support/redis-node';
import type { RateRule } from './rate-limiter';
import { RedisRateLimiter } from './rate-limiter.redis';

describe('RedisRateLimiter (on a redis-server of its own)', () => {
  const rule: RateRule = { name: 'send', limit: 2, windowMs: 60_000 };
  const suite = twoNodesForSuite();
  let nextUserId = 1;

  it('holds one limit per user across nodes', async () => {
    const [a, b] = suite.nodes().map((node) => new RedisRateLimiter(node));
    const userId = nextUserId++;
    expect(await a.take(rule, userId)).toBe(0);
    expect(await b.take(rule, userId)).toBe(0);
    const wait = await a.take(rule, userId);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60_000);
    expect(await b.take(rule, nextUserId++)).toBe(0);
  });

  it('counts each rule apart, and allows everything under a limit of 0', async () => {
    const limiter = new RedisRateLimiter(suite.nodes()[0]);
    const userId = nextUserId++;
    const other: RateRule = { name: 'membership', limit: 1, windowMs: 60_000 };
    expect(await limiter.take(rule, userId)).toBe(0);
    expect(await limiter.take(rule, userId)).toBe(0);
    expect(await limiter.take(other, userId)).toBe(0);
    expect(await limiter.take(other, userId)).toBeGreaterThan(0);
    const off: RateRule = { ...rule, name: 'off', limit: 0 };
    for (let i = 0; i < 5; i++) expect(await limiter.take(off, userId)).toBe(0);
  });

  it('allows a send within about a second while Redis hangs', async () => {
    const limiter = new RedisRateLimiter(suite.nodes()[0]);
    suite.redis().pause();
    const started = Date.now();
    expect(await limiter.take(rule, nextUserId++)).toBe(0);
    expect(Date.now() - started).toBeLessThan(1_500);
  });
});
