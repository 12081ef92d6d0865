import { DynamicModule, Global, Module, Provider } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { LocalTypingThrottle, TypingThrottle } from '../realtime/commands/typing-throttle';
import { RedisTypingThrottle } from '../realtime/commands/typing-throttle.redis';
import { LocalRateLimiter, RateLimiter } from './rate-limiter';
import { RedisRateLimiter } from './rate-limiter.redis';
import { LocalPresence, Presence } from '../users/presence';
import { RedisPresence } from '../users/presence.redis';
import { RedisConnection } from './redis-connection';
import { RedisHealth } from './redis-health';

/**
 * The one place that picks how state shared between server processes is kept: in this process
 * alone, or in Redis when REDIS_URL is set (presence, the rate limits of users and of sign-in
 * attempts, the typing throttle; the Socket.IO adapter is set up by ChatIoAdapter, from the same
 * connection).
 */
@Global()
@Module({})
export class ClusterModule {
  static forRoot(config: AppConfig): DynamicModule {
    const providers: Provider[] =
      config.redisUrl === null
        ? [
            { provide: Presence, useClass: LocalPresence },
            { provide: RateLimiter, useClass: LocalRateLimiter },
            { provide: TypingThrottle, useClass: LocalTypingThrottle },
          ]
        : [
            RedisConnection,
            RedisHealth,
            { provide: Presence, useClass: RedisPresence },
            { provide: RateLimiter, useClass: RedisRateLimiter },
            { provide: TypingThrottle, useClass: RedisTypingThrottle },
          ];
    return {
      module: ClusterModule,
      providers,
      exports: providers.map((provider) => ('provide' in provider ? provider.provide : provider)),
    };
  }
}
