import { Redis } from 'ioredis';
import { RedisConnection } from '../cluster/redis-connection';
import { until } from '../../test/support/polling';
import { closeNodes, redisNode } from '../../test/support/redis-node';
import { TestRedis } from '../../test/support/test-redis';
import { RedisPresence } from './presence.redis';

/** Two server processes' presence on one Redis: `a` counts the connections, `b` looks. */
describe('RedisPresence (on a redis-server of its own)', () => {
  let redis: TestRedis;
  let admin: Redis;
  let nodeA: RedisConnection;
  let nodeB: RedisConnection;
  let a: RedisPresence;
  let b: RedisPresence;
  let nextUserId = 1;

  const seenByB = async (userId: number) => (await b.onlineAmong([userId])).has(userId);

  beforeAll(async () => {
    redis = await TestRedis.start();
    admin = new Redis(redis.url, { maxRetriesPerRequest: null });
  }, 30_000);

  beforeEach(async () => {
    [nodeA, nodeB] = await Promise.all([redisNode(redis.url), redisNode(redis.url)]);
    [a, b] = [new RedisPresence(nodeA), new RedisPresence(nodeB)];
  });

  afterEach(async () => {
    redis.resume();
    await closeNodes(nodeA, nodeB);
  });

  afterAll(async () => {
    admin.disconnect();
    await redis.dispose();
  });

  it('counts connections across nodes', async () => {
    const userId = nextUserId++;
    expect(await a.connected(userId)).toBe(true);
    expect(await b.connected(userId)).toBe(false);
    expect(await a.disconnected(userId)).toBe(false);
    expect(await seenByB(userId)).toBe(true);
    expect(await b.disconnected(userId)).toBe(true);
    expect(await seenByB(userId)).toBe(false);
  });

  it('removes the count of a user who left while Redis was down, once it is back', async () => {
    const userId = nextUserId++;
    const stays = nextUserId++;
    await a.connected(userId);
    await a.connected(stays);
    expect(await seenByB(userId)).toBe(true);

    await redis.stop(); // its data is kept: the user's count of 1 from node A stays
    await until('node A to see Redis down', () => !nodeA.isReady);
    expect(await a.disconnected(userId)).toBe(true);
    await redis.start();

    // Seeing `stays` proves node B answers from Redis again (not from its own, empty, counts).
    await until(
      'node B to see the user offline, and the other one online',
      async () => (await seenByB(stays)) && !(await seenByB(userId)),
    );
  }, 30_000);

  it('writes its counts again when its heartbeat key had lapsed and others dropped them', async () => {
    const userId = nextUserId++;
    await a.connected(userId);
    // Node A looks dead to node B, whose next update of the user drops node A's field.
    await admin.del(nodeA.nodeKey());
    await b.connected(userId);
    await b.disconnected(userId);
    expect(await admin.hexists(nodeA.key('presence', userId), nodeA.nodeId)).toBe(0);
    expect(await seenByB(userId)).toBe(false);

    await nodeA.heartbeat();
    await until('node B to see the user online again', () => seenByB(userId));
  });

  it('answers within about a second while Redis hangs, from this node', async () => {
    const userId = nextUserId++;
    redis.pause();
    const started = Date.now();
    expect(await a.connected(userId)).toBe(true);
    expect(await a.onlineAmong([userId])).toEqual(new Set([userId]));
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
