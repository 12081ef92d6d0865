import { Logger } from '@nestjs/common';
import { RedisConnection } from '../../src/cluster/redis-connection';
import { loadConfig } from '../../src/config/load-config';
import { until } from './polling';

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
