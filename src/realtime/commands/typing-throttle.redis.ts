import { Injectable, Logger } from '@nestjs/common';
import { LUA_NOW_MS, RedisConnection, RedisScript } from '../../cluster/redis-connection';
import { TYPING_INTERVAL_MS, TYPING_MEMORY_MS, TypingThrottle } from './typing-throttle';

/**
 * typingDecision on Redis's clock, for every node at once. The key holds "<shown>:<startedAt>".
 * KEYS: the user's state in the room; ARGV: 1 (start) or 0 (stop), interval ms, memory ms.
 * Answers 1 to pass the event on, 0 to drop it.
 */
const ADMIT = `${LUA_NOW_MS}
local state = redis.call('GET', KEYS[1])
local shown, started
if state then
  local separator = string.find(state, ':')
  shown = string.sub(state, 1, separator - 1) == '1'
  started = tonumber(string.sub(state, separator + 1))
end
if ARGV[1] == '1' then
  if state and now - started < tonumber(ARGV[2]) then return 0 end
  redis.call('SET', KEYS[1], '1:' .. now, 'PX', ARGV[3])
  return 1
end
if not shown then return 0 end
redis.call('SET', KEYS[1], '0:' .. started, 'PX', ARGV[3])
return 1`;

/** The typing throttle held across every node; while Redis is down, every event passes. */
@Injectable()
export class RedisTypingThrottle extends TypingThrottle {
  private readonly logger = new Logger('RedisTypingThrottle');
  private readonly admitScript: RedisScript<number>;

  constructor(private readonly redis: RedisConnection) {
    super();
    this.admitScript = redis.script('chatTypingAdmit', ADMIT);
  }

  async admit(userId: number, roomId: number, isTyping: boolean): Promise<boolean> {
    try {
      const passed = await this.admitScript(
        [this.redis.key('typing', userId, roomId)],
        [isTyping ? 1 : 0, TYPING_INTERVAL_MS, TYPING_MEMORY_MS],
      );
      return passed === 1;
    } catch (error) {
      this.logger.warn(`typing not throttled: ${(error as Error).message}`);
      return true;
    }
  }
}
