import { Injectable, Logger } from '@nestjs/common';
import { KEY_PREFIX, RedisConnection } from '../cluster/redis-connection';
import { Presence } from './presence';

/**
 * Adds this node's connection count for a user to the user's hash (field: node id), then sums the
 * fields of nodes still alive, dropping those of dead nodes. Returns the user's total.
 */
const UPDATE = `
local count = redis.call('HINCRBY', KEYS[1], ARGV[1], ARGV[2])
if count <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) end
local total = 0
local fields = redis.call('HGETALL', KEYS[1])
for i = 1, #fields, 2 do
  if redis.call('EXISTS', ARGV[3] .. fields[i]) == 1 then
    total = total + tonumber(fields[i + 1])
  else
    redis.call('HDEL', KEYS[1], fields[i])
  end
end
return total`;

/** For each user key, 1 when some live node counts a connection of the user, else 0. */
const ONLINE = `
local result = {}
for k = 1, #KEYS do
  result[k] = 0
  local fields = redis.call('HGETALL', KEYS[k])
  for i = 1, #fields, 2 do
    if tonumber(fields[i + 1]) > 0 and redis.call('EXISTS', ARGV[1] .. fields[i]) == 1 then
      result[k] = 1
      break
    end
  end
end
return result`;

/**
 * Presence shared by every node through Redis. Each node also keeps its own counts, so that after
 * a Redis outage it can write them back; while Redis is down, presence answers from this node alone.
 */
@Injectable()
export class RedisPresence extends Presence {
  private readonly logger = new Logger('RedisPresence');
  private readonly local = new Map<number, number>();

  constructor(private readonly redis: RedisConnection) {
    super();
    redis.onReady(() => void this.restore());
  }

  async connected(userId: number): Promise<boolean> {
    this.local.set(userId, (this.local.get(userId) ?? 0) + 1);
    const total = await this.update(userId, 1);
    return (total ?? this.local.get(userId)) === 1;
  }

  async disconnected(userId: number): Promise<boolean> {
    const count = (this.local.get(userId) ?? 0) - 1;
    if (count > 0) this.local.set(userId, count);
    else this.local.delete(userId);
    const total = await this.update(userId, -1);
    return (total ?? count) <= 0;
  }

  async onlineAmong(userIds: readonly number[]): Promise<Set<number>> {
    if (userIds.length === 0) return new Set();
    try {
      const flags = (await this.redis.commands.eval(
        ONLINE,
        userIds.length,
        ...userIds.map(presenceKey),
        `${KEY_PREFIX}node:`,
      )) as number[];
      return new Set(userIds.filter((_, index) => flags[index] === 1));
    } catch {
      return new Set(userIds.filter((id) => this.local.has(id)));
    }
  }

  /** The user's total over live nodes, or null when Redis cannot be reached. */
  private async update(userId: number, delta: number): Promise<number | null> {
    try {
      const total = (await this.redis.commands.eval(
        UPDATE,
        1,
        presenceKey(userId),
        this.redis.nodeId,
        delta,
        `${KEY_PREFIX}node:`,
      )) as number;
      return total;
    } catch (error) {
      this.logger.warn(`presence not shared: ${(error as Error).message}`);
      return null;
    }
  }

  /** Writes this node's counts back after Redis returns (it may have lost them). */
  private async restore(): Promise<void> {
    const pipeline = this.redis.commands.pipeline();
    for (const [userId, count] of this.local) {
      pipeline.hset(presenceKey(userId), this.redis.nodeId, count);
    }
    await pipeline.exec().catch((error: Error) => this.logger.warn(error.message));
  }
}

function presenceKey(userId: number): string {
  return `${KEY_PREFIX}presence:${userId}`;
}
