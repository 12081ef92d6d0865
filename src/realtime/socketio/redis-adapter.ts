import { createAdapter, createShardedAdapter } from '@socket.io/redis-adapter';
import type { RedisConnection } from '../../cluster/redis-connection';
import type { AppConfig } from '../../config/app-config';
import { SOCKET_IO_PREFIX } from '../delivery/redis-channels';

/**
 * The Socket.IO adapter through which rooms span the server processes. Sharded (Redis >= 7): a
 * channel per room, user and session, subscribed while this process has a socket in it, so a
 * process receives only what its sockets get; requests between processes and events for several
 * rooms at once travel on a channel every process receives. Classic (Redis 6): every process
 * receives every room's events.
 */
export function redisAdapter(redis: RedisConnection, mode: AppConfig['redisPubSub']) {
  return mode === 'sharded'
    ? createShardedAdapter(redis.publisher(), redis.subscriber, {
        channelPrefix: SOCKET_IO_PREFIX,
        subscriptionMode: 'dynamic',
      })
    : createAdapter(redis.publisher(), redis.subscriber, { key: SOCKET_IO_PREFIX });
}
