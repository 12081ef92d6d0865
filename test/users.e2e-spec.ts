import jwt from 'jsonwebtoken';
import { RegisteredUser, registerUser } from './factories/users.factory';
import { expectError } from './support/http-expectations';
import { startApp, STORES, TEST_JWT_SECRET, TestApp } from './support/test-app';

const USER_KEYS = ['created_at', 'display_name', 'id', 'online', 'role', 'username'];

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

const now = () => Math.floor(Date.now() / 1000);
const claimsOf = (user: RegisteredUser) => ({ sub: user.id, username: user.username });

/** Authorization headers that must all be refused with 401 unauthorized. */
const BAD_AUTHORIZATIONS: [string, (user: RegisteredUser) => string | undefined][] = [
  ['no Authorization header', () => undefined],
  ['an empty Authorization header', () => ''],
  ['Bearer garbage', () => 'Bearer garbage'],
  ['Bearer without a token', () => 'Bearer '],
  [
    'a token signed with another secret',
    (user) =>
      `Bearer ${jwt.sign(claimsOf(user), 'another-secret-of-the-same-length!', { algorithm: 'HS256', expiresIn: 3600 })}`,
  ],
  [
    'an expired token',
    (user) =>
      `Bearer ${jwt.sign({ ...claimsOf(user), iat: now() - 7200, exp: now() - 3600 }, TEST_JWT_SECRET, { algorithm: 'HS256' })}`,
  ],
  [
    'an alg none token',
    (user) =>
      `Bearer ${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ ...claimsOf(user), iat: now(), exp: now() + 3600 })}.`,
  ],
  [
    'a tampered token (another user in the payload, the original signature)',
    (user) => {
      const [header, , signature] = user.token.split('.');
      const payload = base64url({ sub: user.id + 1, username: 'someone_else', exp: now() + 3600 });
      return `Bearer ${header}.${payload}.${signature}`;
    },
  ],
  [
    'a well-signed token of a user that does not exist',
    () =>
      `Bearer ${jwt.sign({ sub: 2_000_000_000, username: 'nobody_here' }, TEST_JWT_SECRET, { algorithm: 'HS256', expiresIn: 3600 })}`,
  ],
  [
    'a Basic header with valid credentials',
    (user) => `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}`,
  ],
  ['the token without the Bearer scheme', (user) => user.token],
];

describe.each(STORES)('users (%s store)', (store) => {
  let app: TestApp;
  let alice: RegisteredUser;
  let bob: RegisteredUser;

  beforeAll(async () => {
    app = await startApp(store);
    alice = await registerUser(app);
    bob = await registerUser(app);
  });
  afterAll(() => app.close());

  describe('GET /api/users/me', () => {
    it('answers 200 with the caller', async () => {
      const response = await app
        .http()
        .get('/api/users/me')
        .set('Authorization', alice.auth)
        .expect(200);
      expect(Object.keys(response.body).sort()).toEqual(USER_KEYS);
      expect(response.body).toMatchObject({ id: alice.id, username: alice.username });
      expect(new Date(response.body.created_at).toISOString()).toBe(response.body.created_at);
      expect(typeof response.body.online).toBe('boolean');
    });

    it('accepts the scheme name in any letter case', async () => {
      const response = await app
        .http()
        .get('/api/users/me')
        .set('Authorization', `bearer ${bob.token}`)
        .expect(200);
      expect(response.body.id).toBe(bob.id);
    });

    it.each(BAD_AUTHORIZATIONS)('answers 401 unauthorized for %s', async (_, header) => {
      const call = app.http().get('/api/users/me');
      const value = header(alice);
      const response = await (value === undefined ? call : call.set('Authorization', value));
      expectError(response, 401, 'unauthorized');
      expect(response.body.details).toBeUndefined();
    });
  });

  describe('GET /api/users', () => {
    it('lists the users, each exactly {id, username, display_name, role, created_at, online}', async () => {
      const response = await app
        .http()
        .get('/api/users')
        .set('Authorization', bob.auth)
        .expect(200);
      expect(Array.isArray(response.body)).toBe(true);
      const users = response.body as Record<string, unknown>[];
      for (const user of users) {
        expect(Object.keys(user).sort()).toEqual(USER_KEYS);
        expect(Number.isSafeInteger(user.id) && (user.id as number) > 0).toBe(true);
        expect(typeof user.username).toBe('string');
        expect(new Date(user.created_at as string).toISOString()).toBe(user.created_at);
        expect(typeof user.online).toBe('boolean');
      }
      for (const { id, username } of [alice, bob]) {
        expect(users.filter((user) => user.id === id)).toEqual([
          expect.objectContaining({ id, username }),
        ]);
      }
    });

    it('answers 401 unauthorized without a valid token', async () => {
      expectError(await app.http().get('/api/users'), 401, 'unauthorized');
      expectError(
        await app.http().get('/api/users').set('Authorization', 'Bearer garbage'),
        401,
        'unauthorized',
      );
    });
  });
});
