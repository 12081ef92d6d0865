import type { Socket } from 'socket.io-client';
import type { WebSocket } from 'ws';
import { COMMAND_NAMES, type CommandName } from '../src/realtime/commands/realtime-commands';
import { createRoom, CreatedRoom, joinRoom, sendMessage } from './factories/rooms.factory';
import { registerUser, RegisteredUser, uniqueName } from './factories/users.factory';
import {
  emitAck,
  Frame,
  nextEvent,
  nextFrame,
  RealtimeClients,
  rawRequest,
  Received,
} from './support/realtime-clients';
import { errorAck, messageShape, roomShape } from './support/realtime-fixtures';
import { startApp, STORES, TestApp } from './support/test-app';

/**
 * Every command of the server's command table, as a client uses it: a payload that succeeds and
 * what its ack carries, and a payload that is refused. The same cases run on both transports.
 */
interface CommandCase {
  /** Whether the user must be a member of the room before the command. */
  member: boolean;
  /** The id of a message the user sent to the room before the command (0 for other commands). */
  payload: (room: CreatedRoom, messageId: number) => Record<string, unknown>;
  ack: (room: CreatedRoom, user: RegisteredUser, owner: RegisteredUser) => Record<string, unknown>;
  invalid: Record<string, unknown>;
  /** Whether the command acts on a message of the user's, sent before it. */
  onOwnMessage?: true;
}

/** The content of the message the commands that change one act on. */
const OWN_MESSAGE = 'my own message';

const CASES: Record<CommandName, CommandCase> = {
  chat_message: {
    member: true,
    payload: (room) => ({ room_id: room.id, content: 'hello from the table' }),
    ack: (room, user) => ({
      ok: true,
      message: messageShape({ roomId: room.id, user, content: 'hello from the table' }),
    }),
    invalid: { room_id: 1, content: '' },
  },
  edit_message: {
    member: true,
    onOwnMessage: true,
    payload: (room, messageId) => ({ room_id: room.id, message_id: messageId, content: 'edited' }),
    ack: (room, user) => ({
      ok: true,
      message: messageShape({ roomId: room.id, user, content: 'edited', edited: true }),
    }),
    invalid: { room_id: 1, message_id: 1, content: '' },
  },
  delete_message: {
    member: true,
    onOwnMessage: true,
    payload: (room, messageId) => ({ room_id: room.id, message_id: messageId }),
    ack: (room, user) => ({
      ok: true,
      message: messageShape({ roomId: room.id, user, content: '', deleted: true }),
    }),
    invalid: { room_id: 1, message_id: 0 },
  },
  react: {
    member: true,
    onOwnMessage: true,
    payload: (room, messageId) => ({
      room_id: room.id,
      message_id: messageId,
      emoji: '👍',
      on: true,
    }),
    ack: (room, user) => ({
      ok: true,
      message: messageShape({
        roomId: room.id,
        user,
        content: OWN_MESSAGE,
        reactions: [{ emoji: '👍', count: 1, user_ids: [user.id] }],
      }),
    }),
    invalid: { room_id: 1, message_id: 1, emoji: '👍', on: 'yes' },
  },
  join_room: {
    member: false,
    payload: (room) => ({ room_id: room.id }),
    ack: (room, _user, owner) => ({ ok: true, room: roomShape({ room, owner, memberCount: 2 }) }),
    invalid: { room_id: 'one' },
  },
  leave_room: {
    member: true,
    payload: (room) => ({ room_id: room.id }),
    ack: () => ({ ok: true }),
    invalid: { room_id: 0 },
  },
  mark_read: {
    member: true,
    onOwnMessage: true,
    payload: (room, messageId) => ({ room_id: room.id, last_read_id: messageId }),
    ack: () => ({ ok: true }),
    invalid: { room_id: 1, last_read_id: -1 },
  },
  typing: {
    member: true,
    payload: (room) => ({ room_id: room.id, is_typing: true }),
    ack: () => ({ ok: true }),
    invalid: { room_id: 1, is_typing: 'yes' },
  },
  sync: {
    member: true,
    payload: (room) => ({ room_id: room.id, after_id: 0 }),
    ack: () => ({ ok: true, messages: [] }),
    invalid: { room_id: 1, after_id: -1 },
  },
};

/** One transport as the table's cases use it. */
interface Transport {
  open(user: RegisteredUser): Promise<Socket | WebSocket>;
  /** Sends the command asking for an answer; resolves with the ack's fields. */
  request(client: Socket | WebSocket, name: string, payload: unknown): Promise<Received>;
  /** Sends the command asking for no answer; resolves with the error it causes. */
  unanswered(client: Socket | WebSocket, name: string, payload: unknown): Promise<Received>;
}

describe.each(STORES)('real-time commands on both transports (%s store)', (store) => {
  let app: TestApp;
  let owner: RegisteredUser;
  const clients = new RealtimeClients();

  beforeAll(async () => {
    app = await startApp(store);
    owner = await registerUser(app);
  });
  afterEach(() => clients.closeAll());
  afterAll(() => app.close());

  const transports: Record<'socket.io' | 'raw', Transport> = {
    'socket.io': {
      open: (user) => clients.socket(app.url, user.token),
      request: (client, name, payload) => emitAck(client as Socket, name, payload),
      unanswered: (client, name, payload) => {
        const error = nextEvent(client as Socket, 'error');
        (client as Socket).emit(name, payload);
        return error;
      },
    },
    raw: {
      open: (user) => clients.raw(app.url, user.token),
      request: async (client, name, payload) => {
        const frame = await rawRequest(client as WebSocket, {
          ...(payload as object),
          type: name,
        });
        expect(frame).toMatchObject({ type: 'ack', request_id: expect.any(String) });
        const { type: _, request_id: __, ...ack } = frame;
        return ack;
      },
      unanswered: (client, name, payload) => {
        const error = nextFrame(client as WebSocket, (frame: Frame) => frame.type === 'error');
        (client as WebSocket).send(JSON.stringify({ ...(payload as object), type: name }));
        return error.then(({ type: _, ...event }) => event);
      },
    },
  };

  it('covers every command of the server’s table', () => {
    expect(Object.keys(CASES).sort()).toEqual([...COMMAND_NAMES].sort());
  });

  /** A user, a room, and (for commands on a message) the user's own message there. */
  async function userInRoom(
    command: CommandCase,
  ): Promise<{ user: RegisteredUser; room: CreatedRoom; messageId: number }> {
    const room = await createRoom(app, owner, { name: uniqueName('cmd') });
    const user = await registerUser(app);
    if (command.member) await joinRoom(app, user, room.id);
    const messageId = command.onOwnMessage
      ? (await sendMessage(app, user, room.id, OWN_MESSAGE)).id
      : 0;
    return { user, room, messageId };
  }

  describe.each(Object.keys(transports) as (keyof typeof transports)[])('%s', (transportName) => {
    const transport = transports[transportName];

    it('sends a reply with chat_message, and refuses one to a message of another room', async () => {
      const { user, room } = await userInRoom(CASES.chat_message);
      const parent = await sendMessage(app, owner, room.id, 'the question');
      const other = await createRoom(app, owner, { name: uniqueName('other') });
      const elsewhere = await sendMessage(app, owner, other.id, 'elsewhere');
      const client = await transport.open(user);

      const ack = await transport.request(client, 'chat_message', {
        room_id: room.id,
        content: 'the answer',
        reply_to: parent.id,
      });
      expect(ack).toEqual({
        ok: true,
        message: messageShape({ roomId: room.id, user, content: 'the answer', replyTo: parent.id }),
      });
      const refused = await transport.request(client, 'chat_message', {
        room_id: room.id,
        content: 'lost',
        reply_to: elsewhere.id,
      });
      expect(refused).toEqual(errorAck('message_not_found'));
    });

    describe.each(COMMAND_NAMES)('%s', (name) => {
      const command = CASES[name];

      it('answers a valid payload with its ack', async () => {
        const { user, room, messageId } = await userInRoom(command);
        const client = await transport.open(user);
        const ack = await transport.request(client, name, command.payload(room, messageId));
        expect(ack).toEqual(command.ack(room, user, owner));
      });

      it('refuses an invalid payload with a failed ack, and stays connected', async () => {
        const { user, room, messageId } = await userInRoom(command);
        const client = await transport.open(user);
        const refused = await transport.request(client, name, command.invalid);
        expect(refused).toMatchObject(errorAck('validation_failed'));
        expect(refused.error.details).toEqual(
          expect.arrayContaining([expect.objectContaining({ field: expect.any(String) })]),
        );
        expect(await transport.request(client, name, command.payload(room, messageId))).toEqual(
          command.ack(room, user, owner),
        );
      });

      it('answers a refusal nobody asked an ack for with an error event', async () => {
        const { user } = await userInRoom(command);
        const client = await transport.open(user);
        const error = await transport.unanswered(client, name, command.invalid);
        expect(error).toMatchObject({ code: 'validation_failed', message: expect.any(String) });
      });

      it('refuses a room that does not exist as the REST routes do', async () => {
        const { user, room, messageId } = await userInRoom(command);
        const client = await transport.open(user);
        const missing = { ...command.payload(room, messageId), room_id: 2_000_000_000 };
        expect(await transport.request(client, name, missing)).toEqual(errorAck('room_not_found'));
      });
    });
  });
});
