import { Injectable } from '@nestjs/common';
import { RedisConnection } from './redis-connection';

const PING_TIMEOUT_MS = 2_000;

/** Whether Redis answers right now; only present when REDIS_URL is set. */
@Injectable()
export class RedisHealth {
  constructor(private readonly redis: RedisConnection) {}

  async isUp(): Promise<boolean> {
    if (!this.redis.isReady) return false;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>(
      (resolve) => (timer = setTimeout(resolve, PING_TIMEOUT_MS, false)),
    );
    const ping = this.redis.commands.ping().then(
      () => true,
      () => false,
    );
    try {
      return await Promise.race([ping, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
