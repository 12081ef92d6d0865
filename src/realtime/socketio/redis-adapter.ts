import { createAdapter, createShardedAdapter } from '@socket.io/redis-adapter';
import type { Namespace } from 'socket.io';
import type { Adapter } from 'socket.io-adapter';
import type { RedisConnection } from '../../cluster/redis-connection';
import type { AppConfig } from '../../config/app-config';
import { SOCKET_IO_PREFIX } from '../delivery/redis-channels';

type AdapterFactory = (nsp: Namespace) => Adapter;

/**
 * The Socket.IO adapter through which rooms span the server processes. Sharded (Redis >= 7): a
 * channel per room, user and session, subscribed while this process has a socket in it, so a
 * process receives only what its sockets get; requests between processes and events for several
 * rooms at once travel on a channel every process receives. Classic (Redis 6): every process
 * receives every room's events.
 */
export function redisAdapter(redis: RedisConnection, mode: AppConfig['redisPubSub']) {
  return mode === 'sharded'
    ? requestsFailAnswered(
        createShardedAdapter(redis.publisher(), redis.subscriber, {
          channelPrefix: SOCKET_IO_PREFIX,
          subscriptionMode: 'dynamic',
        }),
      )
    : createAdapter(redis.publisher(), redis.subscriber, { key: SOCKET_IO_PREFIX });
}

/**
 * The sharded adapter counts the processes (a Redis command) before a request that awaits
 * answers, and leaves that command's failure (Redis down) unhandled, which would end the process:
 * the failure answers the request instead, as the classic adapter's time-out would.
 */
function requestsFailAnswered(create: AdapterFactory): AdapterFactory {
  // Socket.IO calls it with `new`: a function (not an arrow) that returns the adapter.
  return function (nsp: Namespace): Adapter {
    const adapter = create(nsp);
    const serverSideEmit = adapter.serverSideEmit.bind(adapter);
    adapter.serverSideEmit = (packet: unknown[]) => {
      const ack = packet[packet.length - 1];
      // Typed void, but the sharded adapter's is async.
      const sent = serverSideEmit(packet) as unknown as Promise<void> | undefined;
      void Promise.resolve(sent).catch((error: unknown) => {
        if (typeof ack === 'function') (ack as (error: unknown, answers: []) => void)(error, []);
      });
    };
    return adapter;
  };
}
