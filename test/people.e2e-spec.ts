import { createRoom, joinRoom } from './factories/rooms.factory';
import {
  registerUser,
  signIn,
  signInAdmin,
  uniqueName,
  type RegisteredUser,
} from './factories/users.factory';
import { expectError, expectValidationFailed } from './support/http-expectations';
import { LogCapture } from './support/log-capture';
import { until } from './support/polling';
import { nextClose, nextEvent, nextFrame, RealtimeClients } from './support/realtime-clients';
import { TEST_ADMIN } from './support/test-admin';
import { startApp, STORES, type TestApp } from './support/test-app';
import { createScratchDatabase, type ScratchDatabase } from './support/test-database';

const PASSWORD = 'correct horse battery';

describe.each(STORES)('people: profiles, passwords and server admins (%s store)', (store) => {
  const clients = new RealtimeClients();
  const log = new LogCapture();
  let app: TestApp;

  beforeAll(async () => {
    app = await startApp(store, { LOG_LEVEL: 'log', LOG_FORMAT: 'json' }, 0, log);
  });
  afterEach(() => clients.closeAll());
  afterAll(() => app.close());

  const me = (user: RegisteredUser) =>
    app.http().get('/api/users/me').set('Authorization', user.auth);
  const patchMe = (user: RegisteredUser, body: unknown) =>
    app
      .http()
      .patch('/api/users/me')
      .set('Authorization', user.auth)
      .send(body as object);
  const login = (username: string, password: string) =>
    app.http().post('/api/auth/login').send({ username, password });

  describe('the user object', () => {
    it('has a display name (the username until changed) and the server role', async () => {
      const user = await registerUser(app);

      expect((await me(user).expect(200)).body).toEqual({
        id: user.id,
        username: user.username,
        display_name: user.username,
        role: 'user',
        created_at: expect.any(String),
        online: false,
      });
    });

    it("names the store's first account, the admin, as such", async () => {
      const admin = await signInAdmin(app);

      expect((await me(admin).expect(200)).body).toMatchObject({
        username: TEST_ADMIN.username,
        role: 'admin',
      });
    });
  });

  describe('PATCH /api/users/me', () => {
    it('changes the display name, trimmed, and keeps the username', async () => {
      const user = await registerUser(app);

      const response = await patchMe(user, { display_name: '  Ada Lovelace ' }).expect(200);

      expect(response.body).toMatchObject({
        id: user.id,
        username: user.username,
        display_name: 'Ada Lovelace',
      });
      expect((await me(user).expect(200)).body.display_name).toBe('Ada Lovelace');
      const listed = await app.http().get('/api/users').set('Authorization', user.auth);
      expect(listed.body).toContainEqual(
        expect.objectContaining({ id: user.id, display_name: 'Ada Lovelace' }),
      );
    });

    it('accepts any script and emoji, up to 64 characters', async () => {
      const user = await registerUser(app);
      const long = '😀'.repeat(64);

      await patchMe(user, { display_name: 'Zoë 李 🚀' }).expect(200);
      expect((await patchMe(user, { display_name: long }).expect(200)).body.display_name).toBe(
        long,
      );
    });

    it('tells those who share a room, on both transports, and the user', async () => {
      const [ada, grace] = await Promise.all([registerUser(app), registerUser(app)]);
      const room = await createRoom(app, ada);
      await joinRoom(app, grace, room.id);
      const graceSocket = await clients.socket(app.url, grace.token);
      const graceRaw = await clients.raw(app.url, grace.token);
      const adaSocket = await clients.socket(app.url, ada.token);
      const isAda = (event: { user: { id: number } }) => event.user.id === ada.id;
      const events = [
        nextEvent(graceSocket, 'user_updated', isAda),
        nextFrame(graceRaw, (frame) => frame.type === 'user_updated' && isAda(frame as never)),
        nextEvent(adaSocket, 'user_updated', isAda),
      ];

      const { body } = await patchMe(ada, { display_name: 'Countess' }).expect(200);

      const [socketEvent, rawFrame, ownEvent] = await Promise.all(events);
      expect(socketEvent).toEqual({ user: body });
      expect(rawFrame).toEqual({ type: 'user_updated', user: body });
      expect(ownEvent).toEqual({ user: body });
    });

    it.each([
      ['empty', { display_name: '' }, 'display_name'],
      ['only spaces', { display_name: '   ' }, 'display_name'],
      ['65 characters', { display_name: 'x'.repeat(65) }, 'display_name'],
      ['a control character', { display_name: 'Ada\u0007' }, 'display_name'],
      ['a zero-width space', { display_name: 'Ad\u200Ba' }, 'display_name'],
      ['a text-direction override', { display_name: '\u202EadA' }, 'display_name'],
      ['a number', { display_name: 42 }, 'display_name'],
      ['null', { display_name: null }, 'display_name'],
      ['no field', {}, 'display_name'],
      ['an unknown field', { display_name: 'Ada', role: 'admin' }, undefined],
    ])('refuses %s with validation_failed, changing nothing', async (_, body, field) => {
      const user = await registerUser(app);

      expectValidationFailed(await patchMe(user, body), field);
      expect((await me(user).expect(200)).body).toMatchObject({
        display_name: user.username,
        role: 'user',
      });
    });

    it('needs a token', async () => {
      expectError(
        await app.http().patch('/api/users/me').send({ display_name: 'Ada' }),
        401,
        'unauthorized',
      );
    });
  });

  describe('POST /api/users/me/password', () => {
    const changePassword = (user: RegisteredUser, body: unknown) =>
      app
        .http()
        .post('/api/users/me/password')
        .set('Authorization', user.auth)
        .send(body as object);

    it('sets the new password once the current one is proven', async () => {
      const user = await registerUser(app);

      await changePassword(user, {
        current_password: user.password,
        new_password: 'a brand new password',
      }).expect(204);

      expectError(await login(user.username, user.password), 401, 'invalid_credentials');
      await login(user.username, 'a brand new password').expect(200);
    });

    it("ends the user's other sessions, closing their connections, and keeps this one", async () => {
      const user = await registerUser(app);
      const otherDevice = await signIn(app, user);
      const otherSocket = await clients.socket(app.url, otherDevice.token);
      const ownSocket = await clients.socket(app.url, user.token);
      const ended = nextEvent(otherSocket, 'error');
      const disconnected = nextEvent(otherSocket, 'disconnect');

      await changePassword(user, {
        current_password: user.password,
        new_password: 'a brand new password',
      }).expect(204);

      expect(await ended).toMatchObject({ code: 'unauthorized' });
      expect(await disconnected).toBe('io server disconnect');
      expectError(await me(otherDevice), 401, 'unauthorized');
      await me(user).expect(200);
      expect(ownSocket.connected).toBe(true);
    });

    it('refuses a wrong current password with invalid_credentials, changing nothing', async () => {
      const user = await registerUser(app);

      expectError(
        await changePassword(user, {
          current_password: 'not my password',
          new_password: 'a brand new password',
        }),
        401,
        'invalid_credentials',
      );
      await login(user.username, user.password).expect(200);
    });

    it.each([
      ['a short new password', { current_password: PASSWORD, new_password: 'short' }],
      ['no current password', { new_password: 'a brand new password' }],
      ['no new password', { current_password: PASSWORD }],
      [
        'an unknown field',
        { current_password: PASSWORD, new_password: 'a brand new password', x: 1 },
      ],
    ])('refuses %s with validation_failed', async (_, body) => {
      const user = await registerUser(app);

      expectValidationFailed(await changePassword(user, body));
      await login(user.username, user.password).expect(200);
    });
  });

  describe('server admins', () => {
    let admin: RegisteredUser;

    beforeAll(async () => {
      admin = await signInAdmin(app);
    });

    const asAdmin = (method: 'get' | 'post', path: string, who: RegisteredUser = admin) =>
      app.http()[method](path).set('Authorization', who.auth);

    it('list every user with whether the account is deactivated', async () => {
      const user = await registerUser(app);

      const { body } = await asAdmin('get', '/api/admin/users').expect(200);

      expect(body).toContainEqual({
        id: user.id,
        username: user.username,
        display_name: user.username,
        role: 'user',
        created_at: expect.any(String),
        online: false,
        deactivated: false,
      });
      const ids = (body as { id: number }[]).map((listed) => listed.id);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
    });

    it('deactivate an account: it cannot sign in, and says why only with the right password', async () => {
      const user = await registerUser(app);

      await asAdmin('post', `/api/admin/users/${user.id}/deactivate`).expect(204);

      expectError(await login(user.username, user.password), 401, 'account_deactivated');
      expectError(await login(user.username, 'a wrong password'), 401, 'invalid_credentials');
      const { body } = await asAdmin('get', '/api/admin/users').expect(200);
      expect(body).toContainEqual(expect.objectContaining({ id: user.id, deactivated: true }));
      // Twice is no error.
      await asAdmin('post', `/api/admin/users/${user.id}/deactivate`).expect(204);
    });

    it('deactivate an account: its sessions end at once and its connections close', async () => {
      const user = await registerUser(app);
      const socket = await clients.socket(app.url, user.token);
      const raw = await clients.raw(app.url, user.token);
      const socketEnded = nextEvent(socket, 'error');
      const rawClosed = nextClose(raw);

      await asAdmin('post', `/api/admin/users/${user.id}/deactivate`).expect(204);

      expect(await socketEnded).toMatchObject({ code: 'unauthorized' });
      expect(await rawClosed).toMatchObject({ code: 4001 });
      expectError(await me(user), 401, 'unauthorized');
      expect((await clients.refusedSocket(app.url, user.token)).message).toBe('unauthorized');
    });

    it('reactivate an account, which signs in again', async () => {
      const user = await registerUser(app);
      await asAdmin('post', `/api/admin/users/${user.id}/deactivate`).expect(204);

      await asAdmin('post', `/api/admin/users/${user.id}/reactivate`).expect(204);

      await login(user.username, user.password).expect(200);
      await asAdmin('post', `/api/admin/users/${user.id}/reactivate`).expect(204);
    });

    it('write each action to the log as one structured line', async () => {
      const user = await registerUser(app);

      await asAdmin('post', `/api/admin/users/${user.id}/deactivate`).expect(204);
      await asAdmin('post', `/api/admin/users/${user.id}/reactivate`).expect(204);

      const lines = () =>
        log
          .records()
          .map((record) => record.data as Record<string, unknown> | undefined)
          .filter((data) => data?.event === 'moderation' && data.target_user_id === user.id);
      await until('both moderation lines', async () => lines().length === 2);
      expect(lines()).toEqual([
        expect.objectContaining({
          action: 'user_deactivated',
          actor_id: admin.id,
          target_user_id: user.id,
        }),
        expect.objectContaining({
          action: 'user_reactivated',
          actor_id: admin.id,
          target_user_id: user.id,
        }),
      ]);
    });

    it('cannot deactivate their own account', async () => {
      expectError(
        await asAdmin('post', `/api/admin/users/${admin.id}/deactivate`),
        403,
        'forbidden',
      );
      await login(TEST_ADMIN.username, TEST_ADMIN.password).expect(200);
    });

    it('get user_not_found for an unknown user and validation_failed for a bad id', async () => {
      expectError(
        await asAdmin('post', '/api/admin/users/2000000000/deactivate'),
        404,
        'user_not_found',
      );
      for (const id of ['0', '-1', 'abc', '1.5']) {
        expectError(
          await asAdmin('post', `/api/admin/users/${id}/reactivate`),
          400,
          'validation_failed',
        );
      }
    });

    it('are the only ones who may: others get forbidden, and nothing changes', async () => {
      const [user, target] = await Promise.all([registerUser(app), registerUser(app)]);

      expectError(await asAdmin('get', '/api/admin/users', user), 403, 'forbidden');
      expectError(
        await asAdmin('post', `/api/admin/users/${target.id}/deactivate`, user),
        403,
        'forbidden',
      );
      await login(target.username, target.password).expect(200);
      expectError(await app.http().get('/api/admin/users'), 401, 'unauthorized');
    });
  });
});

describe.each(STORES)('the first account of a fresh %s store', (store) => {
  let app: TestApp;
  let database: ScratchDatabase | undefined;

  beforeAll(async () => {
    database = store === 'postgres' ? await createScratchDatabase('first_admin') : undefined;
    // No ADMIN_USERNAME: the first to sign up is the admin.
    app = await startApp(store, {
      ADMIN_USERNAME: '',
      ADMIN_PASSWORD: '',
      ...(database && { DATABASE_URL: database.url }),
    });
  });
  afterAll(async () => {
    await app.close();
    await database?.drop();
  });

  it('is the one admin, however many sign up at once', async () => {
    const responses = await Promise.all(
      Array.from({ length: 5 }, () =>
        app
          .http()
          .post('/api/auth/register')
          .send({ username: uniqueName('first'), password: PASSWORD })
          .expect(201),
      ),
    );

    const roles = responses.map((response) => response.body.user.role as string);
    expect(roles.filter((role) => role === 'admin')).toHaveLength(1);
    const later = await registerUser(app);
    const { body } = await app.http().get('/api/users/me').set('Authorization', later.auth);
    expect(body.role).toBe('user');
  });
});
