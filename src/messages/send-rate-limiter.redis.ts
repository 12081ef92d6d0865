import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { RedisConnection, RedisScript } from '../cluster/redis-connection';
import { AppConfig } from '../config/app-config';
import { SendRateLimiter } from './send-rate-limiter';

/**
 * A sliding log in a sorted set, on Redis's clock; answers 0 or the ms until the next send.
 * KEYS: the user's log; ARGV: window in ms, limit, a unique member for this send.
 */
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

/**
 * The per-user message limit held across every node. While Redis is down or does not answer
 * (COMMAND_TIMEOUT_MS), sends are allowed.
 */
@Injectable()
export class RedisSendRateLimiter extends SendRateLimiter {
  private readonly logger = new Logger('RedisSendRateLimiter');
  private readonly takeScript: RedisScript<number>;

  constructor(
    private readonly redis: RedisConnection,
    private readonly config: AppConfig,
  ) {
    super();
    this.takeScript = redis.script('chatSendRateTake', TAKE);
  }

  async take(userId: number): Promise<number> {
    const { messages, windowSeconds } = this.config.rateLimit;
    if (messages === 0) return 0;
    try {
      return await this.takeScript(
        [this.redis.key('rate', userId)],
        [windowSeconds * 1000, messages, randomUUID()],
      );
    } catch (error) {
      this.logger.warn(`rate limit not checked: ${(error as Error).message}`);
      return 0;
    }
  }
}
