import { registerUser } from './factories/users.factory';
import { createRoom } from './factories/rooms.factory';
import { LogCapture } from './support/log-capture';
import { until } from './support/polling';
import { RealtimeClients } from './support/realtime-clients';
import { startApp, STORES, TestApp } from './support/test-app';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe.each(STORES)('the log at LOG_LEVEL=log, LOG_FORMAT=json (%s store)', (store) => {
  const clients = new RealtimeClients();
  const log = new LogCapture();
  let app: TestApp;

  beforeAll(async () => {
    app = await startApp(store, { LOG_LEVEL: 'log', LOG_FORMAT: 'json' }, 0, log);
  });
  afterEach(() => clients.closeAll());
  afterAll(() => app.close());

  /** The access lines written so far. */
  const accessLines = () => log.records().filter((record) => record.context === 'HTTP');

  it('writes one access line per request, with its request id, method, path, status and time', async () => {
    const response = await app.http().get('/api/rooms?limit=5').expect(200);
    const id = response.headers['x-request-id'];
    expect(id).toMatch(UUID);

    await until('the access line', async () => accessLines().some((line) => line.req_id === id));
    expect(accessLines().find((line) => line.req_id === id)).toEqual({
      level: 'info',
      time: expect.any(String),
      context: 'HTTP',
      req_id: id,
      method: 'GET',
      path: '/api/rooms',
      status: 200,
      ms: expect.any(Number),
      msg: expect.stringMatching(/^GET \/api\/rooms 200 \d+\.\dms$/),
    });
  });

  it('keeps a well-formed X-Request-Id it is given, and replaces one that is not', async () => {
    const kept = await app.http().get('/health').set('X-Request-Id', 'lb-7f3a:42');
    expect(kept.headers['x-request-id']).toBe('lb-7f3a:42');
    const replaced = await app.http().get('/health').set('X-Request-Id', 'x"} {"level":"fatal');
    expect(replaced.headers['x-request-id']).toMatch(UUID);
    await until('both access lines', async () =>
      [kept, replaced].every((response) =>
        accessLines().some((line) => line.req_id === response.headers['x-request-id']),
      ),
    );
  });

  it('never writes a password or a token, however they are sent', async () => {
    const user = await registerUser(app);
    await app
      .http()
      .post('/api/auth/login')
      .send({ username: user.username, password: user.password })
      .expect(200);
    await app
      .http()
      .post('/api/auth/login')
      .send({ username: user.username, password: 'wrong-password-123' })
      .expect(401);
    const room = await createRoom(app, user);
    await app
      .http()
      .get(`/api/rooms/${room.id}/messages?token=${user.token}`)
      .set('Authorization', user.auth)
      .expect(400);
    await app.http().get(`/api/rooms?access_token=${user.token}`).expect(200);
    await app.http().get('/api/users/me').set('Authorization', 'Bearer forged.token.value');
    await clients.raw(app.url, user.token);
    await clients.socket(app.url, user.token);
    const last = await app.http().get('/health');

    await until('the last access line', async () =>
      accessLines().some((line) => line.req_id === last.headers['x-request-id']),
    );
    expect(accessLines().length).toBeGreaterThanOrEqual(6);
    for (const secret of [user.password, 'wrong-password-123', user.token, 'forged.token.value']) {
      expect(log.all).not.toContain(secret);
    }
    expect(log.all).not.toMatch(/token=|Bearer /);
  });
});
