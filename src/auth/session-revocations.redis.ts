import { Injectable, Logger } from '@nestjs/common';
import { RedisConnection, redisKey } from '../cluster/redis-connection';
import { SessionRevocations } from './session-revocations';

const CHANNEL = redisKey('sessions', 'ended');

interface Revocation {
  /** The process that published it, which has told its own listeners already. */
  node: string;
  ids: string[];
}

/**
 * Ended sessions published on a Redis channel that every process subscribes to. The command
 * connection also publishes the Socket.IO adapter's events, and Redis delivers one connection's
 * publications in order: a process learns of an ended session before any event another process
 * sent after ending it.
 */
@Injectable()
export class RedisSessionRevocations extends SessionRevocations {
  private readonly logger = new Logger('SessionRevocations');

  constructor(private readonly redis: RedisConnection) {
    super();
    redis.subscriber.on('message', (channel: string, message: string) => {
      if (channel === CHANNEL) this.received(message);
    });
    // ioredis subscribes again by itself after a reconnection; what was published meanwhile is
    // lost (onRecovered).
    redis.subscriber.subscribe(CHANNEL).catch((error: Error) => {
      this.logger.warn(`not subscribed to ended sessions: ${error.message}`);
    });
    redis.onRecovered(() => this.notifyMissed());
  }

  async publish(sessionIds: readonly string[]): Promise<void> {
    this.notifyEnded(sessionIds);
    const revocation: Revocation = { node: this.redis.nodeId, ids: [...sessionIds] };
    try {
      await this.redis.commands.publish(CHANNEL, JSON.stringify(revocation));
    } catch (error) {
      // The sessions are gone from the store: other processes refuse their tokens once their
      // cached confirmations lapse (CONFIRM_INTERVAL_MS).
      this.logger.warn(`ended sessions not announced: ${(error as Error).message}`);
    }
  }

  private received(message: string): void {
    const revocation = JSON.parse(message) as Revocation;
    if (revocation.node !== this.redis.nodeId) this.notifyEnded(revocation.ids);
  }
}
