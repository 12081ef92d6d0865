import request from 'supertest';
import { uniqueName } from './factories/users.factory';
import {
  exitOf,
  freePort,
  killAll,
  outputLines,
  spawnApp,
  waitUntilHealthy,
} from './support/server-process';
import { STORES } from './support/test-app';
import { createScratchDatabase, ScratchDatabase, testDatabaseUrl } from './support/test-database';

afterAll(killAll);

describe.each(STORES)('starting src/main.ts (%s store)', (store) => {
  /** A store's own settings; for PostgreSQL, a database that exists (the test's or a new one). */
  let storeEnv: Record<string, string> = {};

  beforeAll(() => {
    storeEnv = store === 'postgres' ? { DATABASE_URL: testDatabaseUrl() } : {};
  });

  it.each([
    ['PORT', 'abc'],
    ['DATABASE_URL', 'not-a-url'],
    ['JWT_EXPIRES_IN', 'soon'],
  ])('exits with code 1 and one line naming %s when it is %p', async (variable, value) => {
    const run = spawnApp({ ...storeEnv, LOG_LEVEL: 'log', [variable]: value });
    const { code } = await exitOf(run);
    const lines = outputLines(run);
    expect({ code, lines }).toEqual({ code: 1, lines: [expect.stringContaining(variable)] });
  });

  it('refuses to start in production with public metrics unless METRICS_PUBLIC=true', async () => {
    const env = { ...storeEnv, NODE_ENV: 'production', JWT_SECRET: 'a-production-secret-1234' };
    const run = spawnApp({ ...env, LOG_LEVEL: 'log' });
    const { code } = await exitOf(run);
    expect({ code, lines: outputLines(run) }).toEqual({
      code: 1,
      lines: [expect.stringMatching(/METRICS_TOKEN.*METRICS_PUBLIC=true/)],
    });
  });

  describe('with a usable configuration', () => {
    let database: ScratchDatabase | undefined;
    let startEnv: Record<string, string> = {};

    beforeAll(async () => {
      if (store === 'postgres') {
        // A new, empty database: the app must create its own tables on its first start.
        database = await createScratchDatabase('chat_startup');
        startEnv = { DATABASE_URL: database.url };
      }
    });

    afterAll(async () => {
      await killAll();
      await database?.drop();
    });

    it('starts, answers GET /health, and exits with code 0 on SIGTERM', async () => {
      const port = await freePort();
      const run = spawnApp({ ...startEnv, PORT: String(port), LOG_LEVEL: 'log' });
      const url = `http://127.0.0.1:${port}`;

      const health = await waitUntilHealthy(run, url);
      expect(health.body).toMatchObject({ status: 'ok', storage: store });

      // The seeded room: on PostgreSQL, proof that the migrations ran on the empty database.
      const rooms = await request(url).get('/api/rooms').expect(200);
      expect(rooms.body).toEqual(
        expect.arrayContaining([expect.objectContaining({ name: 'general' })]),
      );
      await request(url)
        .post('/api/auth/register')
        .send({ username: uniqueName('startup'), password: 'correct horse battery' })
        .expect(201);

      run.child.kill('SIGTERM');
      const exit = await exitOf(run);
      // On failure, the end of the log tells why.
      const tail = exit.code === 0 ? [] : outputLines(run).slice(-5);
      expect({ ...exit, tail }).toEqual({ code: 0, signal: null, tail: [] });
    }, 60_000);
  });
});

describe('default rooms (DEFAULT_ROOMS)', () => {
  let database: ScratchDatabase | undefined;

  afterAll(async () => {
    await killAll();
    await database?.drop();
  });

  it('are made once by two processes starting together on a new database, and joined by new accounts', async () => {
    database = await createScratchDatabase('chat_default_rooms');
    const env = {
      DATABASE_URL: database.url,
      DEFAULT_ROOMS: 'lobby, Random',
      JWT_SECRET: 'default-rooms-test-secret',
      LOG_LEVEL: 'error',
    };
    const urls = await Promise.all(
      [1, 2].map(async () => {
        const port = await freePort();
        const url = `http://127.0.0.1:${port}`;
        await waitUntilHealthy(spawnApp({ ...env, PORT: String(port) }), url);
        return url;
      }),
    );

    const registered = await request(urls[1])
      .post('/api/auth/register')
      .send({ username: uniqueName('newcomer'), password: 'correct horse battery' })
      .expect(201);
    const rooms = await request(urls[0])
      .get('/api/rooms')
      .set('Authorization', `Bearer ${registered.body.access_token}`)
      .expect(200);
    const listed = (rooms.body as { name: string; created_by: number | null; is_member: boolean }[])
      .filter((room) => ['lobby', 'random'].includes(room.name.toLowerCase()))
      .map(({ name, created_by, is_member }) => ({ name, created_by, is_member }));
    expect(listed).toEqual([
      { name: 'lobby', created_by: null, is_member: true },
      { name: 'Random', created_by: null, is_member: true },
    ]);
  }, 90_000);
});
