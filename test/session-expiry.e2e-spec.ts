import { registerUser } from './factories/users.factory';
import { nextClose, nextEvent, nextFrame, RealtimeClients } from './support/realtime-clients';
import { startApp, STORES, TestApp } from './support/test-app';

const TOKEN_LIFETIME_S = 3;
const WAIT_MS = (TOKEN_LIFETIME_S + 3) * 1000;

describe.each(STORES)('real-time connections end when their token expires (%s store)', (store) => {
  const clients = new RealtimeClients();
  let app: TestApp;

  beforeAll(async () => {
    app = await startApp(store, { JWT_EXPIRES_IN: String(TOKEN_LIFETIME_S) });
  });
  afterEach(() => clients.closeAll());
  afterAll(() => app.close());

  it('tells a Socket.IO client with an error event, then disconnects it', async () => {
    const user = await registerUser(app);
    const socket = await clients.socket(app.url, user.token);
    const disconnected = nextEvent(socket, 'disconnect', () => true, WAIT_MS);

    const error = await nextEvent(socket, 'error', () => true, WAIT_MS);

    expect(error).toEqual({ code: 'unauthorized', message: expect.stringContaining('expired') });
    expect(await disconnected).toBe('io server disconnect');
  });

  it('tells a raw WebSocket client with an error frame, then closes it with 4001', async () => {
    const user = await registerUser(app);
    const ws = await clients.raw(app.url, user.token);
    const closed = nextClose(ws, WAIT_MS);

    const frame = await nextFrame(ws, (f) => f.type === 'error', WAIT_MS);

    expect(frame).toEqual({
      type: 'error',
      code: 'unauthorized',
      message: expect.stringContaining('expired'),
    });
    expect(await closed).toEqual({ code: 4001, reason: 'access token expired' });
  });
});
