import { once } from 'node:events';
import { connect, type AddressInfo } from 'node:net';
import { createRoom } from './factories/rooms.factory';
import { registerUser, RegisteredUser } from './factories/users.factory';
import { expectError } from './support/http-expectations';
import { startApp, STORES, TestApp } from './support/test-app';

/** What REST clients (curl, Postman, clients of the Go server) rely on in paths, bodies and ids. */
describe.each(STORES)('HTTP paths, bodies and request ids (%s store)', (store) => {
  let app: TestApp;
  let owner: RegisteredUser;
  let joiner: RegisteredUser;
  let roomId: number;

  beforeAll(async () => {
    app = await startApp(store);
    [owner, joiner] = [await registerUser(app), await registerUser(app)];
    roomId = (await createRoom(app, owner)).id;
  });
  afterAll(() => app.close());

  it('takes a path with a trailing slash or in another letter case as the same route', async () => {
    const listed = (path: string) =>
      app.http().get(path).set('Authorization', owner.auth).expect(200);
    const plain = (await listed('/api/rooms')).body as { id: number }[];

    expect((await listed('/api/rooms/')).body).toEqual(plain);
    // Lists change with every message: no entity tag is computed for them.
    expect((await listed('/api/rooms')).headers.etag).toBeUndefined();
    expect((await listed('/API/Rooms')).body).toEqual(plain);
    expect(plain.map((room) => room.id)).toContain(roomId);
  });

  it('takes an empty JSON body as an empty object', async () => {
    await app
      .http()
      .post(`/api/rooms/${roomId}/join`)
      .set('Authorization', joiner.auth)
      .set('Content-Type', 'application/json')
      .send('')
      .expect(200);
  });

  it('reads no body of another type, and says a JSON object is wanted', async () => {
    const response = await app
      .http()
      .post(`/api/rooms/${roomId}/messages`)
      .set('Authorization', owner.auth)
      .set('Content-Type', 'text/plain')
      .send('{"content":"hello"}');

    expectError(response, 400, 'validation_failed');
    expect(response.body.details).toEqual([{ field: 'body', message: 'must be a JSON object' }]);
  });

  it('answers 413 payload_too_large for a JSON body over 64 KiB', async () => {
    const response = await app
      .http()
      .post(`/api/rooms/${roomId}/messages`)
      .set('Authorization', owner.auth)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ content: 'a'.repeat(64 * 1024) }));

    expectError(response, 413, 'payload_too_large');
  });

  it('answers the X-Request-Id it was given when well-formed, else a new one', async () => {
    const given = await app.http().get('/health').set('X-Request-Id', 'lb-1234.abc').expect(200);
    expect(given.headers['x-request-id']).toBe('lb-1234.abc');

    const forged = await app.http().get('/health').set('X-Request-Id', 'a b;c').expect(200);
    expect(forged.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);

    const missing = await app.http().get('/api/nowhere').expect(404);
    expect(missing.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(missing.headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('HTTP shutdown', () => {
  it('closes a connection still open once requests had their grace, so shutdown ends', async () => {
    const app = await startApp('memory');
    const { port } = app.app.getHttpServer().address() as AddressInfo;
    // A request whose headers never end: the server would wait for them for a minute.
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    socket.write('GET /health HTTP/1.1\r\nHost: localhost\r\n');
    const closedByServer = once(socket, 'close');

    await app.close();

    await closedByServer;
    expect(socket.destroyed).toBe(true);
  });
});
