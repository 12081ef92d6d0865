import type { Socket } from 'socket.io-client';
import { RoomsRepository } from '../src/rooms/rooms.repository';
import { createRoom, joinRoom, sendMessage } from './factories/rooms.factory';
import { registerUser, RegisteredUser, uniqueName } from './factories/users.factory';
import {
  emitAck,
  EVENT_TIMEOUT_MS,
  expectNoEvent,
  nextEvent,
  RealtimeClients,
  Received,
  signJwt,
} from './support/realtime-clients';
import {
  errorAck,
  memberEvent,
  memberIds,
  messageShape,
  roomShape,
  roomWithTwoMembers,
} from './support/realtime-fixtures';
import { StoreGate } from './support/store-gate';
import { startApp, STORES, TEST_JWT_SECRET, TestApp } from './support/test-app';

const nowSeconds = () => Math.floor(Date.now() / 1000);

describe.each(STORES)('Socket.IO (%s store)', (store) => {
  let app: TestApp;
  const clients = new RealtimeClients();

  beforeAll(async () => {
    app = await startApp(store);
  });
  afterEach(() => clients.closeAll());
  afterAll(() => app.close());

  const connect = (user: RegisteredUser) => clients.socket(app.url, user.token);

  /**
   * A typing ping from `from` into `roomId`, acknowledged: a marker for expectNoEvent. The
   * throttle passes one start per user and room every few seconds, and the stop that ends it:
   * a second marker of the same user in the same room is a stop.
   */
  const typingPing =
    (from: Socket, roomId: number, isTyping = true) =>
    () =>
      emitAck(from, 'typing', { room_id: roomId, is_typing: isTyping });

  describe('handshake', () => {
    it('connects with a valid token', async () => {
      const user = await registerUser(app);
      const socket = await connect(user);
      expect(socket.connected).toBe(true);
    });

    it('is in the user’s rooms by the time the client sees it connected, however slow the store', async () => {
      const { owner, member, room } = await roomWithTwoMembers(app);
      const gate = StoreGate.close(app, RoomsRepository);
      let connected = false;
      const connecting = connect(member).then((socket) => {
        connected = true;
        return socket;
      });
      try {
        // The handshake reads the member's rooms from the store, which does not answer yet...
        await gate.holding(member.id);
        // ...and the server, which has answered a later request meanwhile, has not let it in.
        await app.http().get('/health').expect(200);
        expect(connected).toBe(false);
      } finally {
        gate.release();
      }
      const socket = await connecting;
      const content = uniqueName('right-after-connect');
      const arrived = nextEvent(socket, 'chat_message', (m) => m.content === content);
      await sendMessage(app, owner, room.id, content);
      expect(await arrived).toEqual(messageShape({ roomId: room.id, user: owner, content }));
    });

    it('refuses a missing token with connect_error "unauthorized"', async () => {
      const error = await clients.refusedSocket(app.url, undefined);
      expect(error.message).toBe('unauthorized');
    });

    it('refuses an empty token with connect_error "unauthorized"', async () => {
      const error = await clients.refusedSocket(app.url, '');
      expect(error.message).toBe('unauthorized');
    });

    it('refuses a forged token (not a JWT) with connect_error "unauthorized"', async () => {
      const error = await clients.refusedSocket(app.url, 'not-a-token');
      expect(error.message).toBe('unauthorized');
    });

    it('refuses a token signed with another secret with connect_error "unauthorized"', async () => {
      const user = await registerUser(app);
      const forged = signJwt(
        { sub: user.id, username: user.username, iat: nowSeconds(), exp: nowSeconds() + 3600 },
        'some-other-secret',
      );
      const error = await clients.refusedSocket(app.url, forged);
      expect(error.message).toBe('unauthorized');
    });

    it('refuses an expired token with connect_error "unauthorized"', async () => {
      const user = await registerUser(app);
      const expired = signJwt(
        { sub: user.id, username: user.username, iat: nowSeconds() - 7200, exp: nowSeconds() - 60 },
        TEST_JWT_SECRET,
      );
      const error = await clients.refusedSocket(app.url, expired);
      expect(error.message).toBe('unauthorized');
    });

    it('refuses a well-signed token of a user that does not exist', async () => {
      const ghost = signJwt(
        { sub: 1_999_999_999, username: 'ghost', iat: nowSeconds(), exp: nowSeconds() + 3600 },
        TEST_JWT_SECRET,
      );
      const error = await clients.refusedSocket(app.url, ghost);
      expect(error.message).toBe('unauthorized');
    });
  });

  describe('on connect', () => {
    it('subscribes the socket to every room the user is a member of, without join_room', async () => {
      const [user, other] = await Promise.all([registerUser(app), registerUser(app)]);
      const owned = await createRoom(app, user);
      const joined = await createRoom(app, other);
      await joinRoom(app, user, joined.id);
      const secret = await createRoom(app, user, { isPrivate: true });
      await joinRoom(app, other, owned.id);
      const socket = await connect(user);

      for (const [room, sender] of [
        [owned, other],
        [joined, other],
        [secret, user],
      ] as const) {
        const content = uniqueName('hello');
        const arrived = nextEvent(socket, 'chat_message', (m) => m.content === content);
        const sent = await sendMessage(app, sender, room.id, content);
        expect(await arrived).toEqual(
          messageShape({ roomId: room.id, user: sender, content, id: sent.id }),
        );
      }
    });
  });

  describe('rooms created while connected', () => {
    it("subscribes the creator's live socket to a room it creates through REST", async () => {
      const [owner, user] = await Promise.all([registerUser(app), registerUser(app)]);
      const ownerSocket = await connect(owner);
      const room = await createRoom(app, owner);
      await joinRoom(app, user, room.id);

      const content = uniqueName('new-room');
      const arrived = nextEvent(ownerSocket, 'chat_message', (m) => m.content === content);
      await sendMessage(app, user, room.id, content);
      expect(await arrived).toEqual(messageShape({ roomId: room.id, user, content }));
    });
  });

  describe('join_room', () => {
    it('joins a public room: ack {ok, room}, membership kept, live messages follow', async () => {
      const [owner, user] = await Promise.all([registerUser(app), registerUser(app)]);
      const room = await createRoom(app, owner);
      const socket = await connect(user);

      const ack = await emitAck(socket, 'join_room', { room_id: room.id });
      expect(ack).toEqual({ ok: true, room: roomShape({ room, owner, memberCount: 2 }) });
      expect(await memberIds(app, owner, room.id)).toEqual(
        expect.arrayContaining([owner.id, user.id]),
      );

      const content = uniqueName('after-join');
      const arrived = nextEvent(socket, 'chat_message', (m) => m.content === content);
      await sendMessage(app, owner, room.id, content);
      expect(await arrived).toEqual(messageShape({ roomId: room.id, user: owner, content }));
    });

    it('joining a room again succeeds and announces nobody', async () => {
      const { owner, member, room } = await roomWithTwoMembers(app);
      const [ownerSocket, memberSocket] = await Promise.all([connect(owner), connect(member)]);

      await expect(
        expectNoEvent(memberSocket, 'user_joined', () => true, {
          send: async () => {
            expect(await emitAck(ownerSocket, 'join_room', { room_id: room.id })).toMatchObject({
              ok: true,
              room: { id: room.id, member_count: 2 },
            });
            await typingPing(ownerSocket, room.id)();
          },
          event: 'typing',
          predicate: (t) => t.user_id === owner.id,
        }),
      ).resolves.toBe(true);
    });

    it('answers room_not_found for a private room the user is not in, as for a missing room', async () => {
      const [owner, user] = await Promise.all([registerUser(app), registerUser(app)]);
      const secret = await createRoom(app, owner, { isPrivate: true });
      const socket = await connect(user);

      const ack = await emitAck(socket, 'join_room', { room_id: secret.id });
      expect(ack).toEqual({
        ok: false,
        error: { code: 'room_not_found', message: expect.any(String) },
      });
      const missing = await emitAck(socket, 'join_room', { room_id: 1_999_999_999 });
      expect(missing).toEqual({
        ok: false,
        error: { code: 'room_not_found', message: expect.any(String) },
      });
      expect(await memberIds(app, owner, secret.id)).toEqual([owner.id]);
    });
  });

  describe('leave_room', () => {
    it('acks {ok: true}, ends the membership and the live subscription', async () => {
      const { owner, member, room } = await roomWithTwoMembers(app);
      const other = await createRoom(app, owner);
      await joinRoom(app, member, other.id);
      const [ownerSocket, memberSocket] = await Promise.all([connect(owner), connect(member)]);

      expect(await emitAck(memberSocket, 'leave_room', { room_id: room.id })).toEqual({ ok: true });
      expect(await memberIds(app, owner, room.id)).toEqual([owner.id]);

      const gone = uniqueName('gone');
      const marker = uniqueName('marker');
      await expect(
        expectNoEvent(memberSocket, 'chat_message', (m) => m.room_id === room.id, {
          send: async () => {
            await emitAck(ownerSocket, 'chat_message', { room_id: room.id, content: gone });
            await emitAck(ownerSocket, 'chat_message', { room_id: other.id, content: marker });
          },
          event: 'chat_message',
          predicate: (m) => m.content === marker,
        }),
      ).resolves.toBe(true);
    });

    it('leaving a room the user is not in still acks {ok: true}', async () => {
      const [owner, user] = await Promise.all([registerUser(app), registerUser(app)]);
      const room = await createRoom(app, owner);
      const socket = await connect(user);
      expect(await emitAck(socket, 'leave_room', { room_id: room.id })).toEqual({ ok: true });
    });
  });

  describe('chat_message', () => {
    it('acks {ok, message} and delivers the message to the sender and to the others', async () => {
      const { owner, member, room } = await roomWithTwoMembers(app);
      const [ownerSocket, memberSocket] = await Promise.all([connect(owner), connect(member)]);
      const content = uniqueName('hi');
      const clientMsgId = uniqueName('cid');

      const toSender = nextEvent(ownerSocket, 'chat_message', (m) => m.content === content);
      const toOther = nextEvent(memberSocket, 'chat_message', (m) => m.content === content);
      const ack = await emitAck(ownerSocket, 'chat_message', {
        room_id: room.id,
        content: `  ${content}  `,
        client_msg_id: clientMsgId,
      });

      const expected = messageShape({ roomId: room.id, user: owner, content, clientMsgId });
      expect(ack).toEqual({ ok: true, message: expected });
      expect(await toSender).toEqual(ack.message);
      expect(await toOther).toEqual(ack.message);
    });

    it("accepts the seed's frame with type: 'chat_message'", async () => {
      const { owner, member, room } = await roomWithTwoMembers(app);
      const [ownerSocket, memberSocket] = await Promise.all([connect(owner), connect(member)]);
      const content = uniqueName('seed');

      const toOther = nextEvent(memberSocket, 'chat_message', (m) => m.content === content);
      const ack = await emitAck(ownerSocket, 'chat_message', {
        type: 'chat_message',
        content,
        room_id: room.id,
      });
      expect(ack).toEqual({
        ok: true,
        message: messageShape({ roomId: room.id, user: owner, content }),
      });
      expect(await toOther).toEqual(ack.message);
    });

    it('ignores the type field, whatever its value', async () => {
      const { owner, room } = await roomWithTwoMembers(app);
      const socket = await connect(owner);
      for (const type of ['message', 42, null]) {
        const ack = await emitAck(socket, 'chat_message', {
          type,
          content: 'typed',
          room_id: room.id,
        });
        expect(ack).toMatchObject({ ok: true, message: { content: 'typed' } });
      }
    });

    it('handles one socket’s events in the order they were sent: a join, then sends', async () => {
      const [owner, joiner] = await Promise.all([registerUser(app), registerUser(app)]);
      const room = await createRoom(app, owner);
      const socket = await connect(joiner);
      // Emitted back to back, without waiting for acks: the sends must see the join.
      const acks = await Promise.all([
        emitAck(socket, 'join_room', { room_id: room.id }),
        ...[1, 2, 3, 4, 5].map((n) =>
          emitAck(socket, 'chat_message', { room_id: room.id, content: `n${n}` }),
        ),
      ]);
      expect(acks.every((ack) => ack.ok)).toBe(true);
      const ids = acks.slice(1).map((ack) => ack.message.id as number);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
    });

    it('answers a client_msg_id reused for another room with client_msg_id_conflict', async () => {
      const { owner, room } = await roomWithTwoMembers(app);
      const other = await createRoom(app, owner);
      const socket = await connect(owner);
      const clientMsgId = uniqueName('cid');
      await emitAck(socket, 'chat_message', {
        room_id: room.id,
        content: 'a',
        client_msg_id: clientMsgId,
      });

      const reused = await emitAck(socket, 'chat_message', {
        room_id: other.id,
        content: 'b',
        client_msg_id: clientMsgId,
      });

      expect(reused).toEqual(errorAck('client_msg_id_conflict'));
    });

    it('answers not_a_member to a sender outside a public room, room_not_found for a private one', async () => {
      const [owner, user] = await Promise.all([registerUser(app), registerUser(app)]);
      const open = await createRoom(app, owner);
      const secret = await createRoom(app, owner, { isPrivate: true });
      const socket = await connect(user);

      expect(
        await emitAck(socket, 'chat_message', { room_id: open.id, content: 'let me in' }),
      ).toEqual({ ok: false, error: { code: 'not_a_member', message: expect.any(String) } });
      expect(
        await emitAck(socket, 'chat_message', { room_id: secret.id, content: 'let me in' }),
      ).toEqual({ ok: false, error: { code: 'room_not_found', message: expect.any(String) } });
    });

    it('a repeated client_msg_id acks the same message and is delivered once', async () => {
      const { owner, member, room } = await roomWithTwoMembers(app);
      const [ownerSocket, memberSocket] = await Promise.all([connect(owner), connect(member)]);
      const content = uniqueName('once');
      const clientMsgId = uniqueName('cid');
      const frame = { room_id: room.id, content, client_msg_id: clientMsgId };

      const received: unknown[] = [];
      memberSocket.on('chat_message', (m: { content: string }) => {
        if (m.content === content) received.push(m);
      });
      const first = await emitAck(ownerSocket, 'chat_message', frame);
      const second = await emitAck(ownerSocket, 'chat_message', frame);
      expect(first).toMatchObject({ ok: true, message: { client_msg_id: clientMsgId } });
      expect(second).toEqual(first);

      const marker = uniqueName('marker');
      const markerArrived = nextEvent(memberSocket, 'chat_message', (m) => m.content === marker);
      await emitAck(ownerSocket, 'chat_message', { room_id: room.id, content: marker });
      await markerArrived;
      expect(received).toEqual([first.message]);

      const history = await app
        .http()
        .get(`/api/rooms/${room.id}/messages`)
        .set('Authorization', owner.auth)
        .expect(200);
      expect(history.body.filter((m: { content: string }) => m.content === content)).toEqual([
        first.message,
      ]);
    });
  });

  describe('typing', () => {
    it('acks {ok: true} and reaches the others in the room but not the sender', async () => {
      const { owner, member, room } = await roomWithTwoMembers(app);
      const [ownerSocket, memberSocket] = await Promise.all([connect(owner), connect(member)]);

      const toOther = nextEvent(memberSocket, 'typing', (t) => t.user_id === owner.id);
      await expect(
        expectNoEvent(ownerSocket, 'typing', (t) => t.user_id === owner.id, {
          send: async () => {
            expect(
              await emitAck(ownerSocket, 'typing', { room_id: room.id, is_typing: true }),
            ).toEqual({ ok: true });
            await typingPing(memberSocket, room.id)();
          },
          event: 'typing',
          predicate: (t) => t.user_id === member.id,
        }),
      ).resolves.toBe(true);
      expect(await toOther).toEqual({
        room_id: room.id,
        user_id: owner.id,
        username: owner.username,
        is_typing: true,
      });

      const stopped = nextEvent(memberSocket, 'typing', (t) => t.is_typing === false);
      expect(await emitAck(ownerSocket, 'typing', { room_id: room.id, is_typing: false })).toEqual({
        ok: true,
      });
      expect(await stopped).toEqual({
        room_id: room.id,
        user_id: owner.id,
        username: owner.username,
        is_typing: false,
      });
    });

    it('answers not_a_member when typing into a public room the user is not in', async () => {
      const [owner, user] = await Promise.all([registerUser(app), registerUser(app)]);
      const room = await createRoom(app, owner);
      const socket = await connect(user);
      expect(await emitAck(socket, 'typing', { room_id: room.id, is_typing: true })).toEqual(
        errorAck('not_a_member'),
      );
    });
  });

  describe('sync', () => {
    it('answers {ok, messages}: those after after_id, oldest first, at most limit', async () => {
      const { owner, member, room } = await roomWithTwoMembers(app);
      const before = await sendMessage(app, owner, room.id, uniqueName('seen'));
      const missed = [];
      for (let i = 0; i < 4; i++)
        missed.push(await sendMessage(app, owner, room.id, `missed ${i}`));
      const socket = await connect(member);

      const ack = await emitAck(socket, 'sync', { room_id: room.id, after_id: before.id });
      expect(ack).toEqual({
        ok: true,
        messages: missed.map((m) =>
          messageShape({ roomId: room.id, user: owner, content: m.content, id: m.id }),
        ),
      });
      const page = await emitAck(socket, 'sync', {
        room_id: room.id,
        after_id: before.id,
        limit: 2,
      });
      expect(page.messages.map((m: { id: number }) => m.id)).toEqual(
        missed.slice(0, 2).map((m) => m.id),
      );
      const none = await emitAck(socket, 'sync', { room_id: room.id, after_id: missed[3].id });
      expect(none).toEqual({ ok: true, messages: [] });
    });

    it('answers room_not_found for a private room the user is not in', async () => {
      const [owner, user] = await Promise.all([registerUser(app), registerUser(app)]);
      const secret = await createRoom(app, owner, { isPrivate: true });
      const socket = await connect(user);
      expect(await emitAck(socket, 'sync', { room_id: secret.id, after_id: 0 })).toEqual(
        errorAck('room_not_found'),
      );
    });
  });

  describe('user_joined / user_left', () => {
    it('are broadcast when membership changes through join_room and leave_room', async () => {
      const [owner, user] = await Promise.all([registerUser(app), registerUser(app)]);
      const room = await createRoom(app, owner);
      const [ownerSocket, userSocket] = await Promise.all([connect(owner), connect(user)]);

      const joined = nextEvent(ownerSocket, 'user_joined', (e) => e.user_id === user.id);
      await emitAck(userSocket, 'join_room', { room_id: room.id });
      expect(await joined).toEqual(memberEvent(room.id, user));

      const left = nextEvent(ownerSocket, 'user_left', (e) => e.user_id === user.id);
      await emitAck(userSocket, 'leave_room', { room_id: room.id });
      expect(await left).toEqual(memberEvent(room.id, user));
    });

    it('are broadcast when membership changes through REST join and leave', async () => {
      const [owner, user] = await Promise.all([registerUser(app), registerUser(app)]);
      const room = await createRoom(app, owner);
      const other = await createRoom(app, owner);
      await joinRoom(app, user, other.id);
      const [ownerSocket, userSocket] = await Promise.all([connect(owner), connect(user)]);

      const joined = nextEvent(ownerSocket, 'user_joined', (e) => e.user_id === user.id);
      await joinRoom(app, user, room.id);
      expect(await joined).toEqual(memberEvent(room.id, user));

      // The user's live socket follows the REST join.
      const content = uniqueName('live');
      const arrived = nextEvent(userSocket, 'chat_message', (m) => m.content === content);
      await sendMessage(app, owner, room.id, content);
      await arrived;

      const left = nextEvent(ownerSocket, 'user_left', (e) => e.user_id === user.id);
      await app
        .http()
        .post(`/api/rooms/${room.id}/leave`)
        .set('Authorization', user.auth)
        .expect(204);
      expect(await left).toEqual(memberEvent(room.id, user));

      // ...and the REST leave.
      const marker = uniqueName('marker');
      await expect(
        expectNoEvent(userSocket, 'chat_message', (m) => m.room_id === room.id, {
          send: async () => {
            await sendMessage(app, owner, room.id, uniqueName('after-leave'));
            await sendMessage(app, owner, other.id, marker);
          },
          event: 'chat_message',
          predicate: (m) => m.content === marker,
        }),
      ).resolves.toBe(true);
    });

    it('are broadcast when the owner adds a member to a private room', async () => {
      const [owner, user] = await Promise.all([registerUser(app), registerUser(app)]);
      const secret = await createRoom(app, owner, { isPrivate: true });
      const ownerSocket = await connect(owner);
      const joined = nextEvent(ownerSocket, 'user_joined', (e) => e.user_id === user.id);
      await app
        .http()
        .post(`/api/rooms/${secret.id}/members`)
        .set('Authorization', owner.auth)
        .send({ username: user.username })
        .expect(201);
      expect(await joined).toEqual(memberEvent(secret.id, user));
    });
  });

  describe('presence', () => {
    it('announces a user online at the first socket and offline when the last one leaves', async () => {
      const { owner: a, member: b, room } = await roomWithTwoMembers(app);
      const aSocket = await connect(a);
      const ofB = (p: { user_id: number }) => p.user_id === b.id;
      const typingOfB = (t: { user_id: number }) => t.user_id === b.id;

      const online = nextEvent(aSocket, 'presence', ofB);
      const b1 = await connect(b);
      expect(await online).toEqual({ user_id: b.id, username: b.username, online: true });

      let b2: Socket | undefined;
      await expect(
        expectNoEvent(aSocket, 'presence', ofB, {
          send: async () => {
            b2 = await connect(b);
            await typingPing(b2, room.id)();
          },
          event: 'typing',
          predicate: typingOfB,
        }),
      ).resolves.toBe(true);

      await expect(
        expectNoEvent(aSocket, 'presence', ofB, {
          send: async () => {
            b2!.disconnect();
            // A round trip on the other socket first, so the server has seen the disconnect.
            await emitAck(b1, 'sync', { room_id: room.id, after_id: 0, limit: 1 });
            await typingPing(b1, room.id, false)();
          },
          event: 'typing',
          predicate: typingOfB,
        }),
      ).resolves.toBe(true);

      const offline = nextEvent(aSocket, 'presence', ofB);
      b1.disconnect();
      expect(await offline).toEqual({ user_id: b.id, username: b.username, online: false });
    });

    it('shows in GET /api/users/me as online while a socket is connected', async () => {
      const user = await registerUser(app);
      await connect(user);
      const me = await app.http().get('/api/users/me').set('Authorization', user.auth).expect(200);
      expect(me.body).toMatchObject({ id: user.id, online: true });
    });
  });

  describe('bad payloads', () => {
    const long = 'x'.repeat(4001);
    const cases: [string, string, (roomId: number) => unknown][] = [
      ['chat_message with no fields', 'chat_message', () => ({})],
      ['chat_message without content', 'chat_message', (room_id) => ({ room_id })],
      ['chat_message without room_id', 'chat_message', () => ({ content: 'hi' })],
      [
        'chat_message with a string room_id',
        'chat_message',
        (id) => ({ room_id: `${id}`, content: 'hi' }),
      ],
      [
        'chat_message with a fractional room_id',
        'chat_message',
        (id) => ({ room_id: id + 0.5, content: 'hi' }),
      ],
      ['chat_message with room_id 0', 'chat_message', () => ({ room_id: 0, content: 'hi' })],
      [
        'chat_message with a number content',
        'chat_message',
        (room_id) => ({ room_id, content: 42 }),
      ],
      ['chat_message with empty content', 'chat_message', (room_id) => ({ room_id, content: '' })],
      [
        'chat_message with whitespace-only content',
        'chat_message',
        (room_id) => ({ room_id, content: ' \n\t ' }),
      ],
      [
        'chat_message with 4001-char content',
        'chat_message',
        (room_id) => ({ room_id, content: long }),
      ],
      [
        'chat_message with a number client_msg_id',
        'chat_message',
        (room_id) => ({ room_id, content: 'hi', client_msg_id: 7 }),
      ],
      [
        'chat_message with an unknown field',
        'chat_message',
        (room_id) => ({ room_id, content: 'hi', color: 'red' }),
      ],
      ['chat_message payload that is a string', 'chat_message', () => 'hello'],
      ['chat_message payload that is a number', 'chat_message', () => 42],
      ['chat_message payload that is null', 'chat_message', () => null],
      [
        'chat_message payload that is an array',
        'chat_message',
        (room_id) => [{ room_id, content: 'hi' }],
      ],
      ['join_room without room_id', 'join_room', () => ({})],
      ['join_room with a string room_id', 'join_room', () => ({ room_id: 'general' })],
      ['join_room payload that is null', 'join_room', () => null],
      ['leave_room with a negative room_id', 'leave_room', () => ({ room_id: -1 })],
      ['leave_room payload that is a string', 'leave_room', () => 'room'],
      ['typing without is_typing', 'typing', (room_id) => ({ room_id })],
      ['typing with a string is_typing', 'typing', (room_id) => ({ room_id, is_typing: 'yes' })],
      ['typing payload that is an array', 'typing', () => []],
      ['sync without after_id', 'sync', (room_id) => ({ room_id })],
      ['sync with a negative after_id', 'sync', (room_id) => ({ room_id, after_id: -1 })],
      ['sync with limit 0', 'sync', (room_id) => ({ room_id, after_id: 0, limit: 0 })],
      ['sync with limit 201', 'sync', (room_id) => ({ room_id, after_id: 0, limit: 201 })],
      ['sync payload that is a number', 'sync', () => 5],
    ];

    let badClients: RealtimeClients;
    let owner: RegisteredUser;
    let member: RegisteredUser;
    let roomId: number;
    let ownerSocket: Socket;
    let memberSocket: Socket;

    beforeAll(async () => {
      badClients = new RealtimeClients();
      const setup = await roomWithTwoMembers(app);
      ({ owner, member } = setup);
      roomId = setup.room.id;
      ownerSocket = await badClients.socket(app.url, owner.token);
      memberSocket = await badClients.socket(app.url, member.token);
    });
    afterAll(() => badClients.closeAll());

    it.each(cases)(
      '%s: error ack validation_failed, then the socket keeps working',
      async (_, event, payload) => {
        const ack = await emitAck(ownerSocket, event, payload(roomId));
        expect(ack).toEqual({
          ok: false,
          error: {
            code: 'validation_failed',
            message: expect.any(String),
            details: expect.any(Array),
          },
        });
        expect(ack.error.details.length).toBeGreaterThan(0);
        for (const detail of ack.error.details) {
          expect(detail).toEqual({ field: expect.any(String), message: expect.any(String) });
        }

        const content = uniqueName('still-works');
        const arrived = nextEvent(memberSocket, 'chat_message', (m) => m.content === content);
        expect(
          await emitAck(ownerSocket, 'chat_message', { room_id: roomId, content }),
        ).toMatchObject({
          ok: true,
          message: { content },
        });
        await arrived;
        expect(ownerSocket.connected).toBe(true);
      },
    );

    it.each(['chat_message', 'typing', 'join_room'])(
      '%s with an ack but no payload at all: error ack validation_failed',
      async (event) => {
        const ack: Received = await ownerSocket.timeout(EVENT_TIMEOUT_MS).emitWithAck(event);
        expect(ack).toEqual(errorAck('validation_failed'));
        expect(ack.error.details).toEqual([{ field: 'body', message: expect.any(String) }]);
      },
    );

    it('an event without an ack callback that fails gets an error event {code, message}', async () => {
      const invalid = nextEvent(ownerSocket, 'error');
      ownerSocket.emit('chat_message', { room_id: roomId, content: '   ' });
      expect(await invalid).toEqual({
        code: 'validation_failed',
        message: expect.any(String),
        details: expect.any(Array),
      });

      const outsider = await createRoom(app, member);
      const refused = nextEvent(ownerSocket, 'error');
      ownerSocket.emit('chat_message', { room_id: outsider.id, content: 'hello?' });
      expect(await refused).toEqual({ code: 'not_a_member', message: expect.any(String) });

      // A good event without an ack is simply delivered.
      const content = uniqueName('no-ack');
      const arrived = nextEvent(memberSocket, 'chat_message', (m) => m.content === content);
      ownerSocket.emit('chat_message', { room_id: roomId, content });
      expect(await arrived).toMatchObject({ content, user_id: owner.id });
    });
  });
});
