import type { Response } from 'supertest';
import { registerUser, uniqueName } from './factories/users.factory';
import { expectError, expectValidationFailed } from './support/http-expectations';
import { startApp, STORES, TestApp } from './support/test-app';

const PASSWORD = 'correct horse battery';

/** Every key of a JSON value, at any depth. */
function allKeys(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(allKeys);
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, child]) => [key, ...allKeys(child)]);
  }
  return [];
}

/** The contract's answer to register and login. */
function expectAuthBody(response: Response, username: string): void {
  const body = response.body;
  expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'token_type', 'user']);
  expect(Object.keys(body.user).sort()).toEqual([
    'created_at',
    'display_name',
    'id',
    'online',
    'role',
    'username',
  ]);
  expect(Number.isSafeInteger(body.user.id) && body.user.id > 0).toBe(true);
  expect(body.user.username).toBe(username);
  expect(typeof body.user.created_at).toBe('string');
  expect(new Date(body.user.created_at).toISOString()).toBe(body.user.created_at);
  expect(typeof body.user.online).toBe('boolean');
  expect(typeof body.access_token).toBe('string');
  expect(body.access_token.length).toBeGreaterThan(0);
  expect(body.token_type).toBe('Bearer');
  expect(typeof body.expires_in).toBe('number');
  expect(Number.isInteger(body.expires_in) && body.expires_in > 0).toBe(true);
  // Nothing about the password, under any name, at any depth, and not the password itself.
  expect(allKeys(body).filter((key) => /pass|hash|salt|secret/i.test(key))).toEqual([]);
  expect(response.text).not.toContain(PASSWORD);
  expect(response.text).not.toMatch(/\$argon2|\$2[aby]\$/);
}

describe.each(STORES)('auth (%s store)', (store) => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startApp(store);
  });
  afterAll(() => app.close());

  const register = (body: unknown) =>
    app
      .http()
      .post('/api/auth/register')
      .send(body as object);
  const login = (body: unknown) =>
    app
      .http()
      .post('/api/auth/login')
      .send(body as object);

  describe('POST /api/auth/register', () => {
    it('answers 201 with the user and an access token, and no password or hash', async () => {
      const username = uniqueName('reg');
      const response = await register({ username, password: PASSWORD });
      expect(response.status).toBe(201);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expectAuthBody(response, username);
    });

    it('refuses a taken username with 409 username_taken', async () => {
      const user = await registerUser(app);
      const response = await register({ username: user.username, password: 'another password' });
      expectError(response, 409, 'username_taken');
    });

    it('refuses a taken username in another letter case with 409 username_taken', async () => {
      const username = `Ab_${uniqueName('case')}`.slice(0, 32);
      await registerUser(app, username);
      for (const variant of [username.toUpperCase(), username.toLowerCase()]) {
        const response = await register({ username: variant, password: PASSWORD });
        expectError(response, 409, 'username_taken');
      }
    });

    const validationCases: [string, () => unknown, string[]][] = [
      [
        'a password of 7 characters',
        () => ({ username: uniqueName(), password: 'x'.repeat(7) }),
        ['password'],
      ],
      [
        'a password of 129 characters',
        () => ({ username: uniqueName(), password: 'x'.repeat(129) }),
        ['password'],
      ],
      ['a username of 2 characters', () => ({ username: 'ab', password: PASSWORD }), ['username']],
      [
        'a username of 33 characters',
        () => ({ username: 'a'.repeat(33), password: PASSWORD }),
        ['username'],
      ],
      ['a username with a space', () => ({ username: 'a b', password: PASSWORD }), ['username']],
      [
        'a username with non-ASCII letters',
        () => ({ username: 'ünï', password: PASSWORD }),
        ['username'],
      ],
      [
        'a username with punctuation',
        () => ({ username: 'x!y', password: PASSWORD }),
        ['username'],
      ],
      [
        'an unknown body field',
        () => ({ username: uniqueName(), password: PASSWORD, is_admin: true }),
        ['is_admin'],
      ],
      ['a missing password', () => ({ username: uniqueName() }), ['password']],
      ['a missing username', () => ({ password: PASSWORD }), ['username']],
      ['an empty body', () => ({}), ['username', 'password']],
      [
        'non-string values',
        () => ({ username: 12345, password: 12345678 }),
        ['username', 'password'],
      ],
      [
        'an array and an object as values',
        () => ({ username: ['abc'], password: { a: 1 } }),
        ['username', 'password'],
      ],
      ['null values', () => ({ username: null, password: null }), ['username', 'password']],
    ];

    it.each(validationCases)('answers 400 validation_failed for %s', async (_, body, fields) => {
      const response = await register(body());
      const details = expectValidationFailed(response);
      const failed = details.map((detail) => detail.field);
      for (const field of fields) expect(failed).toContain(field);
    });

    it('answers 400 validation_failed with details for malformed JSON, never HTML or a stack', async () => {
      const response = await app
        .http()
        .post('/api/auth/register')
        .set('Content-Type', 'application/json')
        .send('{"username": "abc", "password": ');
      expectValidationFailed(response);
    });

    it.each([
      ['a JSON string', '"just a string"'],
      ['a JSON number', '42'],
      ['a JSON array', '[{"username":"abcdef","password":"correct horse battery"}]'],
      ['JSON null', 'null'],
    ])('answers 400 validation_failed for a body that is %s', async (_, raw) => {
      const response = await app
        .http()
        .post('/api/auth/register')
        .set('Content-Type', 'application/json')
        .send(raw);
      expectValidationFailed(response);
    });

    it.each([
      ['text/plain', 'username=abcdef&password=correct horse battery'],
      ['application/x-www-form-urlencoded', 'username=abcdef&password=correct+horse+battery'],
    ])('answers 400 validation_failed for a %s body', async (type, raw) => {
      const response = await app
        .http()
        .post('/api/auth/register')
        .set('Content-Type', type)
        .send(raw);
      expectValidationFailed(response);
    });

    it('lets exactly one of 20 concurrent registrations of one username succeed', async () => {
      const username = uniqueName('race');
      const responses = await Promise.all(
        Array.from({ length: 20 }, () => register({ username, password: PASSWORD })),
      );
      const statuses = responses.map((response) => response.status).sort();
      expect(statuses).toEqual([201, ...Array<number>(19).fill(409)]);
      for (const response of responses.filter((r) => r.status === 409)) {
        expectError(response, 409, 'username_taken');
      }
      const list = await app
        .http()
        .get('/api/users')
        .set(
          'Authorization',
          `Bearer ${responses.find((r) => r.status === 201)!.body.access_token}`,
        )
        .expect(200);
      expect(
        (list.body as { username: string }[]).filter(
          (user) => user.username.toLowerCase() === username.toLowerCase(),
        ),
      ).toHaveLength(1);
    });
  });

  describe('POST /api/auth/login', () => {
    it('answers 200 with the same body as register, and the token works', async () => {
      const user = await registerUser(app);
      const response = await login({ username: user.username, password: user.password });
      expect(response.status).toBe(200);
      expectAuthBody(response, user.username);
      expect(response.body.user.id).toBe(user.id);

      const me = await app
        .http()
        .get('/api/users/me')
        .set('Authorization', `Bearer ${response.body.access_token}`)
        .expect(200);
      expect(me.body).toEqual(response.body.user);
    });

    it('answers a wrong password and an unknown user with the same 401 invalid_credentials', async () => {
      const user = await registerUser(app);
      const wrongPassword = await login({ username: user.username, password: 'not the password' });
      const unknownUser = await login({ username: uniqueName('ghost'), password: user.password });
      expectError(wrongPassword, 401, 'invalid_credentials');
      expectError(unknownUser, 401, 'invalid_credentials');
      expect(unknownUser.text).toBe(wrongPassword.text);
      expect(unknownUser.headers['content-type']).toBe(wrongPassword.headers['content-type']);
    });

    it.each([
      ['an unknown body field', { username: 'someone', password: PASSWORD, remember: true }],
      ['missing fields', {}],
      ['non-string values', { username: 1, password: false }],
    ])('answers 400 validation_failed for %s', async (_, body) => {
      expectValidationFailed(await login(body));
    });

    it('answers 400 validation_failed for malformed JSON', async () => {
      const response = await app
        .http()
        .post('/api/auth/login')
        .set('Content-Type', 'application/json')
        .send('{username: abc}');
      expectValidationFailed(response);
    });
  });

  describe('rate limit (RATE_LIMIT_AUTH=3)', () => {
    let limited: TestApp | undefined;

    afterEach(async () => {
      await limited?.close();
      limited = undefined;
    });

    function expectRateLimited(response: Response): void {
      expectError(response, 429, 'rate_limited');
      expect(typeof response.body.retry_after_ms).toBe('number');
      expect(response.body.retry_after_ms).toBeGreaterThan(0);
      expect(response.body.retry_after_ms).toBeLessThanOrEqual(60_000);
    }

    it('answers the 4th login attempt within a minute with 429 rate_limited', async () => {
      limited = await startApp(store, { RATE_LIMIT_AUTH: '3' });
      const credentials = { username: uniqueName('rl'), password: 'wrong password' };
      const statuses: number[] = [];
      for (let attempt = 1; attempt <= 3; attempt++) {
        const response = await limited.http().post('/api/auth/login').send(credentials);
        statuses.push(response.status);
      }
      expect(statuses).toEqual([401, 401, 401]);
      expectRateLimited(await limited.http().post('/api/auth/login').send(credentials));
    });

    it('tells the budget left in X-RateLimit-*-auth, and the wait in Retry-After', async () => {
      limited = await startApp(store, { RATE_LIMIT_AUTH: '3' });
      const credentials = { username: uniqueName('rl'), password: 'wrong password' };
      for (const remaining of ['2', '1', '0']) {
        const response = await limited.http().post('/api/auth/login').send(credentials).expect(401);
        expect(response.headers).toMatchObject({
          'x-ratelimit-limit-auth': '3',
          'x-ratelimit-remaining-auth': remaining,
        });
        expect(Number(response.headers['x-ratelimit-reset-auth'])).toBeGreaterThan(0);
        expect(Number(response.headers['x-ratelimit-reset-auth'])).toBeLessThanOrEqual(60);
      }
      const refused = await limited.http().post('/api/auth/login').send(credentials).expect(429);
      const wait = String(Math.ceil((refused.body.retry_after_ms as number) / 1000));
      expect(refused.headers['retry-after']).toBe(wait);
      expect(refused.headers['retry-after-auth']).toBe(wait);
      expect(refused.headers['x-ratelimit-remaining-auth']).toBeUndefined();
    });

    it('sends no rate limit headers when RATE_LIMIT_AUTH=0', async () => {
      const response = await app
        .http()
        .post('/api/auth/login')
        .send({ username: uniqueName('rl'), password: 'wrong password' })
        .expect(401);
      expect(Object.keys(response.headers).filter((name) => /ratelimit|retry/i.test(name))).toEqual(
        [],
      );
    });

    it('answers the 4th registration attempt within a minute with 429 rate_limited', async () => {
      limited = await startApp(store, { RATE_LIMIT_AUTH: '3' });
      for (let attempt = 1; attempt <= 3; attempt++) {
        await limited
          .http()
          .post('/api/auth/register')
          .send({ username: uniqueName('rl'), password: PASSWORD })
          .expect(201);
      }
      expectRateLimited(
        await limited
          .http()
          .post('/api/auth/register')
          .send({ username: uniqueName('rl'), password: PASSWORD }),
      );
    });

    it.each([
      ['ignores X-Forwarded-For without TRUST_PROXY', {}, 429],
      ['counts each forwarded client address with TRUST_PROXY=true', { TRUST_PROXY: 'true' }, 401],
      [
        'counts each forwarded client address with TRUST_PROXY=1 (one hop)',
        { TRUST_PROXY: '1' },
        401,
      ],
    ])('%s', async (_title, env, expected) => {
      limited = await startApp(store, { RATE_LIMIT_AUTH: '3', ...env });
      const login = (address: string) =>
        limited!
          .http()
          .post('/api/auth/login')
          .set('X-Forwarded-For', address)
          .send({ username: uniqueName('rl'), password: 'wrong password' });
      for (let attempt = 1; attempt <= 3; attempt++) await login('203.0.113.1').expect(401);
      expect((await login('203.0.113.2')).status).toBe(expected);
    });

    it('counts register and login attempts together, per client address', async () => {
      limited = await startApp(store, { RATE_LIMIT_AUTH: '3' });
      const username = uniqueName('rl');
      await limited
        .http()
        .post('/api/auth/register')
        .send({ username, password: PASSWORD })
        .expect(201);
      await limited
        .http()
        .post('/api/auth/login')
        .send({ username, password: PASSWORD })
        .expect(200);
      await limited
        .http()
        .post('/api/auth/login')
        .send({ username, password: PASSWORD })
        .expect(200);
      expectRateLimited(
        await limited
          .http()
          .post('/api/auth/register')
          .send({ username: uniqueName('rl'), password: PASSWORD }),
      );
    });
  });
});
