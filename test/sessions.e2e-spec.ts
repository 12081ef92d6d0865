import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import { createRoom, sendMessage } from './factories/rooms.factory';
import { RegisteredUser, registerUser, signIn } from './factories/users.factory';
import { ISO_UTC, expectError, expectValidationFailed } from './support/http-expectations';
import { nextClose, nextEvent, nextFrame, RealtimeClients } from './support/realtime-clients';
import { startApp, STORES, TEST_JWT_SECRET, TestApp } from './support/test-app';

describe.each(STORES)('sessions (%s store)', (store) => {
  const clients = new RealtimeClients();
  let app: TestApp;

  beforeAll(async () => {
    app = await startApp(store);
  });
  afterEach(() => clients.closeAll());
  afterAll(() => app.close());

  const me = (user: RegisteredUser) =>
    app.http().get('/api/users/me').set('Authorization', user.auth);
  const sessionsOf = (user: RegisteredUser) =>
    app.http().get('/api/users/me/sessions').set('Authorization', user.auth);
  /** The id of the session a token belongs to, as its owner's list marks it. */
  const sessionIdOf = async (user: RegisteredUser): Promise<string> => {
    const listed = (await sessionsOf(user).expect(200)).body as { id: string; current: boolean }[];
    return listed.find((session) => session.current)!.id;
  };

  describe('POST /api/auth/logout', () => {
    it('ends this session: its token is refused at once, the user’s other sessions go on', async () => {
      const user = await registerUser(app);
      const otherTab = await signIn(app, user);
      await me(user).expect(200);

      await app.http().post('/api/auth/logout').set('Authorization', user.auth).expect(204);

      const refused = await me(user);
      expectError(refused, 401, 'unauthorized');
      expect(refused.body.message).toMatch(/session has ended/);
      await me(otherTab).expect(200);
      expectError(
        await app.http().post('/api/auth/logout').set('Authorization', user.auth),
        401,
        'unauthorized',
      );
    });
  });

  describe('POST /api/auth/logout-all', () => {
    it('ends every session of the user, and no one else’s', async () => {
      const user = await registerUser(app);
      const otherTab = await signIn(app, user);
      const someoneElse = await registerUser(app);

      await app.http().post('/api/auth/logout-all').set('Authorization', user.auth).expect(204);

      expectError(await me(user), 401, 'unauthorized');
      expectError(await me(otherTab), 401, 'unauthorized');
      await me(someoneElse).expect(200);
      // Signing in again works as ever.
      await me(await signIn(app, user)).expect(200);
    });
  });

  describe('GET /api/users/me/sessions', () => {
    it('lists the user’s sessions newest first, with their user agents, the caller’s marked', async () => {
      const user = await registerUser(app);
      const phone = await signIn(app, user, 'phone-app/2.0');
      const laptop = await signIn(app, user, 'laptop-browser/3.0');
      await registerUser(app);

      const response = await sessionsOf(phone).expect(200);

      const listed = response.body as Record<string, string | boolean | null>[];
      expect(listed).toHaveLength(3);
      for (const session of listed) {
        expect(Object.keys(session).sort()).toEqual([
          'created_at',
          'current',
          'id',
          'last_used_at',
          'user_agent',
        ]);
        expect(session.id).toMatch(
          /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
        );
        expect(session.created_at).toMatch(ISO_UTC);
        expect(session.last_used_at).toMatch(ISO_UTC);
        expect(String(session.last_used_at) >= String(session.created_at)).toBe(true);
      }
      const createdAt = listed.map((session) => session.created_at as string);
      expect([...createdAt].sort().reverse()).toEqual(createdAt);
      expect(listed.map((session) => session.user_agent)).toEqual([
        'laptop-browser/3.0',
        'phone-app/2.0',
        null, // the registration sent no User-Agent
      ]);
      expect(listed.map((session) => session.current)).toEqual([false, true, false]);
      expect(await sessionIdOf(laptop)).toBe(listed[0].id);
      expect(await sessionIdOf(user)).toBe(listed[2].id);
    });
  });

  describe('DELETE /api/users/me/sessions/:id', () => {
    it('ends one of the user’s sessions: that tab’s token is refused, the caller’s goes on', async () => {
      const user = await registerUser(app);
      const otherTab = await signIn(app, user);
      const otherTabSession = await sessionIdOf(otherTab);
      const path = `/api/users/me/sessions/${otherTabSession}`;

      await app.http().delete(path).set('Authorization', user.auth).expect(204);

      expectError(await me(otherTab), 401, 'unauthorized');
      await me(user).expect(200);
      const listed = (await sessionsOf(user).expect(200)).body as { id: string }[];
      expect(listed.map((session) => session.id)).not.toContain(otherTabSession);
      expectError(
        await app.http().delete(path).set('Authorization', user.auth),
        404,
        'session_not_found',
      );
    });

    it('answers session_not_found for another user’s session, which goes on, and for none', async () => {
      const user = await registerUser(app);
      const someoneElse = await registerUser(app);
      const theirs = await sessionIdOf(someoneElse);

      for (const id of [theirs, randomUUID()]) {
        expectError(
          await app.http().delete(`/api/users/me/sessions/${id}`).set('Authorization', user.auth),
          404,
          'session_not_found',
        );
      }
      await me(someoneElse).expect(200);
    });

    it.each(['42', 'not-a-session', `${randomUUID()}x`])(
      'refuses the malformed id %j with validation_failed',
      async (id) => {
        const user = await registerUser(app);

        expectValidationFailed(
          await app.http().delete(`/api/users/me/sessions/${id}`).set('Authorization', user.auth),
          'id',
        );
      },
    );
  });

  it('refuses every sessions route without a token', async () => {
    const calls = [
      app.http().post('/api/auth/logout'),
      app.http().post('/api/auth/logout-all'),
      app.http().get('/api/users/me/sessions'),
      app.http().delete(`/api/users/me/sessions/${randomUUID()}`),
    ];
    for (const response of await Promise.all(calls)) expectError(response, 401, 'unauthorized');
  });

  it('refuses a token issued before sessions were (no sid claim), genuine as it is', async () => {
    const user = await registerUser(app);
    const signer = new JwtService({ secret: TEST_JWT_SECRET });
    const token = await signer.signAsync(
      { sub: user.id, username: user.username },
      { algorithm: 'HS256', expiresIn: 600 },
    );

    expectError(
      await app.http().get('/api/users/me').set('Authorization', `Bearer ${token}`),
      401,
      'unauthorized',
    );
    expect((await clients.refusedSocket(app.url, token)).message).toBe('unauthorized');
    expect(await clients.refusedRaw(app.url, token)).toBe(401);
  });

  describe('live connections of an ended session', () => {
    it('close on both transports with unauthorized (raw: 4001), while the user’s other sessions’ stay', async () => {
      const user = await registerUser(app);
      const otherTab = await signIn(app, user);
      const room = await createRoom(app, user);
      const socket = await clients.socket(app.url, user.token);
      const raw = await clients.raw(app.url, user.token);
      const otherSocket = await clients.socket(app.url, otherTab.token);
      const otherRaw = await clients.raw(app.url, otherTab.token);
      const socketError = nextEvent(socket, 'error');
      const socketGone = nextEvent(socket, 'disconnect');
      const rawError = nextFrame(raw, (frame) => frame.type === 'error');
      const rawClosed = nextClose(raw);

      await app.http().post('/api/auth/logout').set('Authorization', user.auth).expect(204);

      expect(await socketError).toEqual({
        code: 'unauthorized',
        message: expect.stringMatching(/session has ended/),
      });
      expect(await socketGone).toBe('io server disconnect');
      expect(await rawError).toEqual({
        type: 'error',
        code: 'unauthorized',
        message: expect.stringMatching(/session has ended/),
      });
      expect(await rawClosed).toEqual({ code: 4001, reason: 'session ended' });
      // The other session's connections still receive the room's events.
      const delivered = nextEvent(otherSocket, 'chat_message', (m) => m.content === 'still here');
      const deliveredRaw = nextFrame(otherRaw, (f) => f.type === 'chat_message');
      await sendMessage(app, otherTab, room.id, 'still here');
      expect(await delivered).toMatchObject({ room_id: room.id, content: 'still here' });
      expect(await deliveredRaw).toMatchObject({ room_id: room.id, content: 'still here' });
      expect(otherSocket.connected).toBe(true);
    });

    it('close for every session on logout-all, and for a session deleted from another one', async () => {
      const user = await registerUser(app);
      const otherTab = await signIn(app, user);
      const socket = await clients.socket(app.url, otherTab.token);
      const raw = await clients.raw(app.url, otherTab.token);
      const socketError = nextEvent(socket, 'error');
      const rawClosed = nextClose(raw);

      await app
        .http()
        .delete(`/api/users/me/sessions/${await sessionIdOf(otherTab)}`)
        .set('Authorization', user.auth)
        .expect(204);

      expect(await socketError).toMatchObject({ code: 'unauthorized' });
      expect(await rawClosed).toEqual({ code: 4001, reason: 'session ended' });

      const own = await clients.socket(app.url, user.token);
      const ownGone = nextEvent(own, 'disconnect');
      await app.http().post('/api/auth/logout-all').set('Authorization', user.auth).expect(204);
      expect(await ownGone).toBe('io server disconnect');
    });

    it('cannot be opened again with the ended session’s token', async () => {
      const user = await registerUser(app);
      await app.http().post('/api/auth/logout').set('Authorization', user.auth).expect(204);

      expect((await clients.refusedSocket(app.url, user.token)).message).toBe('unauthorized');
      expect(await clients.refusedRaw(app.url, user.token)).toBe(401);
    });
  });
});
