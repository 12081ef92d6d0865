import { Injectable } from '@nestjs/common';
import { connectionToken } from '../../auth/access-token';
import type { AuthUser } from '../../common/auth/auth-user';
import { AuthService } from '../../auth/auth.service';
import { RoomsService } from '../../rooms/rooms.service';
import { RunningCommands } from '../commands/running-commands';

/** Who a new connection is, known before its handshake completes. */
export interface ConnectionIdentity {
  user: AuthUser;
  /** The session of the token: the connection closes when it ends. */
  sessionId: string;
  /** When the access token expires (ms since the epoch). */
  expiresAt: number;
  /** The rooms to subscribe it to: read now, so that once the client sees the connection open,
   * it receives everything sent to its rooms. */
  roomIds: readonly number[];
}

/** The handshake of both transports: the same token check as HTTP, then the user's rooms. */
@Injectable()
export class ConnectionAuthenticator {
  constructor(
    private readonly auth: AuthService,
    private readonly rooms: RoomsService,
    private readonly running: RunningCommands,
  ) {}

  /**
   * `given` is the token the client passed in the handshake, `authorization` its header; refuses
   * with `unauthorized`, or `server_shutting_down` while the server stops.
   */
  async authenticate(
    given: unknown,
    authorization: string | undefined,
  ): Promise<ConnectionIdentity> {
    this.running.assertAccepting();
    const { user, sessionId, expiresAt } = await this.auth.verifySession(
      connectionToken(given, authorization),
    );
    return { user, sessionId, expiresAt, roomIds: await this.rooms.roomIdsOf(user.id) };
  }
}
