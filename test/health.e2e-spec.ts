import { expectError } from './support/http-expectations';
import { TcpProxy } from './support/tcp-proxy';
import { startApp, STORES, TestApp } from './support/test-app';
import { testDatabaseUrl } from './support/test-database';

describe.each(STORES)('GET /health (%s store)', (store) => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startApp(store);
  });
  afterAll(() => app.close());

  it('answers 200 and names the store', async () => {
    const response = await app.http().get('/health').expect(200);
    expect(response.body).toMatchObject({
      status: 'ok',
      storage: store,
      checks: { storage: 'up' },
    });
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  // Only PostgreSQL can become unreachable: the memory store is always up.
  if (store !== 'postgres') return;

  describe('while the database goes away and comes back', () => {
    const POLL_DEADLINE_MS = 15_000;
    const POLL_INTERVAL_MS = 100;

    let proxy: TcpProxy | undefined;
    let proxied: TestApp | undefined;

    beforeAll(async () => {
      const database = new URL(testDatabaseUrl());
      proxy = new TcpProxy({ host: database.hostname, port: Number(database.port || 5432) });
      await proxy.start();
      const url = new URL(database);
      url.hostname = '127.0.0.1';
      url.port = String(proxy.port);
      proxied = await startApp('postgres', { DATABASE_URL: url.toString() });
    });

    afterAll(async () => {
      await proxied?.close();
      await proxy?.stop();
    });

    /** Polls /health until it answers `status`, for a bounded time; returns that answer. */
    async function healthBecomes(status: number) {
      const deadline = Date.now() + POLL_DEADLINE_MS;
      const seen: number[] = [];
      for (;;) {
        const response = await proxied!.http().get('/health');
        if (response.status === status) return response;
        seen.push(response.status);
        if (Date.now() > deadline) {
          throw new Error(`/health did not answer ${status} in time; saw ${seen.join(', ')}`);
        }
        await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
      }
    }

    it('answers 503 while the database is unreachable and 200 again once it is back', async () => {
      const before = await proxied!.http().get('/health').expect(200);
      expect(before.body).toMatchObject({ status: 'ok', storage: 'postgres' });
      await proxied!.http().get('/api/rooms').expect(200);

      await proxy!.stop();
      const down = await healthBecomes(503);
      expect(down.body).toMatchObject({
        status: 'error',
        storage: 'postgres',
        checks: { storage: 'down' },
      });
      const rooms = await proxied!.http().get('/api/rooms');
      expectError(rooms, 503, 'storage_unavailable');
      expect(rooms.body.details).toBeUndefined();

      await proxy!.start();
      const up = await healthBecomes(200);
      expect(up.body).toMatchObject({
        status: 'ok',
        storage: 'postgres',
        checks: { storage: 'up' },
      });
      const after = await proxied!.http().get('/api/rooms').expect(200);
      expect(after.body).toEqual(
        expect.arrayContaining([expect.objectContaining({ name: 'general' })]),
      );
    });
  });
});
