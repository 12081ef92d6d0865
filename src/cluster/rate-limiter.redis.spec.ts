import { closeNodes, redisNode } from '../../test/support/redis-node';
import { TestRedis } from '../../test/support/test-redis';
import type { RateRule } from './rate-limiter';
import { RedisRateLimiter } from './rate-limiter.redis';
import { RedisConnection } from './redis-connection';

describe('RedisRateLimiter (on a redis-server of its own)', () => {
  const rule: RateRule = { name: 'send', limit: 2, windowMs: 60_000 };
  let redis: TestRedis;
  let nodeA: RedisConnection;
  let nodeB: RedisConnection;
  let nextUserId = 1;

  beforeAll(async () => {
    redis = await TestRedis.start();
    [nodeA, nodeB] = await Promise.all([redisNode(redis.url), redisNode(redis.url)]);
  }, 30_000);

  afterEach(() => redis.resume());

  afterAll(async () => {
    await closeNodes(nodeA, nodeB);
    await redis.dispose();
  });

  it('holds one limit per user across nodes', async () => {
    const [a, b] = [new RedisRateLimiter(nodeA), new RedisRateLimiter(nodeB)];
    const userId = nextUserId++;
    expect(await a.take(rule, userId)).toBe(0);
    expect(await b.take(rule, userId)).toBe(0);
    const wait = await a.take(rule, userId);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60_000);
    expect(await b.take(rule, nextUserId++)).toBe(0);
  });

  it('counts each rule apart, and allows everything under a limit of 0', async () => {
    const limiter = new RedisRateLimiter(nodeA);
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
    const limiter = new RedisRateLimiter(nodeA);
    redis.pause();
    const started = Date.now();
    expect(await limiter.take(rule, nextUserId++)).toBe(0);
    expect(Date.now() - started).toBeLessThan(1_500);
  });
});
