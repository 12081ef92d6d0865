import type { Socket } from 'socket.io-client';
import { createRoom, joinRoom } from './factories/rooms.factory';
import { registerUser, RegisteredUser, uniqueName } from './factories/users.factory';
import {
  emitAck,
  nextClose,
  nextEvent,
  nextFrame,
  RealtimeClients,
  rawRequest,
  Received,
} from './support/realtime-clients';
import { until } from './support/polling';
import { historyAfter, messageShape, roomWithTwoMembers } from './support/realtime-fixtures';
import { startApp, STORES, TestApp } from './support/test-app';

describe.each(STORES)('catching up after a disconnect (%s store)', (store) => {
  let app: TestApp;
  const clients = new RealtimeClients();

  beforeAll(async () => {
    app = await startApp(store);
  });
  afterEach(() => clients.closeAll());
  afterAll(() => app.close());

  it('sync after the last id seen returns exactly the missed messages, oldest first', async () => {
    const { owner: a, member: b, room } = await roomWithTwoMembers(app);
    const aSocket = await clients.socket(app.url, a.token);
    const bSocket = await clients.socket(app.url, b.token);

    const seenContent = uniqueName('seen');
    const seen = nextEvent(bSocket, 'chat_message', (m) => m.content === seenContent);
    await emitAck(aSocket, 'chat_message', { room_id: room.id, content: seenContent });
    const lastSeenId = (await seen).id as number;

    const offline = nextEvent(aSocket, 'presence', (p) => p.user_id === b.id && !p.online);
    bSocket.disconnect();
    await offline;

    const missed = [];
    for (let i = 0; i < 5; i++) {
      const ack = await emitAck(aSocket, 'chat_message', {
        room_id: room.id,
        content: `missed ${i}`,
        client_msg_id: uniqueName('cid'),
      });
      expect(ack.ok).toBe(true);
      missed.push(ack.message);
    }

    const reconnected = nextEvent(bSocket, 'connect');
    bSocket.connect();
    await reconnected;
    const sync = await emitAck(bSocket, 'sync', { room_id: room.id, after_id: lastSeenId });
    expect(sync).toEqual({ ok: true, messages: missed });
    expect(sync.messages.map((m: { content: string }) => m.content)).toEqual([
      'missed 0',
      'missed 1',
      'missed 2',
      'missed 3',
      'missed 4',
    ]);
    for (const message of sync.messages) {
      expect(message).toEqual(
        messageShape({
          roomId: room.id,
          user: a,
          content: message.content,
          clientMsgId: message.client_msg_id,
          id: message.id,
        }),
      );
    }

    expect(await historyAfter(app, b, room.id, lastSeenId)).toEqual(missed);
    const page = await emitAck(bSocket, 'sync', {
      room_id: room.id,
      after_id: lastSeenId,
      limit: 3,
    });
    expect(page).toEqual({ ok: true, messages: missed.slice(0, 3) });
    expect(await historyAfter(app, b, room.id, lastSeenId, 3)).toEqual(missed.slice(0, 3));
  });

  it('a raw client catches up the same way with a sync frame', async () => {
    const { owner: a, member: b, room } = await roomWithTwoMembers(app);
    const aSocket = await clients.socket(app.url, a.token);
    const first = await clients.raw(app.url, b.token);

    const seenContent = uniqueName('seen');
    const seen = nextFrame(first, (f) => f.type === 'chat_message' && f.content === seenContent);
    await emitAck(aSocket, 'chat_message', { room_id: room.id, content: seenContent });
    const lastSeenId = (await seen).id as number;
    const closed = nextClose(first);
    first.close();
    await closed;

    const missed = [];
    for (let i = 0; i < 5; i++) {
      missed.push(
        (await emitAck(aSocket, 'chat_message', { room_id: room.id, content: `m${i}` })).message,
      );
    }

    const again = await clients.raw(app.url, b.token);
    const sync = await rawRequest(again, { type: 'sync', room_id: room.id, after_id: lastSeenId });
    expect(sync).toEqual({
      type: 'ack',
      request_id: expect.any(String),
      ok: true,
      messages: missed,
    });
    expect(await historyAfter(app, b, room.id, lastSeenId)).toEqual(missed);
  });
});

interface Acked {
  id: number;
  content: string;
  /** Acknowledged before app.close() was called. */
  beforeClose: boolean;
}

// Restarting in place keeps data only on PostgreSQL; the memory store starts empty by design.
describe.each(STORES.filter((store) => store === 'postgres'))(
  'restart in place with clients sending (%s store)',
  (store) => {
    const CLIENTS = 3;
    const PER_CLIENT = 30;
    const RESTART_AFTER = (CLIENTS * PER_CLIENT) / 2;
    const ACK_TIMEOUT_MS = 2_000;
    const RECONNECT_TIMEOUT_MS = 20_000;

    let app: TestApp;
    const clients = new RealtimeClients();

    beforeAll(async () => {
      app = await startApp(store);
    });
    afterAll(async () => {
      await clients.closeAll();
      await app.close();
    });

    /** The ack, or a rejection as soon as the socket disconnects or the ack takes too long. */
    function sendOnce(socket: Socket, payload: object): Promise<Received> {
      return new Promise((resolve, reject) => {
        const onDisconnect = () => reject(new Error('disconnected before the ack'));
        socket.once('disconnect', onDisconnect);
        emitAck(socket, 'chat_message', payload, ACK_TIMEOUT_MS)
          .then(resolve, reject)
          .finally(() => socket.off('disconnect', onDisconnect));
      });
    }

    it('loses no acknowledged message and stores none twice', async () => {
      const owner = await registerUser(app);
      const room = await createRoom(app, owner);
      const senders: RegisteredUser[] = [];
      for (let i = 0; i < CLIENTS; i++) senders.push(await registerUser(app));
      for (const sender of senders) await joinRoom(app, sender, room.id);
      const sockets = await Promise.all(
        senders.map((sender) =>
          clients.socket(app.url, sender.token, {
            reconnection: true,
            reconnectionDelay: 50,
            reconnectionDelayMax: 200,
            randomizationFactor: 0,
          }),
        ),
      );
      const raw = await clients.raw(app.url, owner.token);
      const port = Number(new URL(app.url).port);

      const acked = new Map<string, Acked>();
      const failures: string[] = [];
      let closing = false;
      let reachedHalf!: () => void;
      const half = new Promise<void>((resolve) => (reachedHalf = resolve));

      async function sendAll(socket: Socket, sender: RegisteredUser, index: number) {
        for (let n = 0; n < PER_CLIENT; n++) {
          const clientMsgId = `${sender.username}-${n}`;
          const content = `client ${index} message ${n}`;
          for (let attempt = 1; ; attempt++) {
            if (attempt > 100) throw new Error(`${clientMsgId}: no ack after 100 attempts`);
            if (!socket.connected) {
              await nextEvent(socket, 'connect', undefined, RECONNECT_TIMEOUT_MS);
            }
            try {
              const ack = await sendOnce(socket, {
                room_id: room.id,
                content,
                client_msg_id: clientMsgId,
              });
              if (ack.ok) {
                const previous = acked.get(clientMsgId);
                if (previous && previous.id !== ack.message.id) {
                  failures.push(`${clientMsgId} acked as ${previous.id} and ${ack.message.id}`);
                }
                if (ack.message.client_msg_id !== clientMsgId || ack.message.content !== content) {
                  failures.push(`${clientMsgId} acked as ${JSON.stringify(ack.message)}`);
                }
                acked.set(clientMsgId, {
                  id: ack.message.id,
                  content,
                  beforeClose: previous?.beforeClose ?? !closing,
                });
                if (acked.size >= RESTART_AFTER) reachedHalf();
                break;
              }
              failures.push(`${clientMsgId} attempt ${attempt}: ${ack.error.code}`);
            } catch (error) {
              failures.push(`${clientMsgId} attempt ${attempt}: ${(error as Error).message}`);
            }
            // Retry the same client_msg_id once the socket is gone, or shortly if it is not.
            await nextEvent(socket, 'disconnect', undefined, 50).catch(() => undefined);
          }
        }
      }

      const sending = Promise.all(sockets.map((socket, i) => sendAll(socket, senders[i], i)));
      // A failing sender must not leave the restart waiting forever.
      await Promise.race([half, sending]);

      const rawClosed = nextClose(raw, 15_000);
      closing = true;
      await app.close();
      expect((await rawClosed).code).toBe(1001);
      app = await startApp(store, {}, port);
      await sending;

      expect(acked.size).toBe(CLIENTS * PER_CLIENT);
      // The restart really happened while messages were being sent.
      expect([...acked.values()].filter((a) => a.beforeClose).length).toBeGreaterThanOrEqual(
        RESTART_AFTER,
      );
      expect([...acked.values()].filter((a) => !a.beforeClose).length).toBeGreaterThan(0);
      // A client that had sent all its messages before the restart reconnects in its own time.
      await until('every client to be connected to the restarted server', () =>
        sockets.every((socket) => socket.connected),
      );

      const history = await historyAfter(app, owner, room.id, 0, 200);
      const ids = history.map((m) => m.id as number);
      expect(new Set(ids).size).toBe(ids.length);
      expect([...ids].sort((x, y) => x - y)).toEqual(ids);
      const clientMsgIds = history.map((m) => m.client_msg_id as string);
      expect(new Set(clientMsgIds).size).toBe(clientMsgIds.length);
      expect(history).toHaveLength(CLIENTS * PER_CLIENT);

      const byId = new Map(history.map((m) => [m.id as number, m]));
      const missing = [...acked.entries()].filter(([, a]) => !byId.has(a.id));
      expect(missing).toEqual([]);
      for (const [clientMsgId, a] of acked) {
        expect(history.filter((m) => m.id === a.id)).toHaveLength(1);
        expect(byId.get(a.id)).toMatchObject({ client_msg_id: clientMsgId, content: a.content });
      }
      // Double acks of one client_msg_id must have named the same message.
      expect(failures.filter((f) => f.includes(' acked as '))).toEqual([]);

      // The restarted server serves the same clients live.
      const content = uniqueName('after-restart');
      const arrived = nextEvent(sockets[1], 'chat_message', (m) => m.content === content);
      expect(
        await emitAck(sockets[0], 'chat_message', { room_id: room.id, content }),
      ).toMatchObject({ ok: true });
      await arrived;
    }, 60_000);
  },
);
