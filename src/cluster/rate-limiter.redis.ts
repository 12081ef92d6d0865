import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { RateDecision, RateLimiter, RateRule, RateSubject, UNLIMITED } from './rate-limiter';
import { LUA_NOW_MS, RedisConnection, RedisScript } from './redis-connection';

/**
 * LocalRateLimiter's sliding log, in a sorted set on Redis's clock.
 * KEYS: the subject's log; ARGV: window in ms, limit, a unique member for this action.
 * Answers {retry after ms (0: allowed), remaining, reset ms}.
 */
const HIT = `${LUA_NOW_MS}
local window = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
local allowed = count < limit
if allowed then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  count = count + 1
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local reset = math.max(1, tonumber(oldest[2]) + window - now)
if allowed then return {0, limit - count, reset} end
return {reset, 0, reset}`;

/**
 * The limits held across every node. While Redis is down or does not answer
 * (COMMAND_TIMEOUT_MS), actions are allowed, as the first of a window.
 */
@Injectable()
export class RedisRateLimiter extends RateLimiter {
  private readonly logger = new Logger('RedisRateLimiter');
  private readonly hitScript: RedisScript<[number, number, number]>;

  constructor(private readonly redis: RedisConnection) {
    super();
    this.hitScript = redis.script('chatRateHit', HIT);
  }

  async hit(rule: RateRule, subject: RateSubject): Promise<RateDecision> {
    if (rule.limit === 0) return UNLIMITED;
    try {
      const [retryAfterMs, remaining, resetMs] = await this.hitScript(
        [this.redis.key('rate', rule.name, subject)],
        [rule.windowMs, rule.limit, randomUUID()],
      );
      return { retryAfterMs, remaining, resetMs };
    } catch (error) {
      this.logger.warn(`${rule.name} rate limit not checked: ${(error as Error).message}`);
      return { retryAfterMs: 0, remaining: rule.limit - 1, resetMs: rule.windowMs };
    }
  }
}
