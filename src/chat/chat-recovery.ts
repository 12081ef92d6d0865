import { Injectable, Logger, OnApplicationBootstrap, Optional } from '@nestjs/common';
import { RedisConnection } from '../cluster/redis-connection';
import { RoomsService } from '../rooms/rooms.service';
import { RealtimeBroadcaster } from './realtime-broadcaster';

/**
 * With several processes: when Redis comes back after an outage, this process's connections are
 * re-subscribed from the store and their clients told to `sync`, since joins, leaves and messages
 * relayed meanwhile were lost.
 */
@Injectable()
export class ChatRecovery implements OnApplicationBootstrap {
  private readonly logger = new Logger('ChatRecovery');

  constructor(
    private readonly broadcaster: RealtimeBroadcaster,
    private readonly rooms: RoomsService,
    @Optional() private readonly redis?: RedisConnection,
  ) {}

  onApplicationBootstrap(): void {
    this.redis?.onRecovered(async () => {
      await this.broadcaster
        .resubscribeLocal((userId) => this.rooms.roomIdsOf(userId))
        .catch((error: unknown) => this.logger.warn(`re-subscription failed: ${String(error)}`));
    });
  }
}
