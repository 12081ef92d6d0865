import { Injectable, type Type } from '@nestjs/common';
import type { AuthUser } from '../../common/auth/auth-user';
import { MessagesService } from '../../messages/messages.service';
import { Metrics } from '../../metrics/metrics';
import { ReadState } from '../../rooms/read-state';
import { RoomsService } from '../../rooms/rooms.service';
import type { Ack, FailedAck, MessageAck, MessagesAck, RoomAck } from '../../contract/events';
import { RealtimeBroadcaster } from '../delivery/realtime-broadcaster';
import { RequestError } from '../../common/errors/app-error';
import {
  ChatMessageDto,
  EditMessageCommandDto,
  MarkReadCommandDto,
  MessageRefDto,
  ReactDto,
  RoomRefDto,
  SyncDto,
  TypingDto,
} from './command-payloads';
import { errorEventOf } from './error-answers';
import { RunningCommands } from './running-commands';
import { TypingThrottle } from './typing-throttle';
import { validatePayload } from './validate-payload';

/** One command a client may send: the DTO its payload is validated against, and its handler. */
interface CommandDefinition {
  readonly payload: Type<object>;
  readonly handle: (user: AuthUser, payload: object) => Promise<Ack>;
}

/** Pairs a payload DTO with a handler of it: the handler only ever gets a validated instance. */
const command = <P extends object>(
  payload: Type<P>,
  handle: (user: AuthUser, payload: P) => Promise<Ack>,
): CommandDefinition => ({
  payload,
  handle: handle as (user: AuthUser, payload: object) => Promise<Ack>,
});

/** The names of the commands, in the order error messages list them. */
export const COMMAND_NAMES = [
  'chat_message',
  'edit_message',
  'delete_message',
  'react',
  'join_room',
  'leave_room',
  'mark_read',
  'typing',
  'sync',
] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

export const isCommandName = (name: unknown): name is CommandName =>
  (COMMAND_NAMES as readonly unknown[]).includes(name);

/**
 * The real-time commands, declared once: Socket.IO serves each as an event with an
 * acknowledgement, the raw WebSocket as a frame `type` with an ack frame. Rules (access, rate
 * limits) live in the feature services, shared with REST; a handler maps them to the ack.
 * Adding a command is one entry here and its handler.
 */
@Injectable()
export class RealtimeCommands {
  private readonly table: Readonly<Record<CommandName, CommandDefinition>>;

  constructor(
    private readonly rooms: RoomsService,
    private readonly readState: ReadState,
    private readonly messages: MessagesService,
    private readonly broadcaster: RealtimeBroadcaster,
    private readonly typingThrottle: TypingThrottle,
    private readonly running: RunningCommands,
    private readonly metrics: Metrics,
  ) {
    this.table = {
      chat_message: command(ChatMessageDto, (user, dto) => this.send(user, dto)),
      edit_message: command(EditMessageCommandDto, (user, dto) => this.edit(user, dto)),
      delete_message: command(MessageRefDto, (user, dto) => this.delete(user, dto)),
      react: command(ReactDto, (user, dto) => this.react(user, dto)),
      join_room: command(RoomRefDto, (user, dto) => this.join(user, dto)),
      leave_room: command(RoomRefDto, (user, dto) => this.leave(user, dto)),
      mark_read: command(MarkReadCommandDto, (user, dto) => this.markRead(user, dto)),
      typing: command(TypingDto, (user, dto) => this.typing(user, dto)),
      sync: command(SyncDto, (user, dto) => this.sync(user, dto)),
    };
  }

  /**
   * Validates the payload and runs the command, unless the server is shutting down. Never
   * rejects: a refusal or failure is the failed ack, counted.
   */
  async execute(user: AuthUser, name: CommandName, payload: unknown): Promise<Ack> {
    const { payload: dto, handle } = this.table[name];
    try {
      return await this.running.run(async () => handle(user, await validatePayload(dto, payload)));
    } catch (exception) {
      return this.failure(exception);
    }
  }

  /** A failed ack for an error met before a command could run (a malformed raw frame), counted. */
  failure(exception: unknown): FailedAck {
    const error = errorEventOf(exception);
    this.metrics.errorAnswered(error.code);
    return { ok: false, error };
  }

  private async join(user: AuthUser, dto: RoomRefDto): Promise<RoomAck> {
    return { ok: true, room: await this.rooms.join(user, dto.room_id) };
  }

  private async leave(user: AuthUser, dto: RoomRefDto): Promise<Ack> {
    await this.rooms.leave(user, dto.room_id);
    return { ok: true };
  }

  private async markRead(user: AuthUser, dto: MarkReadCommandDto): Promise<Ack> {
    await this.readState.mark(user, dto.room_id, dto.last_read_id);
    return { ok: true };
  }

  private async send(user: AuthUser, dto: ChatMessageDto): Promise<MessageAck> {
    const { message } = await this.messages.send(user, dto.room_id, {
      content: dto.content,
      client_msg_id: dto.client_msg_id,
      reply_to: dto.reply_to,
    });
    return { ok: true, message };
  }

  private async edit(user: AuthUser, dto: EditMessageCommandDto): Promise<MessageAck> {
    const message = await this.messages.edit(user, dto.room_id, dto.message_id, {
      content: dto.content,
    });
    return { ok: true, message };
  }

  /** Acknowledged with the tombstone. */
  private async delete(user: AuthUser, dto: MessageRefDto): Promise<MessageAck> {
    return { ok: true, message: await this.messages.delete(user, dto.room_id, dto.message_id) };
  }

  private async react(user: AuthUser, dto: ReactDto): Promise<MessageAck> {
    const message = await this.messages.react(user, dto.room_id, dto.message_id, dto.emoji, dto.on);
    return { ok: true, message };
  }

  /** Acknowledged whether or not the throttle passes it on: a dropped one is no error. */
  private async typing(user: AuthUser, dto: TypingDto): Promise<Ack> {
    await this.rooms.assertCanSend(user, dto.room_id);
    if (await this.typingThrottle.admit(user.id, dto.room_id, dto.is_typing)) {
      this.broadcaster.typing(dto.room_id, user, dto.is_typing);
    }
    return { ok: true };
  }

  /** New messages after `after_id`, or every change after `changed_after`. */
  private async sync(user: AuthUser, dto: SyncDto): Promise<MessagesAck> {
    if ((dto.after_id === undefined) === (dto.changed_after === undefined)) {
      throw RequestError.validation([
        { field: 'after_id', message: 'give either after_id or changed_after' },
      ]);
    }
    const messages = await this.messages.history(user, dto.room_id, {
      after: dto.after_id,
      changed_after: dto.changed_after,
      limit: dto.limit,
    });
    return { ok: true, messages };
  }
}
