import { io, type Socket } from 'socket.io-client';
import { ErrorCode } from '../../src/common/errors/error-code';
import type {
  Ack,
  ErrorPayload,
  MemberEvent,
  MentionEvent,
  MessageUpdatedEvent,
  PresenceEvent,
  ReadEvent,
  RoomAddedEvent,
  RoomRemovedEvent,
  TypingEvent,
  UserUpdatedEvent,
} from '../../src/contract/events';
import type { Message, Room } from '../../src/contract/objects';
import { NotConnectedError } from './errors';
import type { Person } from './names';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting';

export interface RealtimeHandlers {
  state(state: ConnectionState): void;
  /** After every successful handshake; `again` is false for the first one. */
  connected(again: boolean): void;
  /** The server refused the token, or ended the session: it is over. */
  unauthorized(): void;
  message(message: Message): void;
  /** A message was edited, deleted (its tombstone) or reacted to. */
  updated(message: Message): void;
  typing(event: TypingEvent): void;
  presence(event: PresenceEvent): void;
  joined(event: MemberEvent): void;
  left(event: MemberEvent): void;
  /** A room the user can now read (a new direct room, an invitation). */
  roomAdded(room: Room): void;
  /** A room the user left or can no longer read (in this tab or another). */
  roomRemoved(roomId: number): void;
  /** A room's name or description changed. */
  roomUpdated(room: Room): void;
  /** Someone sharing a room with the user changed their display name. */
  userUpdated(user: Person): void;
  /** The user's read position moved in another tab. */
  read(event: ReadEvent): void;
  /** A message naming the user, whatever room it is in. */
  mention(message: Message): void;
}

/** Reconnection delays stay short so that a restarted server is found again within seconds. */
const SOCKET_OPTIONS = {
  transports: ['websocket', 'polling'],
  tryAllTransports: true,
  reconnectionDelay: 500,
  reconnectionDelayMax: 2_000,
  randomizationFactor: 0.3,
  timeout: 8_000,
  forceNew: true,
};

/**
 * The Socket.IO connection: the token goes in the handshake's `auth`, never in a URL. Socket.IO
 * reconnects by itself with short delays; each (re)connect is reported so the app can catch up.
 */
export class Realtime {
  private socket: Socket | null = null;
  private everConnected = false;
  private manualRetry?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly token: string,
    private readonly handlers: RealtimeHandlers,
  ) {}

  get connected(): boolean {
    return this.socket?.connected ?? false;
  }

  start(): void {
    this.socket = this.open();
  }

  stop(): void {
    clearTimeout(this.manualRetry);
    this.socket?.disconnect();
    this.socket = null;
  }

  /** Emits with an acknowledgement (`A`); rejects on a timeout or with NotConnectedError. */
  async request<A extends Ack>(event: string, payload: object, timeoutMs = 8_000): Promise<A> {
    const socket = this.socket;
    if (!socket?.connected) throw new NotConnectedError();
    return (await socket.timeout(timeoutMs).emitWithAck(event, payload)) as A;
  }

  /** Fire and forget (typing): nothing to retry, so nothing is sent while disconnected. */
  notify(event: string, payload: object): void {
    if (this.socket?.connected) this.socket.emit(event, payload, () => undefined);
  }

  private open(): Socket {
    const socket = io({ ...SOCKET_OPTIONS, auth: { token: this.token } });
    const current = () => socket === this.socket;
    socket.on('connect', () => {
      if (!current()) return;
      const again = this.everConnected;
      this.everConnected = true;
      this.handlers.state('connected');
      this.handlers.connected(again);
    });
    socket.on('disconnect', (reason) => {
      if (!current()) return;
      this.handlers.state('reconnecting');
      // The server closed this socket on purpose; Socket.IO does not retry that by itself.
      if (reason === 'io server disconnect') {
        this.manualRetry = setTimeout(() => socket.connect(), 1_000);
      }
    });
    socket.on('connect_error', (error) => {
      if (!current()) return;
      if (error.message === 'unauthorized') {
        this.handlers.unauthorized();
        return;
      }
      this.handlers.state(this.everConnected ? 'reconnecting' : 'connecting');
      // A refusal by the server's middleware (e.g. storage down) is not retried automatically.
      if (!socket.active) this.manualRetry = setTimeout(() => socket.connect(), 2_000);
    });
    // The server ended the session (sign-out, password change, deactivation); a disconnect follows.
    socket.on('error', (event: Partial<ErrorPayload> | undefined) => {
      if (current() && event?.code === ErrorCode.Unauthorized) this.handlers.unauthorized();
    });
    socket.on('chat_message', (message: Message) => this.handlers.message(message));
    socket.on('message_updated', (event: MessageUpdatedEvent) => {
      if (event?.message) this.handlers.updated(event.message);
    });
    socket.on('typing', (event: TypingEvent) => this.handlers.typing(event));
    socket.on('presence', (event: PresenceEvent) => this.handlers.presence(event));
    socket.on('user_joined', (event: MemberEvent) => this.handlers.joined(event));
    socket.on('user_left', (event: MemberEvent) => this.handlers.left(event));
    socket.on('room_added', (event: RoomAddedEvent) => {
      if (event?.room) this.handlers.roomAdded(event.room);
    });
    socket.on('room_removed', (event: RoomRemovedEvent) => {
      if (typeof event?.room_id === 'number') this.handlers.roomRemoved(event.room_id);
    });
    socket.on('room_updated', (event: { room?: Room } | undefined) => {
      if (typeof event?.room?.id === 'number') this.handlers.roomUpdated(event.room);
    });
    socket.on('user_updated', (event: Partial<UserUpdatedEvent> | undefined) => {
      if (typeof event?.user?.id === 'number') this.handlers.userUpdated(event.user);
    });
    socket.on('read', (event: ReadEvent) => {
      if (typeof event?.room_id === 'number') this.handlers.read(event);
    });
    socket.on('mention', (event: MentionEvent) => {
      if (event?.message) this.handlers.mention(event.message);
    });
    // The server may have missed events for us (e.g. during a Redis outage): catch up as after a
    // reconnect.
    socket.on('resync', () => {
      if (current()) this.handlers.connected(true);
    });
    return socket;
  }
}
