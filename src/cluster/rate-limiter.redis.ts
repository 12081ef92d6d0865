import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { RateLimiter, RateRule } from './rate-limiter';
import { LUA_NOW_MS, RedisConnection, RedisScript } from './redis-connection';

/**
 * A sliding log in a sorted set, on Redis's clock; answers 0 or the ms until the next action.
 * KEYS: the subject's log; ARGV: window in ms, limit, a unique member for this action.
 */
const TAKE = `${LUA_NOW_MS}
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
 * The limits held across every node. While Redis is down or does not answer
 * (COMMAND_TIMEOUT_MS), actions are allowed.
 */
@Injectable()
export class RedisRateLimiter extends RateLimiter {
  private readonly logger = new Logger('RedisRateLimiter');
  private readonly takeScript: RedisScript<number>;

  constructor(private readonly redis: RedisConnection) {
    super();
    this.takeScript = redis.script('chatRateTake', TAKE);
  }

  async take(rule: RateRule, subject: number): Promise<number> {
    if (rule.limit === 0) return 0;
    try {
      return await this.takeScript(
        [this.redis.key('rate', rule.name, subject)],
        [rule.windowMs, rule.limit, randomUUID()],
      );
    } catch (error) {
      this.logger.warn(`${rule.name} rate limit not checked: ${(error as Error).message}`);
      return 0;
    }
  }
}
