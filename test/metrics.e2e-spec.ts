import { joinRoom } from './factories/rooms.factory';
import { registerUser } from './factories/users.factory';
import { emitAck, nextEvent, RealtimeClients } from './support/realtime-clients';
import { startApp, STORES, TestApp } from './support/test-app';

/** The value of one sample line of the Prometheus text format, or undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe.each(STORES)('GET /metrics (%s store)', (store) => {
  const clients = new RealtimeClients();
  let app: TestApp;

  beforeEach(async () => {
    app = await startApp(store);
  });
  afterEach(async () => {
    await clients.closeAll();
    await app.close();
  });

  const scrape = async () => {
    const response = await app.http().get('/metrics').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    return response.text;
  };

  it('is public and exposes process metrics', async () => {
    const text = await scrape();
    expect(sample(text, 'chat_process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('counts connections by transport, stored messages, published events, requests and errors', async () => {
    const user = await registerUser(app);
    await joinRoom(app, user, 1);
    const socket = await clients.socket(app.url, user.token);
    await clients.raw(app.url, user.token);
    const delivered = nextEvent(socket, 'chat_message');
    expect(await emitAck(socket, 'chat_message', { room_id: 1, content: 'counted' })).toMatchObject(
      {
        ok: true,
      },
    );
    await delivered;
    await app
      .http()
      .post('/api/rooms/1/messages')
      .set('Authorization', user.auth)
      .send({})
      .expect(400);

    const text = await scrape();
    expect(sample(text, 'chat_connections{transport="socketio"}')).toBe(1);
    expect(sample(text, 'chat_connections{transport="raw"}')).toBe(1);
    expect(sample(text, 'chat_messages_stored_total')).toBe(1);
    expect(sample(text, 'chat_events_published_total{event="chat_message"}')).toBe(1);
    expect(sample(text, 'chat_errors_total{code="validation_failed"}')).toBe(1);
    expect(
      sample(
        text,
        'chat_http_request_duration_seconds_count{method="POST",route="/api/rooms/:id/join",status="200"}',
      ),
    ).toBe(1);
  });

  it('asks for the METRICS_TOKEN when one is set', async () => {
    const token = 'metrics-token-0123456789';
    const guarded = await startApp(store, { METRICS_TOKEN: token });
    try {
      await guarded.http().get('/metrics').expect(401);
      await guarded.http().get('/metrics').set('Authorization', 'Bearer wrong-token').expect(401);
      await guarded.http().get('/metrics').set('Authorization', `Bearer ${token}`).expect(200);
    } finally {
      await guarded.close();
    }
  });

  it('counts a connection closed once it is gone', async () => {
    const user = await registerUser(app);
    const socket = await clients.socket(app.url, user.token);
    socket.disconnect();
    // Polled: the server learns of the disconnect a moment after the client.
    let open: number | undefined = 1;
    for (let attempt = 0; attempt < 50 && open !== 0; attempt++) {
      open = sample(await scrape(), 'chat_connections{transport="socketio"}');
    }
    expect(open).toBe(0);
  });
});
