import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SessionsService } from '../../auth/sessions.service';
import type { AuthUser } from '../../common/auth/auth-user';
import { RedisConnection } from '../../cluster/redis-connection';
import { RoomsService } from '../../rooms/rooms.service';
import { ROOM_CHANNEL_PREFIX, roomChannel } from '../protocol/channels';
import type { ResyncEvent } from '../../contract/events';
import { RawClients } from '../raw-ws/raw-clients';
import { sendFrame } from '../raw-ws/raw-sends';
import { RealtimeBroadcaster } from './realtime-broadcaster';

const RESYNC: ResyncEvent = { reason: 'redis_recovered' };

/**
 * With several processes: when Redis comes back after an outage, this process's connections of
 * sessions ended meanwhile are closed, the others are re-subscribed from the store and their
 * clients told to `sync`, since ended sessions, joins, leaves and messages relayed meanwhile were
 * lost.
 */
@Injectable()
export class RedisRecovery implements OnApplicationBootstrap {
  private readonly logger = new Logger('RedisRecovery');

  constructor(
    private readonly broadcaster: RealtimeBroadcaster,
    private readonly rawClients: RawClients,
    private readonly rooms: RoomsService,
    private readonly sessions: SessionsService,
    @Inject(RedisConnection) private readonly redis: RedisConnection | null,
  ) {}

  onApplicationBootstrap(): void {
    this.redis?.onRecovered(async () => {
      await this.endMissedSessions().catch((error: unknown) =>
        this.logger.warn(`checking sessions failed: ${String(error)}`),
      );
      await this.resubscribeLocal().catch((error: unknown) =>
        this.logger.warn(`re-subscription failed: ${String(error)}`),
      );
    });
  }

  /** Closes this process's connections of sessions that ended while Redis was down. */
  private async endMissedSessions(): Promise<void> {
    const sockets = await this.broadcaster.localSockets();
    await this.sessions.endMissed([
      ...sockets.flatMap((socket) => (socket.data as { sessionId?: string }).sessionId ?? []),
      ...this.rawClients.all().map((client) => client.sessionId),
    ]);
  }

  /**
   * Re-derives the room subscriptions of this process's connections and, once the subscriptions
   * in Redis are in force, asks them to sync: what they miss from then on reaches them.
   */
  private async resubscribeLocal(): Promise<void> {
    const rooms = new Map<number, Promise<number[]>>();
    const roomsOf = (userId: number) => {
      if (!rooms.has(userId)) rooms.set(userId, this.rooms.roomIdsOf(userId));
      return rooms.get(userId)!;
    };
    const sockets = (await this.broadcaster.localSockets()).filter(
      (socket) => (socket.data as { user?: AuthUser }).user !== undefined,
    );
    for (const socket of sockets) {
      const user = (socket.data as { user: AuthUser }).user;
      const wanted = new Set((await roomsOf(user.id)).map(roomChannel));
      for (const room of socket.rooms) {
        if (room.startsWith(ROOM_CHANNEL_PREFIX) && !wanted.has(room)) socket.leave(room);
      }
      socket.join([...wanted]);
    }
    const rawClients = this.rawClients.all();
    for (const client of rawClients) {
      this.rawClients.resubscribe(client, await roomsOf(client.user.id));
    }
    await this.redis?.subscriptionsInForce();
    for (const socket of sockets) socket.emit('resync', RESYNC);
    for (const client of rawClients) sendFrame(client.socket, { type: 'resync', ...RESYNC });
  }
}
