import { Injectable, Logger } from '@nestjs/common';
import { RedisConnection, RedisScript } from '../cluster/redis-connection';
import { Presence } from './presence';

/**
 * Adds this node's connection count for a user to the user's hash (field: node id), then sums the
 * fields of nodes still alive, dropping those of dead nodes. Returns the user's total.
 * KEYS: the user's hash; ARGV: node id, delta, prefix of the nodes' heartbeat keys.
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

/**
 * For each user key, 1 when some live node counts a connection of the user, else 0.
 * ARGV: prefix of the nodes' heartbeat keys.
 */
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
 * Presence shared by every node through Redis. Each node also keeps its own counts, the truth its
 * fields in Redis are rewritten from whenever they may be wrong (see `restore`); while Redis is
 * down, presence answers from this node alone.
 */
@Injectable()
export class RedisPresence extends Presence {
  private readonly logger = new Logger('RedisPresence');
  /** This node's live connections per user. */
  private readonly local = new Map<number, number>();
  /** Users whose last change may be missing from Redis: their update failed. */
  private readonly unsynced = new Set<number>();
  private readonly updateScript: RedisScript<number>;
  private readonly onlineScript: RedisScript<number[]>;

  constructor(private readonly redis: RedisConnection) {
    super();
    this.updateScript = redis.script('chatPresenceUpdate', UPDATE);
    this.onlineScript = redis.script('chatPresenceOnline', ONLINE);
    redis.onResync(() => this.restore());
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
      const flags = await this.onlineScript(
        userIds.map((id) => this.presenceKey(id)),
        [this.redis.nodeKeyPrefix],
      );
      return new Set(userIds.filter((_, index) => flags[index] === 1));
    } catch {
      return new Set(userIds.filter((id) => this.local.has(id)));
    }
  }

  /**
   * Rewrites this node's field of every user it counts, and removes its field of users whose
   * update failed and who have no connection here any more (they left during an outage). Run on
   * each resync of the connection: after Redis returns, or when other nodes may have dropped this
   * node's fields because its heartbeat key had lapsed.
   *
   * Updates sent before this on the same connection are applied before it, and those sent after
   * on top of it, so the counts written here stay right.
   */
  async restore(): Promise<void> {
    const users = [...new Set([...this.local.keys(), ...this.unsynced])];
    this.unsynced.clear();
    if (users.length === 0) return;
    const pipeline = this.redis.commands.pipeline();
    for (const userId of users) {
      const count = this.local.get(userId) ?? 0;
      if (count > 0) pipeline.hset(this.presenceKey(userId), this.redis.nodeId, count);
      else pipeline.hdel(this.presenceKey(userId), this.redis.nodeId);
    }
    try {
      const results = (await pipeline.exec()) ?? [];
      users.forEach((userId, index) => {
        if (!results[index] || results[index][0]) this.unsynced.add(userId);
      });
    } catch (error) {
      for (const userId of users) this.unsynced.add(userId);
      this.logger.warn(`presence not restored: ${(error as Error).message}`);
    }
  }

  /** The user's total over live nodes, or null when Redis cannot be reached. */
  private async update(userId: number, delta: number): Promise<number | null> {
    try {
      return await this.updateScript(
        [this.presenceKey(userId)],
        [this.redis.nodeId, delta, this.redis.nodeKeyPrefix],
      );
    } catch (error) {
      this.unsynced.add(userId);
      this.logger.warn(`presence not shared: ${(error as Error).message}`);
      return null;
    }
  }

  private presenceKey(userId: number): string {
    return this.redis.key('presence', userId);
  }
}
