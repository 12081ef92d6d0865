import { Redis } from 'ioredis';
import type { Socket } from 'socket.io-client';
import type { WebSocket } from 'ws';
import { rawRoomChannel, SOCKET_IO_PREFIX } from '../src/realtime/delivery/redis-channels';
import { roomChannel } from '../src/realtime/protocol/channels';
import { createRoom, joinRoom, sendMessage } from './factories/rooms.factory';
import { RegisteredUser, registerUser } from './factories/users.factory';
import { nextEvent, nextFrame, RealtimeClients } from './support/realtime-clients';
import { until } from './support/polling';
import { killAll, startNode, type ServerNode } from './support/server-process';
import { STORES } from './support/test-app';
import { testDatabaseUrl } from './support/test-database';
import { startTcpProxy, TcpProxy } from './support/tcp-proxy';
import { TestRedis } from './support/test-redis';

const JWT_SECRET = 'pubsub-multi-node-test-secret-0123456789';
/** Two processes start at once, each taking seconds of CPU to boot on a busy machine. */
const NODES_START_DEADLINE_MS = 60_000;
/** Messages sent in a room the other process has no connection in. */
const UNWATCHED_MESSAGES = 20;
/**
 * What node B sends to Redis arrives this late: a subscription it makes when told of a join is in
 * force long after node A could have answered the join and published the next message, unless
 * the join waits for B's confirmation.
 */
const NODE_B_REDIS_DELAY_MS = 250;

type Node = ServerNode;

/** What a process has received from Redis pub/sub for rooms, from its /metrics. */
async function roomMessagesReceived(node: Node): Promise<number> {
  const response = await node.http().get('/metrics').expect(200);
  const series = 'chat_redis_messages_received_total{kind="room"} ';
  const line = response.text.split('\n').find((candidate) => candidate.startsWith(series));
  return line === undefined ? 0 : Number(line.slice(series.length));
}

/** Leaves the rooms every account starts in, so only the test's own rooms reach the user. */
async function leaveDefaultRooms(node: Node, user: RegisteredUser): Promise<void> {
  const rooms = await node.http().get('/api/rooms').set('Authorization', user.auth).expect(200);
  for (const room of rooms.body as { id: number; is_member: boolean }[]) {
    if (!room.is_member) continue;
    await node
      .http()
      .post(`/api/rooms/${room.id}/leave`)
      .set('Authorization', user.auth)
      .expect(204);
  }
}

// Several processes share rooms only through a shared store: this suite needs PostgreSQL.
describe.each(STORES.filter((store) => store === 'postgres'))(
  'what each of two server processes receives from Redis (%s store)',
  () => {
    describe.each(['sharded', 'classic'] as const)('REDIS_PUBSUB=%s', (mode) => {
      const clients = new RealtimeClients();
      let redis: TestRedis;
      /** A connection of the test's own, to ask Redis who subscribes to what. */
      let admin: Redis;
      let nodeA: Node;
      let nodeB: Node;
      let slowLink: TcpProxy;

      beforeAll(async () => {
        redis = await TestRedis.start();
        admin = new Redis(redis.url, { maxRetriesPerRequest: null });
        slowLink = await startTcpProxy(
          { host: '127.0.0.1', port: redis.port },
          { upstreamDelayMs: NODE_B_REDIS_DELAY_MS },
        );
        const env = {
          DATABASE_URL: testDatabaseUrl(),
          REDIS_URL: redis.url,
          REDIS_PUBSUB: mode,
          JWT_SECRET,
          LOG_LEVEL: 'error',
          RATE_LIMIT_AUTH: '0',
          RATE_LIMIT_MESSAGES: '0',
          RATE_LIMIT_JOINS: '0',
        };
        const slowEnv = { ...env, REDIS_URL: `redis://127.0.0.1:${slowLink.port}` };
        [nodeA, nodeB] = await Promise.all(
          [env, slowEnv].map((nodeEnv) => startNode(nodeEnv, NODES_START_DEADLINE_MS)),
        );
      }, NODES_START_DEADLINE_MS + 10_000);

      afterEach(() => clients.closeAll());

      afterAll(async () => {
        admin?.disconnect();
        await killAll();
        await slowLink?.stop();
        await redis?.dispose();
      });

      /** Subscribers of a channel, counted by Redis (sharded or plain pub/sub, as the mode). */
      async function subscribers(channel: string): Promise<number> {
        const kind = mode === 'sharded' ? 'SHARDNUMSUB' : 'NUMSUB';
        const [, count] = (await admin.call('PUBSUB', kind, channel)) as [string, number];
        return Number(count);
      }

      /** The socket and raw client of `user` on node B both receive `content`, sent in `roomId`. */
      function bothReceive(socket: Socket, raw: WebSocket, roomId: number, content: string) {
        return Promise.all([
          nextEvent(socket, 'chat_message', (m) => m.room_id === roomId && m.content === content),
          nextFrame(raw, (f) => f.type === 'chat_message' && f.content === content),
        ]);
      }

      /**
       * `sender` posting through node A; `reader`, with a socket and a raw client on node B, in
       * the rooms `watched` only; `unwatched` rooms that no connection on B is in.
       */
      async function readerOnB(watched: number, unwatched: number) {
        const [sender, reader] = await Promise.all([registerUser(nodeA), registerUser(nodeB)]);
        await leaveDefaultRooms(nodeB, reader);
        const rooms = [];
        for (let i = 0; i < watched + unwatched; i++)
          rooms.push((await createRoom(nodeA, sender)).id);
        for (const roomId of rooms.slice(0, watched)) await joinRoom(nodeB, reader, roomId);
        const socket = await clients.socket(nodeB.url, reader.token);
        const raw = await clients.raw(nodeB.url, reader.token);
        return {
          sender,
          reader,
          socket,
          raw,
          watchedRooms: rooms.slice(0, watched),
          unwatchedRooms: rooms.slice(watched),
        };
      }

      it(
        mode === 'sharded'
          ? 'gives a process none of the messages of a room it has no connection in'
          : 'gives every process every room’s Socket.IO messages, and raw frames only of its rooms',
        async () => {
          const { sender, socket, raw, watchedRooms, unwatchedRooms } = await readerOnB(2, 1);
          const [y] = watchedRooms;
          const [x] = unwatchedRooms;
          const before = bothReceive(socket, raw, y, 'before');
          await sendMessage(nodeA, sender, y, 'before');
          await before;
          const received = await roomMessagesReceived(nodeB);

          for (let i = 0; i < UNWATCHED_MESSAGES; i++) {
            await sendMessage(nodeA, sender, x, `in X ${i}`);
          }
          const marker = bothReceive(socket, raw, y, 'after');
          await sendMessage(nodeA, sender, y, 'after');
          await marker;

          // The message in Y: once for the Socket.IO room, once for the raw clients.
          const inX = mode === 'sharded' ? 0 : UNWATCHED_MESSAGES;
          expect((await roomMessagesReceived(nodeB)) - received).toBe(2 + inX);
        },
      );

      it('delivers the very next message after a join over REST on the other process, to both transports', async () => {
        const [sender, reader] = await Promise.all([registerUser(nodeA), registerUser(nodeB)]);
        const socket = await clients.socket(nodeB.url, reader.token);
        const raw = await clients.raw(nodeB.url, reader.token);

        const { id: roomId } = await createRoom(nodeA, sender);
        await joinRoom(nodeA, reader, roomId); // answered once node B has the subscriptions
        const joined = bothReceive(socket, raw, roomId, 'first after the join');
        await sendMessage(nodeA, sender, roomId, 'first after the join');
        await joined;

        const dm = await nodeA
          .http()
          .post('/api/dms')
          .set('Authorization', sender.auth)
          .send({ username: reader.username })
          .expect(201);
        const direct = bothReceive(socket, raw, dm.body.id, 'first in the direct room');
        await sendMessage(nodeA, sender, dm.body.id, 'first in the direct room');
        await direct;
      });

      it('delivers the very first message after a connection opens on the other process, to both transports', async () => {
        const [sender, reader] = await Promise.all([registerUser(nodeA), registerUser(nodeB)]);
        const { id: roomId } = await createRoom(nodeA, sender);
        await joinRoom(nodeB, reader, roomId);

        // Told it is connected once its rooms' subscriptions are in force on node B.
        const socket = await clients.socket(nodeB.url, reader.token);
        const raw = await clients.raw(nodeB.url, reader.token);
        const first = bothReceive(socket, raw, roomId, 'first after connecting');
        await sendMessage(nodeA, sender, roomId, 'first after connecting');
        await first;
      });

      it('stops a process’s subscriptions to a room once its last connection in it has left', async () => {
        const { sender, reader, socket, raw, watchedRooms } = await readerOnB(2, 0);
        const [y, z] = watchedRooms;
        const channels = [rawRoomChannel(y)];
        if (mode === 'sharded') channels.push(`${SOCKET_IO_PREFIX}#/#${roomChannel(y)}#`);
        for (const channel of channels) expect(await subscribers(channel)).toBe(1);

        await nodeA
          .http()
          .post(`/api/rooms/${y}/leave`)
          .set('Authorization', reader.auth)
          .expect(204);
        await until('node B to unsubscribe from the room', async () => {
          const counts = await Promise.all(channels.map(subscribers));
          return counts.every((count) => count === 0);
        });

        const before = bothReceive(socket, raw, z, 'before');
        await sendMessage(nodeA, sender, z, 'before');
        await before;
        const received = await roomMessagesReceived(nodeB);
        for (let i = 0; i < UNWATCHED_MESSAGES; i++) {
          await sendMessage(nodeA, sender, y, `in the room left ${i}`);
        }
        const marker = bothReceive(socket, raw, z, 'after');
        await sendMessage(nodeA, sender, z, 'after');
        await marker;

        // The marker in Z, on both transports; classic Socket.IO still receives every room.
        const inY = mode === 'sharded' ? 0 : UNWATCHED_MESSAGES;
        expect((await roomMessagesReceived(nodeB)) - received).toBe(2 + inY);
      });
    });
  },
);
