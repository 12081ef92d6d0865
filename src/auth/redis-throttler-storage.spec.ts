import { ThrottlerStorageService } from '@nestjs/throttler';
import { Redis } from 'ioredis';
import { RedisConnection } from '../cluster/redis-connection';
import { loadConfig } from '../config/load-config';
import { until } from '../../test/support/polling';
import { closeNodes, redisNode } from '../../test/support/redis-node';
import { freePort } from '../../test/support/server-process';
import { TestRedis } from '../../test/support/test-redis';
import { RedisThrottlerStorage } from './redis-throttler-storage';

const MINUTE = 60_000;

type StorageRecord = Awaited<ReturnType<ThrottlerStorageService['increment']>>;

/** What the guard reads: the time until the block ends only while blocked (the in-memory
 * storage answers a meaningless negative number otherwise). */
function asSeenByTheGuard(record: StorageRecord) {
  return { ...record, timeToBlockExpire: record.isBlocked ? record.timeToBlockExpire : 0 };
}

describe('RedisThrottlerStorage (on a redis-server of its own)', () => {
  let redis: TestRedis;
  let admin: Redis;
  let nodeA: RedisConnection;
  let nodeB: RedisConnection;
  let a: RedisThrottlerStorage;
  let b: RedisThrottlerStorage;
  let memory: ThrottlerStorageService;
  let sequence = 0;
  const uniqueKey = () => `client-${++sequence}`;

  beforeAll(async () => {
    redis = await TestRedis.start();
    admin = new Redis(redis.url, { maxRetriesPerRequest: null });
    [nodeA, nodeB] = await Promise.all([redisNode(redis.url), redisNode(redis.url)]);
    [a, b] = [new RedisThrottlerStorage(nodeA), new RedisThrottlerStorage(nodeB)];
  }, 30_000);

  beforeEach(() => (memory = new ThrottlerStorageService()));

  afterEach(() => memory.onApplicationShutdown());

  afterAll(async () => {
    admin.disconnect();
    await closeNodes(nodeA, nodeB);
    await redis.dispose();
  });

  it('answers as the in-memory storage does, with a block duration, across nodes', async () => {
    const key = uniqueKey();
    for (let hit = 1; hit <= 5; hit++) {
      const storage = hit % 2 === 0 ? b : a;
      const shared = await storage.increment(key, MINUTE, 3, MINUTE, 'auth');
      const local = await memory.increment(key, MINUTE, 3, MINUTE, 'auth');
      expect(shared).toEqual(asSeenByTheGuard(local));
    }
  });

  it('answers as the in-memory storage does, without a block duration', async () => {
    const key = uniqueKey();
    for (let hit = 1; hit <= 4; hit++) {
      const shared = await a.increment(key, MINUTE, 2, 0, 'auth');
      const local = await memory.increment(key, MINUTE, 2, 0, 'auth');
      expect(shared).toEqual(asSeenByTheGuard(local));
    }
  });

  it('counts from zero again once a block has ended, as the in-memory storage does', async () => {
    const key = uniqueKey();
    for (let hit = 1; hit <= 2; hit++) await a.increment(key, MINUTE, 1, 200, 'auth');
    expect(await a.increment(key, MINUTE, 1, 200, 'auth')).toMatchObject({ isBlocked: true });
    const blockKey = `${nodeA.key('throttle', 'auth', key)}:block`;
    await until('the block to end', async () => (await admin.exists(blockKey)) === 0);
    expect(await b.increment(key, MINUTE, 1, 200, 'auth')).toEqual({
      totalHits: 1,
      timeToExpire: 60,
      isBlocked: false,
      timeToBlockExpire: 0,
    });
  });

  it('keeps separate counts per key and per throttler', async () => {
    const key = uniqueKey();
    await a.increment(key, MINUTE, 1, MINUTE, 'auth');
    expect(await a.increment(key, MINUTE, 1, MINUTE, 'other')).toMatchObject({
      totalHits: 1,
      isBlocked: false,
    });
    expect(await a.increment(uniqueKey(), MINUTE, 1, MINUTE, 'auth')).toMatchObject({
      totalHits: 1,
      isBlocked: false,
    });
  });

  it('allows every request while Redis cannot be reached', async () => {
    const unreachable = new RedisConnection(
      loadConfig({
        REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
        JWT_SECRET: 'redis-node-test-secret-0123456789',
      }),
    );
    try {
      const storage = new RedisThrottlerStorage(unreachable);
      const key = uniqueKey();
      for (let hit = 1; hit <= 3; hit++) {
        expect(await storage.increment(key, MINUTE, 1, MINUTE, 'auth')).toMatchObject({
          isBlocked: false,
        });
      }
    } finally {
      await closeNodes(unreachable);
    }
  });
});
