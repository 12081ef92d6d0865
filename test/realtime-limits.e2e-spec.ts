import { sendMessage } from './factories/rooms.factory';
import { registerUser, RegisteredUser, uniqueName } from './factories/users.factory';
import { expectError } from './support/http-expectations';
import {
  emitAck,
  nextClose,
  nextEvent,
  nextFrame,
  RealtimeClients,
  rawRequest,
  rawStillWorks,
  transportErrorReason,
} from './support/realtime-clients';
import { roomWithTwoMembers } from './support/realtime-fixtures';
import { startApp, STORES, TestApp } from './support/test-app';

const ALLOWED = 'http://allowed.example';
const EVIL = 'http://evil.example';

describe.each(STORES)('real-time limits (%s store)', (store) => {
  const clients = new RealtimeClients();
  afterEach(() => clients.closeAll());

  describe('Origin (CORS_ORIGINS set)', () => {
    let app: TestApp;
    let user: RegisteredUser;

    beforeAll(async () => {
      app = await startApp(store, { CORS_ORIGINS: ALLOWED });
      user = await registerUser(app);
    });
    afterAll(() => app.close());

    // engine.io refuses it before Socket.IO reads the token: the WebSocket upgrade with HTTP 400
    // (as it answers every refused upgrade), the polling request with 403 Forbidden.
    it.each([
      ['websocket', 'websocket error', 'Unexpected server response: 400'],
      ['polling', 'xhr poll error', 403],
    ])(
      'refuses a Socket.IO handshake from another origin (%s transport)',
      async (transport, message, reason) => {
        const error = await clients.refusedSocket(app.url, user.token, {
          transports: [transport],
          extraHeaders: { origin: EVIL },
        });
        expect({ message: error.message, reason: transportErrorReason(error) }).toEqual({
          message,
          reason,
        });
      },
    );

    it('accepts a Socket.IO handshake from the allowed origin', async () => {
      const socket = await clients.socket(app.url, user.token, {
        extraHeaders: { origin: ALLOWED },
      });
      expect(socket.connected).toBe(true);
    });

    it('accepts a Socket.IO handshake without an Origin header', async () => {
      const socket = await clients.socket(app.url, user.token);
      expect(socket.connected).toBe(true);
    });

    it('refuses a raw WebSocket from another origin with HTTP 403', async () => {
      expect(await clients.refusedRaw(app.url, user.token, { origin: EVIL })).toBe(403);
    });

    it('accepts a raw WebSocket from the allowed origin and one without Origin', async () => {
      await clients.raw(app.url, user.token, { origin: ALLOWED });
      await clients.raw(app.url, user.token);
    });
  });

  describe('message rate limit (3 per 60 s)', () => {
    let app: TestApp;

    beforeAll(async () => {
      app = await startApp(store, { RATE_LIMIT_MESSAGES: '3', RATE_LIMIT_WINDOW_S: '60' });
    });
    afterAll(() => app.close());

    it('acks the 4th Socket.IO message with rate_limited and retry_after_ms', async () => {
      const { owner, member, room } = await roomWithTwoMembers(app);
      const socket = await clients.socket(app.url, owner.token);
      const memberSocket = await clients.socket(app.url, member.token);
      for (let i = 0; i < 3; i++) {
        expect(
          await emitAck(socket, 'chat_message', { room_id: room.id, content: `ok ${i}` }),
        ).toMatchObject({ ok: true });
      }
      const limited = await emitAck(socket, 'chat_message', { room_id: room.id, content: 'four' });
      expect(limited).toEqual({
        ok: false,
        error: {
          code: 'rate_limited',
          message: expect.any(String),
          retry_after_ms: expect.any(Number),
        },
      });
      expect(limited.error.retry_after_ms).toBeGreaterThan(0);
      expect(limited.error.retry_after_ms).toBeLessThanOrEqual(60_000);

      // The refused message was not stored; others may still send.
      const history = await app.http().get(`/api/rooms/${room.id}/messages`).expect(200);
      expect(history.body.map((m: { content: string }) => m.content)).toEqual([
        'ok 0',
        'ok 1',
        'ok 2',
      ]);
      const content = uniqueName('other');
      expect(
        await emitAck(memberSocket, 'chat_message', { room_id: room.id, content }),
      ).toMatchObject({ ok: true });
    });

    it('sends an error event rate_limited for a message emitted without an ack', async () => {
      const { owner, room } = await roomWithTwoMembers(app);
      const socket = await clients.socket(app.url, owner.token);
      for (let i = 0; i < 3; i++) {
        await emitAck(socket, 'chat_message', { room_id: room.id, content: `ok ${i}` });
      }
      const error = nextEvent(socket, 'error');
      socket.emit('chat_message', { room_id: room.id, content: 'four' });
      const event = await error;
      expect(event).toMatchObject({ code: 'rate_limited', message: expect.any(String) });
      expect(event.retry_after_ms).toBeGreaterThan(0);
    });

    it('answers the 4th raw frame with an ack {ok: false} rate_limited', async () => {
      const { owner, room } = await roomWithTwoMembers(app);
      const ws = await clients.raw(app.url, owner.token);
      for (let i = 0; i < 3; i++) {
        expect(
          await rawRequest(ws, { type: 'chat_message', room_id: room.id, content: `ok ${i}` }),
        ).toMatchObject({ type: 'ack', ok: true });
      }
      const limited = await rawRequest(ws, {
        type: 'chat_message',
        room_id: room.id,
        content: 'four',
      });
      expect(limited).toMatchObject({ type: 'ack', ok: false, error: { code: 'rate_limited' } });
      expect(limited.error.retry_after_ms).toBeGreaterThan(0);
    });

    it('applies to REST sends as well: 429 rate_limited', async () => {
      const { owner, room } = await roomWithTwoMembers(app);
      for (let i = 0; i < 3; i++) await sendMessage(app, owner, room.id, `rest ${i}`);
      const limited = await app
        .http()
        .post(`/api/rooms/${room.id}/messages`)
        .set('Authorization', owner.auth)
        .send({ content: 'four' });
      expectError(limited, 429, 'rate_limited');
      expect(limited.body.retry_after_ms).toBeGreaterThan(0);
    });

    it('acks a resend of a stored client_msg_id even at the limit, as the stored message', async () => {
      const { owner, room } = await roomWithTwoMembers(app);
      const socket = await clients.socket(app.url, owner.token);
      const acks = [];
      for (let i = 0; i < 3; i++) {
        acks.push(
          await emitAck(socket, 'chat_message', {
            room_id: room.id,
            content: `ok ${i}`,
            client_msg_id: `cid-${i}`,
          }),
        );
      }
      // The ack of the last one was "lost": the client retries with the same client_msg_id.
      const retry = await emitAck(socket, 'chat_message', {
        room_id: room.id,
        content: 'ok 2',
        client_msg_id: 'cid-2',
      });
      expect(retry).toEqual(acks[2]);
    });

    it('counts REST and Socket.IO sends of one user together', async () => {
      const { owner, room } = await roomWithTwoMembers(app);
      const socket = await clients.socket(app.url, owner.token);
      await sendMessage(app, owner, room.id, 'rest 0');
      await sendMessage(app, owner, room.id, 'rest 1');
      expect(
        await emitAck(socket, 'chat_message', { room_id: room.id, content: 'io 2' }),
      ).toMatchObject({ ok: true });
      expect(
        await emitAck(socket, 'chat_message', { room_id: room.id, content: 'io 3' }),
      ).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    });
  });

  describe('typing throttle', () => {
    let app: TestApp;

    beforeAll(async () => {
      app = await startApp(store);
    });
    afterAll(() => app.close());

    it('acks 30 typing events in a second but passes one start and its stop to the room', async () => {
      const { owner, member, room } = await roomWithTwoMembers(app);
      const [ownerSocket, memberSocket, ownerRaw] = await Promise.all([
        clients.socket(app.url, owner.token),
        clients.socket(app.url, member.token),
        clients.raw(app.url, owner.token),
      ]);
      const seen: { is_typing: boolean }[] = [];
      memberSocket.on('typing', (event: { user_id: number; is_typing: boolean }) => {
        if (event.user_id === owner.id) seen.push({ is_typing: event.is_typing });
      });
      const acks = [];
      for (let i = 0; i < 15; i++) {
        acks.push(await emitAck(ownerSocket, 'typing', { room_id: room.id, is_typing: true }));
        acks.push(
          await rawRequest(ownerRaw, { type: 'typing', room_id: room.id, is_typing: i % 2 === 1 }),
        );
      }
      // Both stops after the first start pass only once: the second finds nothing shown.
      expect(await emitAck(ownerSocket, 'typing', { room_id: room.id, is_typing: false })).toEqual({
        ok: true,
      });
      // A message after them: by the time it arrives, every typing event passed on has too.
      const marker = nextEvent(memberSocket, 'chat_message', (m) => m.content === 'marker');
      await emitAck(ownerSocket, 'chat_message', { room_id: room.id, content: 'marker' });
      await marker;

      expect(acks.filter((ack) => ack.ok !== true)).toEqual([]);
      expect(seen).toEqual([{ is_typing: true }, { is_typing: false }]);
    });
  });

  describe('join and leave limit (RATE_LIMIT_JOINS=5)', () => {
    let app: TestApp;

    beforeAll(async () => {
      app = await startApp(store, { RATE_LIMIT_JOINS: '5' });
    });
    afterAll(() => app.close());

    it('answers the 6th join or leave with rate_limited on every transport; nothing changes', async () => {
      // The member's first join (over REST) is the first of five.
      const { owner, member, room } = await roomWithTwoMembers(app);
      const socket = await clients.socket(app.url, member.token);
      const ws = await clients.raw(app.url, member.token);
      const ownerSocket = await clients.socket(app.url, owner.token);
      const announced: string[] = [];
      ownerSocket.on('user_joined', () => announced.push('joined'));
      ownerSocket.on('user_left', () => announced.push('left'));

      expect(await emitAck(socket, 'leave_room', { room_id: room.id })).toEqual({ ok: true });
      expect(await emitAck(socket, 'join_room', { room_id: room.id })).toMatchObject({ ok: true });
      expect(await rawRequest(ws, { type: 'leave_room', room_id: room.id })).toMatchObject({
        ok: true,
      });
      await app
        .http()
        .post(`/api/rooms/${room.id}/join`)
        .set('Authorization', member.auth)
        .expect(200);

      const limited = await emitAck(socket, 'leave_room', { room_id: room.id });
      expect(limited).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
      expect(limited.error.retry_after_ms).toBeGreaterThan(0);
      expect(limited.error.retry_after_ms).toBeLessThanOrEqual(60_000);
      expect(await rawRequest(ws, { type: 'leave_room', room_id: room.id })).toMatchObject({
        ok: false,
        error: { code: 'rate_limited' },
      });
      const rest = await app
        .http()
        .post(`/api/rooms/${room.id}/leave`)
        .set('Authorization', member.auth);
      expectError(rest, 429, 'rate_limited');

      // Still a member; each announced change came from an allowed call.
      const members = await app.http().get(`/api/rooms/${room.id}/members`).expect(200);
      expect(members.body.map((user: { id: number }) => user.id)).toContain(member.id);
      const marker = nextEvent(ownerSocket, 'typing', (t) => t.user_id === member.id);
      await emitAck(socket, 'typing', { room_id: room.id, is_typing: true });
      await marker;
      expect(announced).toEqual(['left', 'joined', 'left', 'joined']);
      // Another user has a budget of their own.
      expect(await emitAck(ownerSocket, 'leave_room', { room_id: room.id })).toEqual({ ok: true });
    });
  });

  describe('oversized frames (over 64 KiB)', () => {
    let app: TestApp;

    beforeAll(async () => {
      app = await startApp(store);
    });
    afterAll(() => app.close());

    it('closes a Socket.IO connection that sends one; the server stays up', async () => {
      const { owner, member, room } = await roomWithTwoMembers(app);
      const socket = await clients.socket(app.url, owner.token);

      const disconnected = nextEvent<string>(socket, 'disconnect');
      socket.emit('chat_message', { room_id: room.id, content: 'x'.repeat(70 * 1024) });
      expect(await disconnected).toMatch(/transport (close|error)/);

      await app.http().get('/health').expect(200);
      const again = await clients.socket(app.url, owner.token);
      const memberSocket = await clients.socket(app.url, member.token);
      const content = uniqueName('after-big');
      const arrived = nextEvent(memberSocket, 'chat_message', (m) => m.content === content);
      expect(await emitAck(again, 'chat_message', { room_id: room.id, content })).toMatchObject({
        ok: true,
      });
      await arrived;
    });

    it('closes a raw connection that sends one (1009); the server stays up', async () => {
      const { owner, room } = await roomWithTwoMembers(app);
      const ws = await clients.raw(app.url, owner.token);

      const closed = nextClose(ws);
      ws.send(
        JSON.stringify({ type: 'chat_message', room_id: room.id, content: 'x'.repeat(70 * 1024) }),
      );
      expect((await closed).code).toBe(1009);

      await app.http().get('/health').expect(200);
      const again = await clients.raw(app.url, owner.token);
      expect(await rawStillWorks(again, room.id)).toBe(true);
      const content = uniqueName('after-big');
      const echoed = nextFrame(again, (f) => f.type === 'chat_message' && f.content === content);
      await rawRequest(again, { type: 'chat_message', room_id: room.id, content });
      await echoed;
    });

    it('accepts a frame just under the limit and answers it with validation_failed', async () => {
      const { owner, room } = await roomWithTwoMembers(app);
      const socket = await clients.socket(app.url, owner.token);
      const ack = await emitAck(socket, 'chat_message', {
        room_id: room.id,
        content: 'x'.repeat(60 * 1024),
      });
      expect(ack).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
      // Still open: a close right after the ack would not show in `connected` yet, but a request
      // on a closed connection goes unanswered.
      expect(
        await emitAck(socket, 'chat_message', { room_id: room.id, content: 'still connected' }),
      ).toMatchObject({ ok: true });
    });
  });
});
