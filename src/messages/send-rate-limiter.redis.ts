import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { KEY_PREFIX, RedisConnection } from '../cluster/redis-connection';
import { AppConfig } from '../config/app-config';
import { SendRateLimiter } from './send-rate-limiter';

/** A sliding log in a sorted set, on Redis's clock; answers 0 or the ms until the next send. */
const TAKE = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local window = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return math.max(1, tonumber(oldest[2]) + window - now)
end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], window)
return 0`;

/** The per-user message limit held across every node. While Redis is down, sends are allowed. */
@Injectable()
export class RedisSendRateLimiter extends SendRateLimiter {
  private readonly logger = new Logger('RedisSendRateLimiter');

  constructor(
    private readonly redis: RedisConnection,
    private readonly config: AppConfig,
  ) {
    super();
  }

  async take(userId: number): Promise<number> {
    const { messages, windowSeconds } = this.config.rateLimit;
    if (messages === 0) return 0;
    try {
      return (await this.redis.commands.eval(
        TAKE,
        1,
        `${KEY_PREFIX}rate:${userId}`,
        windowSeconds * 1000,
        messages,
        randomUUID(),
      )) as number;
    } catch (error) {
      this.logger.warn(`rate limit not checked: ${(error as Error).message}`);
      return 0;
    }
  }
}
