import { Injectable, Logger } from '@nestjs/common';
import { SessionsService } from '../../auth/sessions.service';
import type { AuthUser } from '../../common/auth/auth-user';
import { Metrics, Transport } from '../../metrics/metrics';
import { ReadState } from '../../rooms/read-state';
import { RoomsService } from '../../rooms/rooms.service';
import { Presence } from '../../users/presence';
import { RealtimeBroadcaster } from '../delivery/realtime-broadcaster';
import type { ConnectionIdentity } from './connection-authenticator';
import { ConnectionEnd, SESSION_ENDED, TOKEN_EXPIRED } from './connection-ends';
import { TokenExpiry } from './token-expiry';

/** A live connection of either transport, as its lifecycle sees it. */
export interface LiveConnection {
  readonly transport: Transport;
  readonly user: AuthUser;
  /**
   * Subscribes to the user's own channel, through which membership changes reach it, and is
   * found by its session's id, to be closed when the session ends (see SessionEvents).
   */
  joinUser(): void;
  joinRooms(roomIds: readonly number[]): void;
  /** Tells the client why and closes the connection. */
  readonly end: (why: ConnectionEnd) => void;
}

/**
 * What both transports do when a connection opens and closes: subscriptions, presence, the
 * token's expiry, metrics.
 */
@Injectable()
export class ConnectionLifecycle {
  private readonly logger = new Logger('ConnectionLifecycle');

  constructor(
    private readonly rooms: RoomsService,
    private readonly presence: Presence,
    private readonly broadcaster: RealtimeBroadcaster,
    private readonly metrics: Metrics,
    private readonly expiry: TokenExpiry,
    private readonly readState: ReadState,
    private readonly sessions: SessionsService,
  ) {}

  /**
   * Subscribes the connection at once to the rooms read at its handshake, then counts it for
   * presence. Returns the function to call once the connection has closed.
   */
  open(
    connection: LiveConnection,
    { roomIds, sessionId, expiresAt }: ConnectionIdentity,
  ): () => void {
    const { user, transport } = connection;
    connection.joinUser();
    connection.joinRooms(roomIds);
    // A session that ended after the handshake checked it closed none of this connection: it is
    // closed here, once the transport has set up its close handling (after this call returns).
    queueMicrotask(() => {
      if (this.sessions.hasEnded(sessionId)) connection.end(SESSION_ENDED);
    });
    // What the returned function holds on to lives as long as the connection: little of it.
    const expiry = this.expiry.schedule(expiresAt, () => connection.end(TOKEN_EXPIRED));
    this.metrics.connectionOpened(transport);
    const counted = this.counted(user, roomIds);
    return () => {
      this.expiry.cancel(expiry);
      this.metrics.connectionClosed(transport);
      this.readState.flush(user.id).catch((error: unknown) => {
        this.logger.warn(`storing read positions failed: ${String(error)}`);
      });
      // Only a connection that was counted is uncounted, and never before it was counted.
      void counted.then((wasCounted) =>
        wasCounted
          ? this.closed(user).catch((error: unknown) => {
              this.logger.warn(`presence update failed: ${String(error)}`);
            })
          : undefined,
      );
    };
  }

  /** Counts a new connection; the user's first one announces them online. */
  private async counted(user: AuthUser, roomIds: readonly number[]): Promise<boolean> {
    let first: boolean;
    try {
      first = await this.presence.connected(user.id);
    } catch (error) {
      this.logger.warn(`presence update failed: ${String(error)}`);
      return false;
    }
    if (first) this.broadcaster.presence(user, true, roomIds);
    return true;
  }

  /** The user's last connection going away announces them offline, unless they are back already. */
  private async closed(user: AuthUser): Promise<void> {
    if (!(await this.presence.disconnected(user.id))) return;
    const roomIds = await this.rooms.roomIdsOf(user.id);
    if ((await this.presence.onlineAmong([user.id])).has(user.id)) return;
    this.broadcaster.presence(user, false, roomIds);
  }
}
