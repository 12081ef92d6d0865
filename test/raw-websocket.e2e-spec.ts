import type { WebSocket } from 'ws';
import { RoomsRepository } from '../src/rooms/rooms.repository';
import { createRoom, joinRoom, sendMessage } from './factories/rooms.factory';
import { registerUser, RegisteredUser, uniqueName } from './factories/users.factory';
import {
  emitAck,
  expectNoFrame,
  Frame,
  nextEvent,
  nextFrame,
  RealtimeClients,
  rawRequest,
  rawStillWorks,
  signJwt,
} from './support/realtime-clients';
import {
  memberEvent,
  memberIds,
  messageShape,
  roomShape,
  roomWithTwoMembers,
} from './support/realtime-fixtures';
import { StoreGate } from './support/store-gate';
import { startApp, STORES, TEST_JWT_SECRET, TestApp } from './support/test-app';
import { connect as tcpConnect } from 'node:net';

const nowSeconds = () => Math.floor(Date.now() / 1000);

describe.each(STORES)('raw WebSocket /api/ws (%s store)', (store) => {
  let app: TestApp;
  const clients = new RealtimeClients();

  beforeAll(async () => {
    app = await startApp(store);
  });
  afterEach(() => clients.closeAll());
  afterAll(() => app.close());

  const openRaw = (user: RegisteredUser) => clients.raw(app.url, user.token);
  const connect = (user: RegisteredUser) => clients.socket(app.url, user.token);
  const send = (ws: WebSocket, frame: unknown) => ws.send(JSON.stringify(frame));
  const isError = (f: Frame) => f.type === 'error';

  async function generalRoomId(): Promise<number> {
    const rooms = await app.http().get('/api/rooms').expect(200);
    return (rooms.body as { id: number; name: string }[]).find((r) => r.name === 'general')!.id;
  }

  describe('handshake', () => {
    it('opens with a valid token', async () => {
      const user = await registerUser(app);
      const ws = await openRaw(user);
      expect(await rawStillWorks(ws, await generalRoomId())).toBe(true);
    });

    it('opens with the token in an Authorization header, as HTTP reads it', async () => {
      const user = await registerUser(app);
      const ws = await clients.raw(app.url, undefined, { headers: { authorization: user.auth } });
      expect(await rawStillWorks(ws, await generalRoomId())).toBe(true);
      const status = await clients.refusedRaw(app.url, undefined, {
        headers: { authorization: `Basic ${user.token}` },
      });
      expect(status).toBe(401);
    });

    it('is in the user’s rooms by the time the client sees it open, however slow the store', async () => {
      const { owner, member, room } = await roomWithTwoMembers(app);
      const gate = StoreGate.close(app, RoomsRepository);
      let open = false;
      const opening = openRaw(member).then((ws) => {
        open = true;
        return ws;
      });
      try {
        // The upgrade reads the member's rooms from the store, which does not answer yet...
        await gate.holding(member.id);
        // ...and the server, which has answered a later request meanwhile, has not opened it.
        await app.http().get('/health').expect(200);
        expect(open).toBe(false);
      } finally {
        gate.release();
      }
      const ws = await opening;
      const content = uniqueName('right-after-open');
      const arrived = nextFrame(ws, (f) => f.content === content);
      await sendMessage(app, owner, room.id, content);
      expect(await arrived).toEqual(messageShape({ roomId: room.id, user: owner, content }));
    });

    it('answers HTTP 401 before the upgrade without a token', async () => {
      expect(await clients.refusedRaw(app.url, undefined)).toBe(401);
    });

    it('answers HTTP 401 before the upgrade with an empty or forged token', async () => {
      const user = await registerUser(app);
      const forged = signJwt(
        { sub: user.id, username: user.username, iat: nowSeconds(), exp: nowSeconds() + 3600 },
        'some-other-secret',
      );
      expect(await clients.refusedRaw(app.url, '')).toBe(401);
      expect(await clients.refusedRaw(app.url, 'not-a-token')).toBe(401);
      expect(await clients.refusedRaw(app.url, forged)).toBe(401);
    });

    it('answers HTTP 401 before the upgrade with an expired token', async () => {
      const user = await registerUser(app);
      const expired = signJwt(
        { sub: user.id, username: user.username, iat: nowSeconds() - 7200, exp: nowSeconds() - 60 },
        TEST_JWT_SECRET,
      );
      expect(await clients.refusedRaw(app.url, expired)).toBe(401);
    });
  });

  describe('other upgrade requests', () => {
    it('refuses an upgrade to any other path with 404 instead of leaving it open', async () => {
      const response = await upgradeRequest(app.url, '/no-such-endpoint');
      expect(response).toMatch(/^HTTP\/1\.1 404/);
    });

    it('survives an upgrade request with a malformed URL', async () => {
      await upgradeRequest(app.url, 'http://[/x');
      await app.http().get('/health').expect(200);
    });
  });

  describe('seed compatibility', () => {
    it("delivers the seed's frame to Socket.IO clients once the sender has joined", async () => {
      const [rawUser, ioUser] = await Promise.all([registerUser(app), registerUser(app)]);
      // Not general: new accounts are members of it already.
      const roomId = (await createRoom(app, ioUser)).id;
      const socket = await connect(ioUser);
      const ws = await openRaw(rawUser);

      // The seed's own join: no request_id, so no ack; the membership shows as user_joined.
      const joined = nextEvent(socket, 'user_joined', (e) => e.user_id === rawUser.id);
      ws.send(`{"type":"join_room","room_id":${roomId}}`);
      expect(await joined).toEqual(memberEvent(roomId, rawUser));

      const toSocket = nextEvent(
        socket,
        'chat_message',
        (m) => m.user_id === rawUser.id && m.content === 'Hello',
      );
      const toSender = nextFrame(
        ws,
        (f) => f.type === 'chat_message' && f.user_id === rawUser.id && f.content === 'Hello',
      );
      ws.send(`{"type":"chat_message","content":"Hello","room_id":${roomId}}`);
      const expected = messageShape({ roomId, user: rawUser, content: 'Hello' });
      expect(await toSocket).toEqual(expected);
      expect(await toSender).toEqual(expected);
    });

    it('delivers a Socket.IO message to raw clients as {"type":"chat_message",...}', async () => {
      const { owner, member, room } = await roomWithTwoMembers(app);
      const socket = await connect(owner);
      const ws = await openRaw(member);
      const content = uniqueName('from-io');
      const clientMsgId = uniqueName('cid');

      const arrived = nextFrame(ws, (f) => f.type === 'chat_message' && f.content === content);
      const ack = await emitAck(socket, 'chat_message', {
        room_id: room.id,
        content,
        client_msg_id: clientMsgId,
      });
      const frame = await arrived;
      expect(frame).toEqual(messageShape({ roomId: room.id, user: owner, content, clientMsgId }));
      expect(frame).toEqual(ack.message);
    });

    it('delivers a REST message live to Socket.IO and raw clients alike', async () => {
      const { owner, member, room } = await roomWithTwoMembers(app);
      const socket = await connect(member);
      const ws = await openRaw(member);
      const content = uniqueName('rest');

      const toSocket = nextEvent(socket, 'chat_message', (m) => m.content === content);
      const toRaw = nextFrame(ws, (f) => f.type === 'chat_message' && f.content === content);
      const sent = await sendMessage(app, owner, room.id, content);
      const expected = messageShape({ roomId: room.id, user: owner, content, id: sent.id });
      expect(await toSocket).toEqual(expected);
      expect(await toRaw).toEqual(expected);
    });

    it('subscribes the connection on open to every room the user is a member of', async () => {
      const { owner, member, room } = await roomWithTwoMembers(app);
      const secret = await createRoom(app, member, { isPrivate: true });
      const ws = await openRaw(member);

      for (const [roomId, sender] of [
        [room.id, owner],
        [secret.id, member],
      ] as const) {
        const content = uniqueName('sub');
        const arrived = nextFrame(ws, (f) => f.type === 'chat_message' && f.content === content);
        await sendMessage(app, sender, roomId, content);
        expect(await arrived).toEqual(messageShape({ roomId, user: sender, content }));
      }
    });
  });

  describe('frames with request_id', () => {
    it('answers chat_message with {type: "ack", request_id, ok: true, message}', async () => {
      const { owner, member, room } = await roomWithTwoMembers(app);
      const ws = await openRaw(owner);
      const socket = await connect(member);
      const content = uniqueName('acked');

      const toSocket = nextEvent(socket, 'chat_message', (m) => m.content === content);
      const ack = await rawRequest(ws, { type: 'chat_message', room_id: room.id, content });
      expect(ack).toEqual({
        type: 'ack',
        request_id: expect.any(String),
        ok: true,
        message: messageShape({ roomId: room.id, user: owner, content }),
      });
      expect(await toSocket).toEqual(ack.message);
    });

    it('echoes a numeric request_id too', async () => {
      const user = await registerUser(app);
      const ws = await openRaw(user);
      const general = await generalRoomId();
      const answer = nextFrame(ws, (f) => f.type === 'ack' && f.request_id === 42);
      send(ws, { type: 'sync', room_id: general, after_id: 0, limit: 1, request_id: 42 });
      expect(await answer).toMatchObject({ type: 'ack', request_id: 42, ok: true });
    });

    it('answers join_room with {ok, room} and leave_room with {ok}; membership follows', async () => {
      const [owner, user] = await Promise.all([registerUser(app), registerUser(app)]);
      const room = await createRoom(app, owner);
      const ws = await openRaw(user);

      const joined = await rawRequest(ws, { type: 'join_room', room_id: room.id });
      expect(joined).toEqual({
        type: 'ack',
        request_id: expect.any(String),
        ok: true,
        room: roomShape({ room, owner, memberCount: 2 }),
      });
      expect(await memberIds(app, owner, room.id)).toEqual(
        expect.arrayContaining([owner.id, user.id]),
      );

      const content = uniqueName('live');
      const arrived = nextFrame(ws, (f) => f.type === 'chat_message' && f.content === content);
      await sendMessage(app, owner, room.id, content);
      await arrived;

      const left = await rawRequest(ws, { type: 'leave_room', room_id: room.id });
      expect(left).toEqual({ type: 'ack', request_id: expect.any(String), ok: true });
      expect(await memberIds(app, owner, room.id)).toEqual([owner.id]);
    });

    it('answers a sync frame with the missed messages, oldest first', async () => {
      const { owner, member, room } = await roomWithTwoMembers(app);
      const first = await sendMessage(app, owner, room.id, uniqueName('seen'));
      const second = await sendMessage(app, owner, room.id, uniqueName('missed'));
      const third = await sendMessage(app, owner, room.id, uniqueName('missed'));
      const ws = await openRaw(member);

      const ack = await rawRequest(ws, { type: 'sync', room_id: room.id, after_id: first.id });
      expect(ack).toMatchObject({ type: 'ack', ok: true });
      expect(ack.messages.map((m: { id: number }) => m.id)).toEqual([second.id, third.id]);
    });

    it('answers a refused command with an ack {ok: false, error} carrying the request_id', async () => {
      const [owner, user] = await Promise.all([registerUser(app), registerUser(app)]);
      const room = await createRoom(app, owner);
      const secret = await createRoom(app, owner, { isPrivate: true });
      const ws = await openRaw(user);
      const refused = (code: string, extra: Record<string, unknown> = {}) => ({
        type: 'ack',
        request_id: expect.any(String),
        ok: false,
        error: { code, message: expect.any(String), ...extra },
      });

      expect(
        await rawRequest(ws, { type: 'chat_message', room_id: room.id, content: 'hi' }),
      ).toEqual(refused('not_a_member'));
      expect(await rawRequest(ws, { type: 'join_room', room_id: secret.id })).toEqual(
        refused('room_not_found'),
      );
      expect(
        await rawRequest(ws, { type: 'chat_message', room_id: room.id, content: '  ' }),
      ).toEqual(refused('validation_failed', { details: expect.any(Array) }));
    });
  });

  describe('membership and typing frames', () => {
    it('join_room, typing and leave_room frames reach Socket.IO clients in the room', async () => {
      const [owner, rawUser] = await Promise.all([registerUser(app), registerUser(app)]);
      const room = await createRoom(app, owner);
      const socket = await connect(owner);
      const ws = await openRaw(rawUser);

      const joined = nextEvent(socket, 'user_joined', (e) => e.user_id === rawUser.id);
      send(ws, { type: 'join_room', room_id: room.id });
      expect(await joined).toEqual(memberEvent(room.id, rawUser));

      const typing = nextEvent(socket, 'typing', (t) => t.user_id === rawUser.id);
      send(ws, { type: 'typing', room_id: room.id, is_typing: true });
      expect(await typing).toEqual({ ...memberEvent(room.id, rawUser), is_typing: true });

      const left = nextEvent(socket, 'user_left', (e) => e.user_id === rawUser.id);
      send(ws, { type: 'leave_room', room_id: room.id });
      expect(await left).toEqual(memberEvent(room.id, rawUser));
    });

    it("typing reaches other raw clients but not the sender's own connection", async () => {
      const { owner, member, room } = await roomWithTwoMembers(app);
      const [ownerWs, memberWs] = await Promise.all([openRaw(owner), openRaw(member)]);

      const toOther = nextFrame(memberWs, (f) => f.type === 'typing' && f.user_id === owner.id);
      await expect(
        expectNoFrame(ownerWs, (f) => f.type === 'typing' && f.user_id === owner.id, {
          send: async () => {
            const ack = await rawRequest(ownerWs, {
              type: 'typing',
              room_id: room.id,
              is_typing: true,
            });
            expect(ack).toEqual({ type: 'ack', request_id: expect.any(String), ok: true });
            await rawRequest(memberWs, { type: 'typing', room_id: room.id, is_typing: true });
          },
          predicate: (f) => f.type === 'typing' && f.user_id === member.id,
        }),
      ).resolves.toBe(true);
      expect(await toOther).toEqual({
        type: 'typing',
        ...memberEvent(room.id, owner),
        is_typing: true,
      });
    });

    it('Socket.IO membership changes and presence reach raw clients as frames', async () => {
      const [owner, user] = await Promise.all([registerUser(app), registerUser(app)]);
      const room = await createRoom(app, owner);
      await joinRoom(app, user, room.id);
      const ws = await openRaw(owner);

      const online = nextFrame(ws, (f) => f.type === 'presence' && f.user_id === user.id);
      const socket = await connect(user);
      expect(await online).toEqual({
        type: 'presence',
        user_id: user.id,
        username: user.username,
        online: true,
      });

      const left = nextFrame(ws, (f) => f.type === 'user_left' && f.user_id === user.id);
      await emitAck(socket, 'leave_room', { room_id: room.id });
      expect(await left).toEqual({ type: 'user_left', ...memberEvent(room.id, user) });

      const joined = nextFrame(ws, (f) => f.type === 'user_joined' && f.user_id === user.id);
      await emitAck(socket, 'join_room', { room_id: room.id });
      expect(await joined).toEqual({ type: 'user_joined', ...memberEvent(room.id, user) });
    });

    it('a raw connection counts for presence like a socket', async () => {
      const { owner, member } = await roomWithTwoMembers(app);
      const socket = await connect(owner);

      const online = nextEvent(socket, 'presence', (p) => p.user_id === member.id);
      const ws = await openRaw(member);
      expect(await online).toEqual({ user_id: member.id, username: member.username, online: true });

      const offline = nextEvent(socket, 'presence', (p) => p.user_id === member.id);
      ws.close();
      expect(await offline).toEqual({
        user_id: member.id,
        username: member.username,
        online: false,
      });
    });
  });

  describe('bad frames', () => {
    let badClients: RealtimeClients;
    let ws: WebSocket;
    let roomId: number;
    let owner: RegisteredUser;

    beforeAll(async () => {
      badClients = new RealtimeClients();
      const setup = await roomWithTwoMembers(app);
      owner = setup.owner;
      roomId = setup.room.id;
      ws = await badClients.raw(app.url, owner.token);
    });
    afterAll(() => badClients.closeAll());

    const cases: [string, () => string][] = [
      ['bad JSON', () => '{"type":"chat_message",'],
      ['plain text', () => 'Hello, world!'],
      ['a JSON string', () => '"chat_message"'],
      ['a JSON number', () => '42'],
      ['JSON null', () => 'null'],
      ['a JSON array', () => `[{"type":"chat_message","content":"hi","room_id":${roomId}}]`],
      ['an unknown type', () => `{"type":"shout","content":"hi","room_id":${roomId}}`],
      ['no type', () => `{"content":"hi","room_id":${roomId}}`],
      ['a chat_message without content', () => `{"type":"chat_message","room_id":${roomId}}`],
      [
        'a chat_message with whitespace-only content',
        () => `{"type":"chat_message","content":"   ","room_id":${roomId}}`,
      ],
      [
        'a chat_message with 4001-char content',
        () => JSON.stringify({ type: 'chat_message', content: 'x'.repeat(4001), room_id: roomId }),
      ],
      [
        'a chat_message with a string room_id',
        () => '{"type":"chat_message","content":"hi","room_id":"1"}',
      ],
      ['a typing frame without is_typing', () => `{"type":"typing","room_id":${roomId}}`],
      ['a join_room frame without room_id', () => '{"type":"join_room"}'],
    ];

    it.each(cases)(
      '%s: error frame validation_failed, and the connection stays open',
      async (_, frame) => {
        const answer = nextFrame(ws, isError);
        ws.send(frame());
        expect(await answer).toEqual({
          type: 'error',
          code: 'validation_failed',
          message: expect.any(String),
          details: expect.any(Array),
        });

        const content = uniqueName('still-open');
        const ack = await rawRequest(ws, { type: 'chat_message', room_id: roomId, content });
        expect(ack).toMatchObject({ type: 'ack', ok: true, message: { content } });
      },
    );

    it('a binary frame: error frame, and the connection stays open', async () => {
      const answer = nextFrame(ws, isError);
      ws.send(Buffer.from(JSON.stringify({ type: 'typing', room_id: roomId, is_typing: true })));
      expect(await answer).toMatchObject({ type: 'error', code: 'validation_failed' });
      expect(await rawStillWorks(ws, roomId)).toBe(true);
    });

    it('a refused command without request_id: error frame {type, code, message}', async () => {
      const outsider = await createRoom(app, await registerUser(app));
      const answer = nextFrame(ws, isError);
      send(ws, { type: 'chat_message', room_id: outsider.id, content: 'hi' });
      expect(await answer).toEqual({
        type: 'error',
        code: 'not_a_member',
        message: expect.any(String),
      });
      expect(await rawStillWorks(ws, roomId)).toBe(true);
    });
  });
});

/** Sends a WebSocket upgrade request for `target` over plain TCP; resolves with what came back. */
function upgradeRequest(url: string, target: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = tcpConnect(Number(port), hostname);
    let answer = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer to the upgrade of ${target} within 5 s (got "${answer}")`));
    }, 5_000);
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(answer);
    });
    socket.write(
      `GET ${target} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\n` +
        'Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n' +
        'Sec-WebSocket-Version: 13\r\n\r\n',
    );
  });
}
