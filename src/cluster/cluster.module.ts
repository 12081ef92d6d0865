import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { LocalRateLimiter, RateLimiter } from './rate-limiter';
import { RedisRateLimiter } from './rate-limiter.redis';
import { RedisConnection } from './redis-connection';
import { RedisHealth } from './redis-health';
import { sharedStateAdapter } from './shared-state-adapter';

/**
 * What server processes share: the Redis connection when REDIS_URL is set (null otherwise, and
 * so its health probe), and the rate limiter, in Redis or in this process. Modules with state of
 * their own to share bind it with sharedStateAdapter (presence, the typing throttle).
 */
@Module({
  providers: [
    {
      provide: RedisConnection,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        config.redisUrl === null ? null : new RedisConnection(config),
    },
    {
      provide: RedisHealth,
      inject: [RedisConnection],
      useFactory: (redis: RedisConnection | null) => redis && new RedisHealth(redis),
    },
    sharedStateAdapter(RateLimiter, { local: LocalRateLimiter, redis: RedisRateLimiter }),
  ],
  exports: [RedisConnection, RedisHealth, RateLimiter],
})
export class ClusterModule {}
