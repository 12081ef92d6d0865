import { closeNodes, redisNode } from '../../test/support/redis-node';
import { TestRedis } from '../../test/support/test-redis';
import { RedisConnection } from '../cluster/redis-connection';
import { RedisTypingThrottle } from './typing-throttle.redis';

describe('RedisTypingThrottle (on a redis-server of its own)', () => {
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

  it('passes one start per interval for a user in a room, across nodes, and its stop once', async () => {
    const [a, b] = [new RedisTypingThrottle(nodeA), new RedisTypingThrottle(nodeB)];
    const userId = nextUserId++;

    expect(await a.admit(userId, 7, false)).toBe(false);
    expect(await a.admit(userId, 7, true)).toBe(true);
    expect(await b.admit(userId, 7, true)).toBe(false);
    expect(await a.admit(userId, 8, true)).toBe(true);
    expect(await b.admit(userId, 7, false)).toBe(true);
    expect(await a.admit(userId, 7, false)).toBe(false);
    expect(await a.admit(userId, 7, true)).toBe(false);
  });

  it('passes every event while Redis hangs', async () => {
    const throttle = new RedisTypingThrottle(nodeA);
    const userId = nextUserId++;
    expect(await throttle.admit(userId, 1, true)).toBe(true);
    redis.pause();
    expect(await throttle.admit(userId, 1, true)).toBe(true);
  });
});
