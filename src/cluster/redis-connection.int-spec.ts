import { Redis } from 'ioredis';
import { until } from '../../test/support/polling';
import { closeNodes, redisNode } from '../../test/support/redis-node';
import { TestRedis } from '../../test/support/test-redis';
import { COMMAND_TIMEOUT_MS, KEY_PREFIX, RedisConnection, redisKey } from './redis-connection';

describe('RedisConnection (on a redis-server of its own)', () => {
  let redis: TestRedis;
  let admin: Redis;
  let node: RedisConnection | undefined;

  beforeAll(async () => {
    redis = await TestRedis.start();
    admin = new Redis(redis.url, { maxRetriesPerRequest: null });
  }, 30_000);

  afterEach(async () => {
    redis.resume();
    await closeNodes(node);
    node = undefined;
  });

  afterAll(async () => {
    admin.disconnect();
    await redis.dispose();
  });

  it('builds every key from one prefix', async () => {
    node = await redisNode(redis.url);
    expect(redisKey('presence', 7)).toBe(`${KEY_PREFIX}presence:7`);
    expect(node.key('rate', 7)).toBe(`${KEY_PREFIX}rate:7`);
    expect(node.nodeKey()).toBe(`${node.nodeKeyPrefix}${node.nodeId}`);
    expect(node.nodeKeyPrefix).toBe(`${KEY_PREFIX}node:`);
  });

  it('runs Lua scripts with EVALSHA after the first call on a connection', async () => {
    node = await redisNode(redis.url);
    const echo = node.script<string>('chatTestEcho', "return KEYS[1] .. '=' .. ARGV[1]");
    await admin.config('RESETSTAT');
    for (let call = 0; call < 3; call++) {
      expect(await echo(['key'], [call])).toBe(`key=${call}`);
    }
    const stats = await admin.info('commandstats');
    const calls = (command: string) =>
      Number(new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(stats)?.[1] ?? 0);
    expect(calls('evalsha')).toBeGreaterThanOrEqual(2);
    expect(calls('eval')).toBeLessThanOrEqual(1);
    expect(() => node!.script('chatTestEcho', 'return 0')).toThrow(/already named/);
  });

  it('fails a command within about COMMAND_TIMEOUT_MS when Redis hangs', async () => {
    node = await redisNode(redis.url);
    redis.pause();
    const started = Date.now();
    await expect(node.commands.get(node.key('anything'))).rejects.toThrow(/timed out/);
    expect(Date.now() - started).toBeLessThan(COMMAND_TIMEOUT_MS + 1_000);
  });

  it('resyncs on connecting and when the heartbeat finds its key lapsed, and not otherwise', async () => {
    const resyncs: number[] = [];
    node = await redisNode(redis.url);
    node.onResync(() => void resyncs.push(Date.now()));
    await node.heartbeat();
    expect(resyncs).toHaveLength(0);

    await admin.del(node.nodeKey()); // as if it had expired
    await node.heartbeat();
    expect(resyncs).toHaveLength(1);
    expect(await admin.exists(node.nodeKey())).toBe(1);
    await node.heartbeat();
    expect(resyncs).toHaveLength(1);
  });

  it('reports a recovery after an outage only, once its subscriptions are back', async () => {
    node = await redisNode(redis.url);
    const channel = node.key('test-channel');
    const received: string[] = [];
    node.subscriber.on('message', (_channel: string, message: string) => received.push(message));
    await node.subscriber.subscribe(channel);
    let recoveries = 0;
    let resyncs = 0;
    node.onResync(() => void resyncs++);
    // Published from within the listener: it must reach this node's subscriber.
    node.onRecovered(async () => {
      recoveries++;
      await node!.commands.publish(channel, `after recovery ${recoveries}`);
    });
    await node.subscriber.ping();
    expect(recoveries).toBe(0);

    await redis.stop();
    await until('the node to see Redis down', () => !node!.isReady);
    await redis.start();
    await until('the recovery to be reported', () => recoveries === 1);
    await until('the message published on recovery to arrive', () =>
      received.includes('after recovery 1'),
    );
    expect(resyncs).toBe(1);
  }, 30_000);

  it('drops failed publications of both kinds, publish and spublish, instead of throwing', async () => {
    node = await redisNode(redis.url);
    const publisher = node.publisher();
    expect(await publisher.spublish(node.key('test-shard'), 'up')).toBe(0);

    await redis.stop();
    await until('the node to see Redis down', () => !node!.isReady);
    await expect(publisher.publish(node.key('test-channel'), 'down')).resolves.toBe(0);
    await expect(publisher.spublish(node.key('test-shard'), 'down')).resolves.toBe(0);
    await redis.start();
  }, 30_000);

  it('tells when the subscriptions asked for are in force, and that they are not while Redis is away', async () => {
    node = await redisNode(redis.url);
    const channel = node.key('test-shard');
    const shardSubscribers = async () =>
      ((await admin.call('PUBSUB', 'SHARDNUMSUB', channel)) as [string, number])[1];
    void node.subscriber.ssubscribe(channel);
    expect(await node.subscriptionsInForce()).toBe(true);
    expect(await shardSubscribers()).toBe(1);

    await redis.stop();
    await until('the subscriber to see Redis down', () => node!.subscriber.status !== 'ready');
    expect(await node.subscriptionsInForce()).toBe(false);
    await redis.start();
    await until(
      'the sharded subscription to be back',
      async () => (await shardSubscribers()) === 1,
    );
  }, 30_000);
});
