import { Logger } from '@nestjs/common';
import { RedisConnection } from '../../src/cluster/redis-connection';
import { loadConfig } from '../../src/config/load-config';
import { until } from './polling';
import { TestRedis } from './test-redis';

/**
 * The Redis connections of one simulated server process, for unit specs: connected (both
 * connections ready) and announced (its heartbeat key set). Close it with `closeNodes`.
 */
export async function redisNode(url: string): Promise<RedisConnection> {
  // The connections log through Nest's logger; unit specs keep their output quiet.
  Logger.overrideLogger(false);
  const node = new RedisConnection(
    loadConfig({ REDIS_URL: url, JWT_SECRET: 'redis-node-test-secret-0123456789' }),
  );
  await until(
    'the node to connect and announce itself',
    async () =>
      node.isReady &&
      node.subscriber.status === 'ready' &&
      (await node.commands.exists(node.nodeKey()).catch(() => 0)) === 1,
  );
  return node;
}

export async function closeNodes(...nodes: (RedisConnection | undefined)[]): Promise<void> {
  await Promise.all(nodes.map(async (node) => node?.onApplicationShutdown()));
}

/**
 * A redis-server of the suite's own and two nodes on it, for the whole suite; the server is
 * resumed after each test, for tests that pause it. Registers the suite's hooks.
 */
export function twoNodesForSuite(): {
  redis: () => TestRedis;
  nodes: () => [RedisConnection, RedisConnection];
} {
  let redis: TestRedis | undefined;
  let nodes: [RedisConnection, RedisConnection] | undefined;
  beforeAll(async () => {
    redis = await TestRedis.start();
    nodes = await Promise.all([redisNode(redis.url), redisNode(redis.url)]);
  }, 30_000);
  afterEach(() => redis?.resume());
  afterAll(async () => {
    await closeNodes(...(nodes ?? []));
    await redis?.dispose();
  });
  return { redis: () => redis!, nodes: () => nodes! };
}
