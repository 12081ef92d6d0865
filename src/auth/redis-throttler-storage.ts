import { Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { randomUUID } from 'node:crypto';
import { LUA_NOW_MS, RedisConnection, RedisScript } from '../cluster/redis-connection';

/** What `ThrottlerStorage.increment` answers (times in seconds, as the in-memory storage). */
type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * One hit, as @nestjs/throttler's in-memory storage counts it, on Redis's clock: hits are a sliding
 * log in a sorted set (each expires `ttl` after it was made). With a block duration, the hit that
 * goes over the limit blocks the key for that long; hits during a block are not counted, and
 * counting starts again from zero after it. Without one (0), a hit over the limit is refused and
 * not counted, until the oldest counted hit expires.
 * KEYS: the hits, the block marker (holding the hits that caused it).
 * ARGV: ttl ms, limit, block duration ms, a unique member for this hit.
 * Answers {total hits, ms until the oldest hit expires, blocked 0/1, ms until the block ends}.
 */
const INCREMENT = `${LUA_NOW_MS}
local ttl = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local blockDuration = tonumber(ARGV[3])
local blockedFor = redis.call('PTTL', KEYS[2])
if blockedFor > 0 then
  return {tonumber(redis.call('GET', KEYS[2])) or limit + 1, blockedFor, 1, blockedFor}
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - ttl)
local hits = redis.call('ZCARD', KEYS[1])
if blockDuration <= 0 and hits >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  local wait = math.max(1, tonumber(oldest[2]) + ttl - now)
  return {hits + 1, wait, 1, wait}
end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('PEXPIRE', KEYS[1], ttl)
hits = hits + 1
if blockDuration > 0 and hits > limit then
  redis.call('DEL', KEYS[1])
  redis.call('SET', KEYS[2], hits, 'PX', blockDuration)
  return {hits, blockDuration, 1, blockDuration}
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {hits, math.max(1, tonumber(oldest[2]) + ttl - now), 0, 0}`;

/**
 * The @nestjs/throttler storage shared by every server process through Redis, so that N processes
 * allow RATE_LIMIT_AUTH attempts in all, not N times as many. While Redis is down or does not
 * answer, requests are allowed (as the message rate limit does).
 */
export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger('RedisThrottlerStorage');
  private readonly incrementScript: RedisScript<[number, number, number, number]>;

  constructor(private readonly redis: RedisConnection) {
    this.incrementScript = redis.script('chatThrottlerIncrement', INCREMENT);
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const hitsKey = this.redis.key('throttle', throttlerName, key);
    try {
      const [totalHits, expiresInMs, blocked, blockExpiresInMs] = await this.incrementScript(
        [hitsKey, `${hitsKey}:block`],
        [ttl, limit, blockDuration, randomUUID()],
      );
      return {
        totalHits,
        timeToExpire: Math.ceil(expiresInMs / 1000),
        isBlocked: blocked === 1,
        timeToBlockExpire: Math.ceil(blockExpiresInMs / 1000),
      };
    } catch (error) {
      this.logger.warn(`rate limit not checked: ${(error as Error).message}`);
      return {
        totalHits: 1,
        timeToExpire: Math.ceil(ttl / 1000),
        isBlocked: false,
        timeToBlockExpire: 0,
      };
    }
  }
}
