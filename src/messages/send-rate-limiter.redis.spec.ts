import { RedisConnection } from '../cluster/redis-connection';
import { loadConfig } from '../config/load-config';
import { closeNodes, redisNode } from '../../test/support/redis-node';
import { TestRedis } from '../../test/support/test-redis';
import { RedisSendRateLimiter } from './send-rate-limiter.redis';

describe('RedisSendRateLimiter (on a redis-server of its own)', () => {
  const config = loadConfig({ RATE_LIMIT_MESSAGES: '2', RATE_LIMIT_WINDOW_S: '60' });
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
    const [a, b] = [
      new RedisSendRateLimiter(nodeA, config),
      new RedisSendRateLimiter(nodeB, config),
    ];
    const userId = nextUserId++;
    expect(await a.take(userId)).toBe(0);
    expect(await b.take(userId)).toBe(0);
    const wait = await a.take(userId);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60_000);
    expect(await b.take(nextUserId++)).toBe(0);
  });

  it('allows a send within about a second while Redis hangs', async () => {
    const limiter = new RedisSendRateLimiter(nodeA, config);
    redis.pause();
    const started = Date.now();
    expect(await limiter.take(nextUserId++)).toBe(0);
    expect(Date.now() - started).toBeLessThan(1_500);
  });
});
