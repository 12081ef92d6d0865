import { ConfigError } from './config-error';
import { loadConfig } from './load-config';

const SECRET = 'a-secret-of-more-than-16-characters';
const METRICS_TOKEN = 'a-metrics-token-of-16-or-more';

/** The ConfigError loadConfig throws for `env`; fails the test when it throws nothing else. */
function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  describe('defaults', () => {
    it('listens on 8080 with the in-memory store', () => {
      const config = loadConfig({});

      expect(config.port).toBe(8080);
      expect(config.databaseUrl).toBeNull();
      expect(config.storage).toBe('memory');
      expect(config.redisUrl).toBeNull();
      expect(config.production).toBe(false);
    });

    it('makes a random JWT secret per process when none is given', () => {
      const first = loadConfig({});
      const second = loadConfig({});

      expect(first.jwt.generated).toBe(true);
      expect(first.jwt.secret.length).toBeGreaterThanOrEqual(32);
      expect(second.jwt.secret).not.toBe(first.jwt.secret);
    });

    it('has a one-day token lifetime, no extra CORS origins and logs up to log', () => {
      const config = loadConfig({});

      expect(config.jwt.expiresInSeconds).toBe(86_400);
      expect(config.corsOrigins).toEqual([]);
      expect(config.logLevels).toEqual(['fatal', 'error', 'warn', 'log']);
    });

    it('treats blank values as unset', () => {
      const config = loadConfig({ PORT: '', DATABASE_URL: ' ', JWT_SECRET: '', LOG_LEVEL: '' });

      expect(config.port).toBe(8080);
      expect(config.storage).toBe('memory');
      expect(config.jwt.generated).toBe(true);
    });
  });

  describe('values', () => {
    it('reads PORT', () => {
      expect(loadConfig({ PORT: '3000' }).port).toBe(3000);
    });

    it.each([
      [undefined, false],
      ['true', true],
      ['2', 2],
      ['loopback, 10.0.0.0/8', ['loopback', '10.0.0.0/8']],
    ])('reads TRUST_PROXY=%p', (raw, expected) => {
      expect(loadConfig({ TRUST_PROXY: raw }).trustProxy).toEqual(expected);
    });

    it('uses PostgreSQL when DATABASE_URL is set', () => {
      const url = 'postgres://chat@db.example.com:5432/chat';
      const config = loadConfig({ DATABASE_URL: url });

      expect(config.databaseUrl).toBe(url);
      expect(config.storage).toBe('postgres');
    });

    it.each([
      ['15m', 900],
      ['12h', 43_200],
      ['3600', 3600],
      ['45s', 45],
      ['7d', 604_800],
    ])('reads JWT_EXPIRES_IN=%s as %i seconds', (value, seconds) => {
      expect(loadConfig({ JWT_EXPIRES_IN: value }).jwt.expiresInSeconds).toBe(seconds);
    });

    it('uses the given JWT_SECRET', () => {
      const config = loadConfig({ JWT_SECRET: SECRET });

      expect(config.jwt).toMatchObject({ secret: SECRET, generated: false });
    });

    it('reads CORS_ORIGINS as a list of origins', () => {
      const config = loadConfig({
        CORS_ORIGINS: 'https://chat.example.com, http://localhost:3000/',
      });

      expect(config.corsOrigins).toEqual(['https://chat.example.com', 'http://localhost:3000']);
    });

    it('reads CORS_ORIGINS=* as any origin', () => {
      expect(loadConfig({ CORS_ORIGINS: '*' }).corsOrigins).toEqual(['*']);
    });

    it('reads LOG_LEVEL=info as every level up to log', () => {
      expect(loadConfig({ LOG_LEVEL: 'info' }).logLevels).toEqual([
        'fatal',
        'error',
        'warn',
        'log',
      ]);
    });

    it('reads LOG_LEVEL as that level and the ones above it', () => {
      expect(loadConfig({ LOG_LEVEL: 'error' }).logLevels).toEqual(['fatal', 'error']);
      expect(loadConfig({ LOG_LEVEL: 'verbose' }).logLevels).toHaveLength(6);
    });

    it('accepts production with a JWT_SECRET and a METRICS_TOKEN', () => {
      const config = loadConfig({
        NODE_ENV: 'production',
        JWT_SECRET: SECRET,
        METRICS_TOKEN: METRICS_TOKEN,
      });

      expect(config.production).toBe(true);
      expect(config.jwt.secret).toBe(SECRET);
      expect(config.metricsToken).toBe(METRICS_TOKEN);
    });

    it('accepts production with public metrics when METRICS_PUBLIC=true says so', () => {
      const config = loadConfig({
        NODE_ENV: 'production',
        JWT_SECRET: SECRET,
        METRICS_PUBLIC: 'true',
      });

      expect(config.metricsToken).toBeNull();
    });

    it('reads RATE_LIMIT_JOINS, 30 by default', () => {
      expect(loadConfig({}).rateLimit.membershipPerMinute).toBe(30);
      expect(loadConfig({ RATE_LIMIT_JOINS: '0' }).rateLimit.membershipPerMinute).toBe(0);
    });

    it('reads DEFAULT_ROOMS: general by default, names trimmed, a name once in any case', () => {
      expect(loadConfig({}).defaultRooms).toEqual(['general']);
      expect(loadConfig({ DEFAULT_ROOMS: ' lobby, Random ,LOBBY,, ' }).defaultRooms).toEqual([
        'lobby',
        'Random',
      ]);
    });

    it('reads ADMIN_USERNAME and ADMIN_PASSWORD: no admin account by default', () => {
      expect(loadConfig({}).admin).toBeNull();
      expect(loadConfig({ ADMIN_USERNAME: ' root_1 ' }).admin).toEqual({
        username: 'root_1',
        password: null,
      });
      expect(
        loadConfig({ ADMIN_USERNAME: 'root_1', ADMIN_PASSWORD: 'a long password' }).admin,
      ).toEqual({ username: 'root_1', password: 'a long password' });
    });

    it('accepts REDIS_URL with a JWT_SECRET', () => {
      const config = loadConfig({ REDIS_URL: 'redis://cache:6379', JWT_SECRET: SECRET });

      expect(config.redisUrl).toBe('redis://cache:6379');
    });

    it('reads REDIS_PUBSUB: sharded by default, or classic', () => {
      expect(loadConfig({}).redisPubSub).toBe('sharded');
      expect(loadConfig({ REDIS_PUBSUB: ' ' }).redisPubSub).toBe('sharded');
      expect(loadConfig({ REDIS_PUBSUB: 'classic' }).redisPubSub).toBe('classic');
    });
  });

  describe('unusable values', () => {
    it.each([
      ['PORT', 'abc'],
      ['PORT', '70000'],
      ['PORT', '-1'],
      ['DATABASE_URL', 'not-a-url'],
      ['DATABASE_URL', 'mysql://x'],
      ['REDIS_URL', 'http://cache:6379'],
      ['REDIS_PUBSUB', 'cluster'],
      ['JWT_EXPIRES_IN', 'soon'],
      ['JWT_EXPIRES_IN', '0'],
      ['CORS_ORIGINS', 'foo'],
      ['CORS_ORIGINS', 'https://chat.example.com/path'],
      ['LOG_LEVEL', 'loud'],
      ['RATE_LIMIT_MESSAGES', 'many'],
      ['RATE_LIMIT_JOINS', '-3'],
      ['METRICS_PUBLIC', 'yes'],
      ['TRUST_PROXY', 'sometimes'],
      ['DEFAULT_ROOMS', 'x'.repeat(65)],
      ['DEFAULT_ROOMS', 'ok,zero\u200bwidth'],
      ['DEFAULT_ROOMS', Array.from({ length: 21 }, (_, i) => `room${i}`).join(',')],
      ['ADMIN_USERNAME', 'no spaces please'],
      ['ADMIN_USERNAME', 'ab'],
    ])('refuses %s=%s with one line naming the variable', (variable, value) => {
      const error = configError({ JWT_SECRET: SECRET, [variable]: value });

      expect(error).toBeInstanceOf(ConfigError);
      expect(error.variable).toBe(variable);
      expect(error.message.startsWith(`${variable} `)).toBe(true);
      expect(error.message).not.toMatch(/[\r\n]/);
      expect(error.message.length).toBeGreaterThan(variable.length + 5);
    });

    it('reports a value with a line break on one line still', () => {
      const error = configError({ PORT: '80\n[fatal] forged log line' });

      expect(error.variable).toBe('PORT');
      expect(error.message).not.toMatch(/[\r\n]/);
    });

    it('refuses a short ADMIN_PASSWORD without echoing it, and one without ADMIN_USERNAME', () => {
      const short = configError({ ADMIN_USERNAME: 'root_1', ADMIN_PASSWORD: 'hunter2' });
      expect(short.variable).toBe('ADMIN_PASSWORD');
      expect(short.message).not.toContain('hunter2');

      expect(configError({ ADMIN_PASSWORD: 'a long password' }).variable).toBe('ADMIN_USERNAME');
    });

    it('does not echo the password of an unusable DATABASE_URL', () => {
      const error = configError({ DATABASE_URL: 'mysql://chat:hunter2-password@db/chat' });

      expect(error.variable).toBe('DATABASE_URL');
      expect(error.message).not.toContain('hunter2-password');
    });

    it.each([
      [{ NODE_ENV: 'production' }],
      [{ REDIS_URL: 'redis://cache:6379' }],
      [{ NODE_ENV: 'production', JWT_SECRET: '   ' }],
    ])('requires JWT_SECRET with %j', (env) => {
      const error = configError(env);

      expect(error.variable).toBe('JWT_SECRET');
      expect(error.message.startsWith('JWT_SECRET ')).toBe(true);
      expect(error.message).not.toMatch(/[\r\n]/);
    });

    it.each([
      [{ NODE_ENV: 'production', JWT_SECRET: SECRET }],
      [{ NODE_ENV: 'production', JWT_SECRET: SECRET, METRICS_PUBLIC: 'false' }],
    ])('requires METRICS_TOKEN in production, unless METRICS_PUBLIC=true: %j', (env) => {
      const error = configError(env);

      expect(error.variable).toBe('METRICS_TOKEN');
      expect(error.message).toMatch(/^METRICS_TOKEN .*METRICS_PUBLIC=true/);
      expect(error.message).not.toMatch(/[\r\n]/);
    });

    it('refuses a short JWT_SECRET without showing it', () => {
      const secret = 'tooShort-s3cret';
      const error = configError({ JWT_SECRET: secret });

      expect(error.variable).toBe('JWT_SECRET');
      expect(error.message.startsWith('JWT_SECRET ')).toBe(true);
      expect(error.message).not.toContain(secret);
    });

    it('never shows the JWT_SECRET, even in production', () => {
      for (const secret of ['x', 'short-one', '0123456789abcde']) {
        const error = configError({
          NODE_ENV: 'production',
          JWT_SECRET: secret,
          METRICS_TOKEN: METRICS_TOKEN,
        });

        expect(error.variable).toBe('JWT_SECRET');
        expect(error.message).not.toContain(secret);
      }
    });

    it('does not show the JWT_SECRET when another variable is refused', () => {
      const error = configError({ JWT_SECRET: SECRET, PORT: 'abc' });

      expect(error.variable).toBe('PORT');
      expect(error.message).not.toContain(SECRET);
    });
  });
});
