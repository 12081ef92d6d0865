import { Inject } from '@nestjs/common';
import { OnGatewayConnection, OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import type { Server, Socket } from 'socket.io';
import { RedisConnection } from '../../cluster/redis-connection';
import { AppConfig } from '../../config/app-config';
import type { AuthUser } from '../../common/auth/auth-user';
import { COMMAND_NAMES, RealtimeCommands } from '../commands/realtime-commands';
import { SerialQueue } from '../commands/serial-queue';
import { errorEventOf } from '../commands/error-answers';
import {
  ConnectionAuthenticator,
  ConnectionIdentity,
} from '../connections/connection-authenticator';
import { ConnectionLifecycle } from '../connections/connection-lifecycle';
import { ChatServer, RealtimeBroadcaster } from '../delivery/realtime-broadcaster';
import { roomChannel, sessionChannel, userChannel } from '../protocol/channels';
import type { ServerToClientEvents } from '../protocol/events';
import { eventArgs } from './event-args';
import { redisAdapter } from './redis-adapter';

type ChatSocket = Socket<
  Record<string, (...args: unknown[]) => void>,
  ServerToClientEvents,
  Record<string, never>,
  ConnectionIdentity
>;

/**
 * Socket.IO transport: authenticates the handshake as HTTP does, opens the connection's lifecycle
 * (subscriptions, presence, expiry) and serves every command of the command table as an event,
 * one at a time per socket in arrival order, answered through the acknowledgement (or an `error`
 * event when the client asked for none).
 */
@WebSocketGateway()
export class SocketIoGateway implements OnGatewayInit, OnGatewayConnection {
  constructor(
    private readonly authenticator: ConnectionAuthenticator,
    private readonly commands: RealtimeCommands,
    private readonly lifecycle: ConnectionLifecycle,
    private readonly broadcaster: RealtimeBroadcaster,
    private readonly config: AppConfig,
    // Null without REDIS_URL (a union type names no class for the injector: hence @Inject).
    @Inject(RedisConnection) private readonly redis: RedisConnection | null,
  ) {}

  afterInit(server: Server): void {
    // With REDIS_URL, rooms span the server processes through the Redis (pub/sub) adapter.
    if (this.redis) server.adapter(redisAdapter(this.redis, this.config.redisPubSub));
    this.broadcaster.bind(server as ChatServer);
    // Guards do not run on connection, so the handshake is checked here, before it completes.
    server.use((socket, next) => {
      const { auth, headers } = socket.handshake;
      this.authenticator
        .authenticate((auth as Record<string, unknown> | undefined)?.token, headers.authorization)
        .then(async (identity) => {
          socket.data = identity;
          await this.join(socket as ChatSocket);
        })
        // A failed join refuses the handshake like a failed check, rather than being left unhandled.
        .then(
          () => next(),
          (error: unknown) => next(new Error(errorEventOf(error).code)),
        );
    });
  }

  handleConnection(socket: ChatSocket): void {
    const identity = socket.data;
    const { user } = identity;
    const close = this.lifecycle.open(
      {
        transport: 'socketio',
        user,
        // Joined during the handshake (see join).
        joinUser: () => undefined,
        joinRooms: () => undefined,
        end: (why) => {
          socket.emit('error', why.error);
          socket.disconnect(true);
        },
      },
      identity,
    );
    // Only the user is kept for the connection's life; the rooms were joined.
    socket.data = { ...identity, roomIds: [] };
    socket.once('disconnect', close);
    this.serveCommands(socket, user);
  }

  /**
   * Joins the user's, session's and rooms' channels before the handshake completes, and waits
   * until the subscriptions this needs in Redis are in force: once the client is told it is
   * connected, every message sent to its rooms, through any process, reaches it.
   */
  private async join(socket: ChatSocket): Promise<void> {
    const { user, sessionId, roomIds } = socket.data;
    await socket.join([
      userChannel(user.id),
      sessionChannel(sessionId),
      ...roomIds.map(roomChannel),
    ]);
    await this.redis?.subscriptionsInForce();
  }

  private serveCommands(socket: ChatSocket, user: AuthUser): void {
    const queue = new SerialQueue();
    for (const name of COMMAND_NAMES) {
      socket.on(name, (...args: unknown[]) => {
        const { payload, ack } = eventArgs(args);
        void queue
          .run(() => this.commands.execute(user, name, payload))
          .then((answer) => {
            if (ack) ack(answer);
            else if (!answer.ok) socket.emit('error', answer.error);
          });
      });
    }
  }
}
