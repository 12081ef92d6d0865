import { Inject, Injectable } from '@nestjs/common';
import { RedisConnection } from '../../cluster/redis-connection';
import { Metrics } from '../../metrics/metrics';
import { pubSubKindOf } from './redis-channels';

/**
 * Counts what this process receives from Redis pub/sub, by what it is for
 * (`chat_redis_messages_received_total{kind}`): with sharded pub/sub a process receives the
 * traffic of the rooms and users it has connections of, with classic every room's.
 */
@Injectable()
export class PubSubTraffic {
  constructor(
    metrics: Metrics,
    // Null without REDIS_URL (a union type names no class for the injector: hence @Inject).
    @Inject(RedisConnection) redis: RedisConnection | null,
  ) {
    const count = (channel: Buffer) =>
      metrics.redisMessageReceived(pubSubKindOf(channel.toString()));
    // The Buffer events come with every message, whichever listeners the string events have.
    redis?.subscriber.on('messageBuffer', count);
    redis?.subscriber.on('smessageBuffer', count);
    redis?.subscriber.on('pmessageBuffer', (_pattern: Buffer, channel: Buffer) => count(channel));
  }
}
