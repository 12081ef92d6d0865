import { Redis } from 'ioredis';
import request from 'supertest';
import type { Socket } from 'socket.io-client';
import { redisKey } from '../src/cluster/redis-connection';
import { createRoom, joinRoom } from './factories/rooms.factory';
import { RegisteredUser, registerUser, uniqueName } from './factories/users.factory';
import type { WebSocket } from 'ws';
import {
  emitAck,
  expectNoEvent,
  expectNoFrame,
  Frame,
  nextEvent,
  nextFrame,
  rawRequest,
  RealtimeClients,
} from './support/realtime-clients';
import { until } from './support/polling';
import { killAll, startNode, type ServerNode } from './support/server-process';
import { STORES } from './support/test-app';
import { testDatabaseUrl } from './support/test-database';
import { TestRedis } from './support/test-redis';

const JWT_SECRET = 'multi-node-test-secret-0123456789';
const RATE_LIMIT = 30;
const AUTH_LIMIT = 3;
const DEADLINE_MS = 20_000;
/**
 * Four processes start at once, each taking seconds of CPU to boot: on a busy 2-core machine that
 * takes far longer than one start alone.
 */
const NODES_START_DEADLINE_MS = 80_000;
/** How often resumedDelivery sends a probe: probes count against the message rate limit. */
const PROBE_INTERVAL_MS = 1_000;

type Node = ServerNode;

async function health(node: Node): Promise<request.Response> {
  return node.http().get('/health');
}

// Several processes can share rooms only through a shared store: this suite needs PostgreSQL.
describe.each(STORES.filter((store) => store === 'postgres'))(
  'two server processes on one database and one Redis (%s store)',
  () => {
    const clients = new RealtimeClients();
    let redis: TestRedis;
    /** A connection of the test's own, to read the nodes' presence counts. */
    let admin: Redis;
    let nodeA: Node;
    let nodeB: Node;

    /** A second pair that limits auth attempts (the first one does not, for the factories). */
    let limitedA: Node;
    let limitedB: Node;

    beforeAll(async () => {
      redis = await TestRedis.start();
      admin = new Redis(redis.url, { maxRetriesPerRequest: null });
      admin.on('error', () => undefined); // it reconnects by itself after the outage tests
      const env = {
        DATABASE_URL: testDatabaseUrl(),
        REDIS_URL: redis.url,
        JWT_SECRET,
        LOG_LEVEL: 'error',
        RATE_LIMIT_AUTH: '0',
        RATE_LIMIT_MESSAGES: String(RATE_LIMIT),
        RATE_LIMIT_WINDOW_S: '60',
      };
      const limitedEnv = { ...env, RATE_LIMIT_AUTH: String(AUTH_LIMIT) };
      [nodeA, nodeB, limitedA, limitedB] = await Promise.all(
        [env, env, limitedEnv, limitedEnv].map((nodeEnv) =>
          startNode(nodeEnv, NODES_START_DEADLINE_MS),
        ),
      );
    }, NODES_START_DEADLINE_MS + 10_000);

    afterEach(() => clients.closeAll());

    afterAll(async () => {
      admin?.disconnect();
      await killAll();
      await redis?.dispose();
    });

    /** Polls until Redis answers both nodes' health checks again. */
    async function bothHealthy(): Promise<void> {
      await until('both nodes to report Redis up', async () => {
        const answers = await Promise.all([health(nodeA), health(nodeB)]);
        return answers.every((answer) => answer.status === 200);
      });
    }

    /** The user's connections as the nodes have counted them in Redis (a field per node). */
    async function countedConnections(user: RegisteredUser): Promise<number> {
      const counts = await admin.hvals(redisKey('presence', user.id));
      return counts.reduce((sum, count) => sum + Number(count), 0);
    }

    /** Whether GET /api/users on `node`, as `viewer`, says `user` is online. */
    async function onlineOn(
      node: Node,
      viewer: RegisteredUser,
      user: RegisteredUser,
    ): Promise<boolean> {
      const response = await node.http().get('/api/users').set('Authorization', viewer.auth);
      expect(response.status).toBe(200);
      const found = (response.body as { id: number; online: boolean }[]).find(
        (entry) => entry.id === user.id,
      );
      return found?.online === true;
    }

    /** Two users in a new room: `a` will be on node A, `b` on node B. */
    async function twoUsersInARoom(): Promise<{
      a: RegisteredUser;
      b: RegisteredUser;
      roomId: number;
    }> {
      const [a, b] = await Promise.all([registerUser(nodeA), registerUser(nodeB)]);
      const { id: roomId } = await createRoom(nodeA, a);
      await joinRoom(nodeB, b, roomId);
      return { a, b, roomId };
    }

    it('reports Redis in /health on both nodes', async () => {
      for (const node of [nodeA, nodeB]) {
        const response = await health(node);
        expect(response.status).toBe(200);
        expect(response.body).toMatchObject({
          status: 'ok',
          storage: 'postgres',
          checks: { storage: 'up', redis: 'up' },
        });
      }
    });

    it('delivers messages across nodes to Socket.IO and raw WebSocket clients, both ways', async () => {
      const { a, b, roomId } = await twoUsersInARoom();
      const socketA = await clients.socket(nodeA.url, a.token);
      const socketB = await clients.socket(nodeB.url, b.token);
      const rawB = await clients.raw(nodeB.url, b.token);

      const onB = nextEvent(socketB, 'chat_message', (m) => m.content === 'from A');
      const onRawB = nextFrame(rawB, (f) => f.type === 'chat_message' && f.content === 'from A');
      const ack = await emitAck(socketA, 'chat_message', { room_id: roomId, content: 'from A' });
      expect(ack.ok).toBe(true);
      expect(await onB).toEqual(ack.message);
      expect(await onRawB).toEqual(ack.message);

      const onA = nextEvent(socketA, 'chat_message', (m) => m.content === 'seed frame from B');
      rawB.send(
        JSON.stringify({ type: 'chat_message', content: 'seed frame from B', room_id: roomId }),
      );
      expect(await onA).toMatchObject({ room_id: roomId, user_id: b.id, username: b.username });
    });

    it('delivers REST posts on one node to clients of the other', async () => {
      const { a, b, roomId } = await twoUsersInARoom();
      const socketB = await clients.socket(nodeB.url, b.token);
      const received = nextEvent(socketB, 'chat_message', (m) => m.content === 'over REST');
      const posted = await nodeA
        .http()
        .post(`/api/rooms/${roomId}/messages`)
        .set('Authorization', a.auth)
        .send({ content: 'over REST' })
        .expect(201);
      expect(await received).toEqual(posted.body);
    });

    it('delivers edits, reactions and deletions across nodes, and catches up on them on either node', async () => {
      const { a, b, roomId } = await twoUsersInARoom();
      const socketA = await clients.socket(nodeA.url, a.token);
      const rawB = await clients.raw(nodeB.url, b.token);
      const sent = await emitAck(socketA, 'chat_message', { room_id: roomId, content: 'typo' });
      const isSent = (frame: Frame) =>
        frame.type === 'message_updated' && frame.message.id === sent.message.id;

      const edited = nextFrame(rawB, isSent);
      const editAck = await emitAck(socketA, 'edit_message', {
        room_id: roomId,
        message_id: sent.message.id,
        content: 'fixed',
      });
      expect(await edited).toEqual({ type: 'message_updated', message: editAck.message });

      const reacted = nextEvent(socketA, 'message_updated', (e) => e.message.reactions.length > 0);
      const reactAck = await rawRequest(rawB, {
        type: 'react',
        room_id: roomId,
        message_id: sent.message.id,
        emoji: '👍',
        on: true,
      });
      expect(await reacted).toEqual({ message: reactAck.message });

      const deleted = nextFrame(rawB, (f) => isSent(f) && f.message.deleted === true);
      await nodeA
        .http()
        .delete(`/api/rooms/${roomId}/messages/${sent.message.id}`)
        .set('Authorization', a.auth)
        .expect(204);
      const tombstone = (await deleted).message;

      for (const node of [nodeA, nodeB]) {
        const changes = await node
          .http()
          .get(`/api/rooms/${roomId}/messages`)
          .query({ changed_after: sent.message.change_id - 1 })
          .expect(200);
        expect(changes.body).toEqual([tombstone]);
      }
    });

    it('lets a reader paging with changed_after see every final state while both nodes change messages', async () => {
      const { a, b, roomId } = await twoUsersInARoom();
      const writers = [
        { user: a, node: nodeA },
        { user: b, node: nodeB },
      ];
      const targets = await Promise.all(
        writers.map(async ({ user, node }) => {
          const response = await node
            .http()
            .post(`/api/rooms/${roomId}/messages`)
            .set('Authorization', user.auth)
            .send({ content: 'start' })
            .expect(201);
          return response.body as { id: number; change_id: number };
        }),
      );
      const start = Math.min(...targets.map((target) => target.change_id)) - 1;

      let writing = true;
      const written = Promise.all(
        writers.map(async ({ user, node }, w) => {
          for (let i = 0; i < 20; i++) {
            const target = targets[(w + i) % 2];
            const path = `/api/rooms/${roomId}/messages/${target.id}`;
            const reaction = `${path}/reactions/${encodeURIComponent(['👍', '🎉'][i % 2])}`;
            const http = node.http();
            const call =
              i % 3 === 0 && target === targets[w]
                ? http.patch(path).send({ content: `edit ${w}.${i}` })
                : i % 4 === 3
                  ? http.delete(reaction)
                  : http.put(reaction);
            await call.set('Authorization', user.auth).expect(200);
          }
        }),
      ).finally(() => {
        writing = false;
      });

      const seen = new Map<number, { id: number; change_id: number }>();
      let last = start;
      const readPage = async (): Promise<number> => {
        const node = [nodeA, nodeB][seen.size % 2];
        const response = await node
          .http()
          .get(`/api/rooms/${roomId}/messages`)
          .query({ changed_after: last, limit: 5 })
          .expect(200);
        for (const message of response.body as { id: number; change_id: number }[]) {
          expect(message.change_id).toBeGreaterThan(last);
          seen.set(message.id, message);
          last = message.change_id;
        }
        return (response.body as unknown[]).length;
      };
      while (writing) await readPage();
      await written;
      while ((await readPage()) > 0);

      const final = await nodeA.http().get(`/api/rooms/${roomId}/messages`).expect(200);
      expect([...seen.values()].sort((x, y) => x.id - y.id)).toEqual(final.body);
    });

    it('subscribes a user’s sockets on every node when they join through another node', async () => {
      const [owner, joiner] = await Promise.all([registerUser(nodeA), registerUser(nodeB)]);
      const { id: roomId } = await createRoom(nodeA, owner);
      const ownerSocket = await clients.socket(nodeA.url, owner.token);
      const joinerSocket = await clients.socket(nodeB.url, joiner.token);
      const joinerRaw = await clients.raw(nodeB.url, joiner.token);

      const announced = nextEvent(ownerSocket, 'user_joined', (e) => e.user_id === joiner.id);
      await joinRoom(nodeA, joiner, roomId); // REST on node A; the sockets live on node B
      expect(await announced).toEqual({
        room_id: roomId,
        user_id: joiner.id,
        username: joiner.username,
      });

      const onSocket = nextEvent(joinerSocket, 'chat_message', (m) => m.content === 'welcome');
      const onRaw = nextFrame(joinerRaw, (f) => f.content === 'welcome');
      await emitAck(ownerSocket, 'chat_message', { room_id: roomId, content: 'welcome' });
      await expect(onSocket).resolves.toMatchObject({ room_id: roomId });
      await expect(onRaw).resolves.toMatchObject({ type: 'chat_message', room_id: roomId });
    });

    describe('moderation across nodes', () => {
      /** A room of `owner` with `member` in it, and another room they share, made on node A. */
      async function roomToModerate() {
        const [owner, member] = await Promise.all([registerUser(nodeA), registerUser(nodeB)]);
        const [room, still] = [await createRoom(nodeA, owner), await createRoom(nodeA, owner)];
        await joinRoom(nodeB, member, room.id);
        await joinRoom(nodeB, member, still.id);
        const socket = await clients.socket(nodeB.url, member.token);
        const raw = await clients.raw(nodeB.url, member.token);
        return { owner, member, room, still, socket, raw };
      }

      const post = (node: Node, user: RegisteredUser, roomId: number, content: string) =>
        node
          .http()
          .post(`/api/rooms/${roomId}/messages`)
          .set('Authorization', user.auth)
          .send({ content });

      /**
       * Proves the member's connections no longer receive `roomId`: messages to it, sent through
       * both nodes, never arrive before a later message to a room they are still in.
       */
      async function expectOutOfRoom(
        people: { owner: RegisteredUser; socket: Socket; raw: WebSocket },
        roomId: number,
        stillId: number,
      ): Promise<void> {
        const { owner, socket, raw } = people;
        const marker = uniqueName('marker');
        const send = async () => {
          // Through the member's own node first: its local delivery is the fastest.
          await post(nodeB, owner, roomId, 'after, through B');
          await post(nodeA, owner, roomId, 'after, through A');
          await post(nodeA, owner, stillId, marker).expect(201);
        };
        const fromRoom = (message: Frame) => message.room_id === roomId;
        const onSocket = expectNoEvent(socket, 'chat_message', fromRoom, {
          send: () => undefined,
          event: 'chat_message',
          predicate: (message) => message.content === marker,
        });
        const onRaw = expectNoFrame(
          raw,
          (frame) => frame.type === 'chat_message' && fromRoom(frame),
          {
            send,
            predicate: (frame) => frame.type === 'chat_message' && frame.content === marker,
          },
        );
        await Promise.all([onSocket, onRaw]);
      }

      it('puts a removed member out on every node before the next message, on both transports', async () => {
        const people = await roomToModerate();
        const { owner, member, room, still, socket, raw } = people;
        const removed = nextEvent(socket, 'room_removed');
        const removedRaw = nextFrame(raw, (frame) => frame.type === 'room_removed');

        await nodeA
          .http()
          .delete(`/api/rooms/${room.id}/members/${member.id}`)
          .set('Authorization', owner.auth)
          .expect(204);

        await expectOutOfRoom(people, room.id, still.id);
        expect(await removed).toEqual({ room_id: room.id });
        expect(await removedRaw).toEqual({ type: 'room_removed', room_id: room.id });
      });

      it('puts a banned member out on every node, and keeps them out', async () => {
        const people = await roomToModerate();
        const { owner, member, room, still } = people;
        await nodeA
          .http()
          .post(`/api/rooms/${room.id}/bans`)
          .set('Authorization', owner.auth)
          .send({ user_id: member.id })
          .expect(204);

        await expectOutOfRoom(people, room.id, still.id);
        const joined = await nodeB
          .http()
          .post(`/api/rooms/${room.id}/join`)
          .set('Authorization', member.auth);
        expect(joined.status).toBe(403);
        expect(joined.body.code).toBe('banned');
      });

      it("stops a deleted room's delivery on every node: room_removed, then nothing more of it", async () => {
        const { owner, room, socket, raw } = await roomToModerate();
        const removed = nextEvent(socket, 'room_removed');
        const removedRaw = nextFrame(raw, (frame) => frame.type === 'room_removed');

        await nodeA
          .http()
          .delete(`/api/rooms/${room.id}`)
          .set('Authorization', owner.auth)
          .expect(204);

        expect(await removed).toEqual({ room_id: room.id });
        expect(await removedRaw).toEqual({ type: 'room_removed', room_id: room.id });
        for (const node of [nodeA, nodeB]) {
          await node.http().get(`/api/rooms/${room.id}`).expect(404);
          expect((await post(node, owner, room.id, 'gone')).status).toBe(404);
        }
        expect(await emitAck(socket, 'join_room', { room_id: room.id })).toMatchObject({
          ok: false,
          error: { code: 'room_not_found' },
        });
      });
    });

    it('opens a direct room across nodes: room_added, delivery, mentions and read state reach every connection', async () => {
      const [a, b] = await Promise.all([registerUser(nodeA), registerUser(nodeB)]);
      const socketA = await clients.socket(nodeA.url, a.token);
      const socketB = await clients.socket(nodeB.url, b.token);
      const rawB = await clients.raw(nodeB.url, b.token);
      const secondB = await clients.socket(nodeA.url, b.token);

      const added = nextEvent(socketB, 'room_added');
      const addedRaw = nextFrame(rawB, (frame) => frame.type === 'room_added');
      const dm = await nodeA
        .http()
        .post('/api/dms')
        .set('Authorization', a.auth)
        .send({ username: b.username })
        .expect(201);
      expect((await added).room).toMatchObject({
        id: dm.body.id,
        name: a.username,
        kind: 'direct',
      });
      expect((await addedRaw).room).toMatchObject({ id: dm.body.id, name: a.username });

      const mentioned = nextEvent(socketB, 'mention');
      const delivered = nextFrame(rawB, (frame) => frame.type === 'chat_message');
      const ack = await emitAck(socketA, 'chat_message', {
        room_id: dm.body.id,
        content: `@${b.username} are you there?`,
      });
      expect(ack.message.mentions).toEqual([b.id]);
      expect(await mentioned).toEqual({ message: ack.message });
      expect(await delivered).toEqual({ type: 'chat_message', ...ack.message });

      const unread = await nodeB
        .http()
        .get(`/api/rooms/${dm.body.id}`)
        .set('Authorization', b.auth)
        .expect(200);
      expect(unread.body).toMatchObject({ unread_count: 1, mention_count: 1 });
      const readElsewhere = nextEvent(socketB, 'read');
      expect(
        await emitAck(secondB, 'mark_read', { room_id: dm.body.id, last_read_id: ack.message.id }),
      ).toEqual({ ok: true });
      expect(await readElsewhere).toEqual({
        room_id: dm.body.id,
        last_read_id: ack.message.id,
        unread_count: 0,
        mention_count: 0,
      });
      // Stored within a second by the node that took the mark; the other node reads it from there.
      await until('the read position to reach the other node', async () => {
        const room = await nodeB
          .http()
          .get(`/api/rooms/${dm.body.id}`)
          .set('Authorization', b.auth)
          .expect(200);
        return room.body.unread_count === 0;
      });
    });

    it('sends typing across nodes to the others only', async () => {
      const { a, b, roomId } = await twoUsersInARoom();
      const socketA = await clients.socket(nodeA.url, a.token);
      const socketB = await clients.socket(nodeB.url, b.token);
      const typingSeenByA: unknown[] = [];
      socketA.on('typing', (event) => typingSeenByA.push(event));

      const typing = nextEvent(socketB, 'typing');
      expect(await emitAck(socketA, 'typing', { room_id: roomId, is_typing: true })).toEqual({
        ok: true,
      });
      expect(await typing).toEqual({
        room_id: roomId,
        user_id: a.id,
        username: a.username,
        is_typing: true,
      });

      // B's marker typing reaches A; A's own typing must not have come before it.
      const marker = nextEvent(socketA, 'typing', (e) => e.user_id === b.id);
      await emitAck(socketB, 'typing', { room_id: roomId, is_typing: true });
      await marker;
      expect(typingSeenByA).toEqual([expect.objectContaining({ user_id: b.id })]);
    });

    it('counts a user’s connections on all nodes for presence', async () => {
      const { a, b, roomId } = await twoUsersInARoom();
      const watcher = await clients.socket(nodeA.url, a.token);
      const presence: { user_id: number; online: boolean }[] = [];
      watcher.on('presence', (event: { user_id: number; online: boolean }) => {
        if (event.user_id === b.id) presence.push(event);
      });

      const online = nextEvent(watcher, 'presence', (e) => e.user_id === b.id);
      const first = await clients.socket(nodeB.url, b.token);
      expect(await online).toEqual({ user_id: b.id, username: b.username, online: true });
      const second = await clients.socket(nodeA.url, b.token);
      const raw = await clients.raw(nodeB.url, b.token);
      const markerSender = await clients.socket(nodeB.url, a.token);
      // A node counts a connection after its handshake: uncounting two of three before the third
      // is counted would rightly announce B offline.
      await until('the three connections of B to be counted', async () => {
        return (await countedConnections(b)) === 3;
      });

      first.disconnect();
      raw.close();
      await until('node B to uncount both', async () => (await countedConnections(b)) === 1);
      // B is still connected on node A. An offline event would come from node B, which has
      // counted both disconnections: its later message, through the same Redis channel, comes
      // after it.
      const marker = nextEvent(watcher, 'chat_message', (m) => m.content === 'still here');
      await emitAck(markerSender, 'chat_message', { room_id: roomId, content: 'still here' });
      await marker;
      expect(presence).toEqual([expect.objectContaining({ online: true })]);

      const offline = nextEvent(watcher, 'presence', (e) => e.user_id === b.id && !e.online);
      second.disconnect();
      expect(await offline).toEqual({ user_id: b.id, username: b.username, online: false });
      expect(presence).toHaveLength(2);
    });

    it('holds the message rate limit across nodes', async () => {
      const { a, roomId } = await twoUsersInARoom();
      const onA = await clients.socket(nodeA.url, a.token);
      const onB = await clients.socket(nodeB.url, a.token);
      for (let i = 0; i < RATE_LIMIT; i++) {
        const socket = i % 2 === 0 ? onA : onB;
        expect(
          await emitAck(socket, 'chat_message', { room_id: roomId, content: `m${i}` }),
        ).toMatchObject({
          ok: true,
        });
      }
      for (const socket of [onA, onB]) {
        const refused = await emitAck(socket, 'chat_message', {
          room_id: roomId,
          content: 'one more',
        });
        expect(refused).toEqual({
          ok: false,
          error: expect.objectContaining({
            code: 'rate_limited',
            retry_after_ms: expect.any(Number),
          }),
        });
      }
    });

    it('shares the auth rate limit between nodes: the 4th attempt, on another node, is refused', async () => {
      const credentials = { username: uniqueName('rl'), password: 'wrong password' };
      for (let attempt = 1; attempt <= AUTH_LIMIT; attempt++) {
        await limitedA.http().post('/api/auth/login').send(credentials).expect(401);
      }
      const refused = await limitedB.http().post('/api/auth/login').send(credentials);
      expect(refused.status).toBe(429);
      expect(refused.body).toMatchObject({ status_code: 429, code: 'rate_limited' });
      expect(refused.body.retry_after_ms).toBeGreaterThan(0);
      expect(refused.body.retry_after_ms).toBeLessThanOrEqual(60_000);
    });

    it('acknowledges sends within about a second while Redis hangs (commands time out)', async () => {
      const { a, b, roomId } = await twoUsersInARoom();
      const socketA = await clients.socket(nodeA.url, a.token);
      const socketB = await clients.socket(nodeB.url, b.token);
      redis.pause();
      try {
        const started = Date.now();
        const ack = await emitAck(socketA, 'chat_message', {
          room_id: roomId,
          content: 'while Redis hangs',
        });
        expect(ack.ok).toBe(true);
        expect(Date.now() - started).toBeLessThan(2_000);
      } finally {
        redis.resume();
      }
      await bothHealthy();
      await resumedDelivery(socketA, socketB, roomId);
    });

    describe('when Redis goes away and comes back', () => {
      it('keeps serving local sockets, answers 503 naming Redis, then resumes cross-node delivery; sync recovers the gap', async () => {
        const { a, b, roomId } = await twoUsersInARoom();
        const localPeer = await registerUser(nodeA, uniqueName('peer'));
        await joinRoom(nodeA, localPeer, roomId);
        const socketA = await clients.socket(nodeA.url, a.token);
        const peerA = await clients.socket(nodeA.url, localPeer.token);
        const socketB = await clients.socket(nodeB.url, b.token);

        const before = nextEvent(socketB, 'chat_message', (m) => m.content === 'before');
        await emitAck(socketA, 'chat_message', { room_id: roomId, content: 'before' });
        const beforeId = (await before).id as number;

        await redis.stop();
        await until('both nodes to report Redis down', async () => {
          const answers = await Promise.all([health(nodeA), health(nodeB)]);
          return answers.every(
            (answer) =>
              answer.status === 503 &&
              answer.body.status === 'error' &&
              answer.body.checks?.redis === 'down' &&
              answer.body.checks?.storage === 'up',
          );
        });

        // Local delivery goes on: both sockets are on node A; sends are stored and acked.
        const missed: number[] = [];
        for (const content of ['during 1', 'during 2', 'during 3']) {
          const local = nextEvent(peerA, 'chat_message', (m) => m.content === content);
          const ack = await emitAck(socketA, 'chat_message', { room_id: roomId, content });
          expect(ack.ok).toBe(true);
          await local;
          missed.push(ack.message.id as number);
        }

        await redis.start();
        await bothHealthy();
        // Cross-node delivery resumes by itself, once the subscriber has reconnected.
        await resumedDelivery(socketA, socketB, roomId);

        const sync = await emitAck(socketB, 'sync', { room_id: roomId, after_id: beforeId });
        expect(sync.ok).toBe(true);
        const recovered = (sync.messages as { id: number }[]).map((m) => m.id);
        expect(recovered.slice(0, missed.length)).toEqual(missed);
        expect(new Set(recovered).size).toBe(recovered.length);
      }, 60_000);

      it('re-subscribes the other node’s connections to rooms joined during the outage and asks their clients to sync', async () => {
        const [owner, joiner] = await Promise.all([registerUser(nodeA), registerUser(nodeB)]);
        const { id: roomId } = await createRoom(nodeA, owner);
        const ownerSocket = await clients.socket(nodeA.url, owner.token);
        const joinerSocket = await clients.socket(nodeB.url, joiner.token);
        const joinerRaw = await clients.raw(nodeB.url, joiner.token);

        await redis.stop();
        await until(
          'node A to report Redis down',
          async () => (await health(nodeA)).status === 503,
        );
        // Stored, but the request to subscribe the joiner's sockets on node B is lost.
        await joinRoom(nodeA, joiner, roomId);

        const resync = nextEvent(joinerSocket, 'resync', () => true, DEADLINE_MS);
        const rawResync = nextFrame(joinerRaw, (f) => f.type === 'resync', DEADLINE_MS);
        await redis.start();
        await bothHealthy();
        expect(await resync).toEqual({ reason: 'redis_recovered' });
        expect(await rawResync).toEqual({ type: 'resync', reason: 'redis_recovered' });

        await resumedDelivery(ownerSocket, joinerSocket, roomId);
        const onRaw = nextFrame(joinerRaw, (f) => f.content === 'to the raw client too');
        await emitAck(ownerSocket, 'chat_message', {
          room_id: roomId,
          content: 'to the raw client too',
        });
        await expect(onRaw).resolves.toMatchObject({ type: 'chat_message', room_id: roomId });
      }, 60_000);

      it('answers a removal while Redis is down, and the other node drops the room once Redis is back', async () => {
        const [owner, member] = await Promise.all([registerUser(nodeA), registerUser(nodeB)]);
        const [room, still] = [await createRoom(nodeA, owner), await createRoom(nodeA, owner)];
        await joinRoom(nodeA, member, room.id);
        await joinRoom(nodeA, member, still.id);
        const ownerSocket = await clients.socket(nodeA.url, owner.token);
        const local = await clients.socket(nodeA.url, member.token);
        const remote = await clients.socket(nodeB.url, member.token);

        await redis.stop();
        await until(
          'node A to report Redis down',
          async () => (await health(nodeA)).status === 503,
        );
        // The other node cannot confirm: the answer comes once the wait for it gives up.
        const removed = nextEvent(local, 'room_removed');
        await nodeA
          .http()
          .delete(`/api/rooms/${room.id}/members/${member.id}`)
          .set('Authorization', owner.auth)
          .expect(204);
        expect(await removed).toEqual({ room_id: room.id });

        const resync = nextEvent(remote, 'resync', () => true, DEADLINE_MS);
        await redis.start();
        await bothHealthy();
        await resync;
        await resumedDelivery(ownerSocket, remote, still.id);
        const marker = uniqueName('marker');
        await expectNoEvent(remote, 'chat_message', (message) => message.room_id === room.id, {
          send: async () => {
            await emitAck(ownerSocket, 'chat_message', { room_id: room.id, content: 'after' });
            await emitAck(ownerSocket, 'chat_message', { room_id: still.id, content: marker });
          },
          event: 'chat_message',
          predicate: (message) => message.content === marker,
        });
      }, 60_000);

      it('shows a user who left during the outage offline on the other node once Redis is back', async () => {
        const [leaver, stayer, viewer] = await Promise.all([
          registerUser(nodeA),
          registerUser(nodeA),
          registerUser(nodeB),
        ]);
        const socket = await clients.socket(nodeA.url, leaver.token);
        await clients.socket(nodeA.url, stayer.token);
        await until('the user to be online on node B', () => onlineOn(nodeB, viewer, leaver));

        await redis.stop(); // Redis keeps its data (append-only file): the count of 1 stays.
        await until('node A to report Redis down', async () => {
          return (await health(nodeA)).status === 503;
        });
        socket.disconnect();
        // Node A answers from its own counts meanwhile: once it says offline, it has seen the
        // disconnection (and failed to write it to Redis).
        await until('node A to see the user leave', async () => {
          return !(await onlineOn(nodeA, viewer, leaver));
        });

        await redis.start();
        await bothHealthy();
        // Seeing the user who stayed proves node B answers from Redis again, not from its own
        // counts (where neither user is).
        await until('node B to show the user offline, and the one who stayed online', async () => {
          return (
            (await onlineOn(nodeB, viewer, stayer)) && !(await onlineOn(nodeB, viewer, leaver))
          );
        });
      }, 60_000);
    });
  },
);

/**
 * Sends probes from `from`, one a PROBE_INTERVAL_MS, until any of them has reached `to` (bounded):
 * the adapter's subscription is back. A probe that arrives late still counts.
 */
async function resumedDelivery(from: Socket, to: Socket, roomId: number): Promise<void> {
  const tag = `${uniqueName('probe')} `;
  let arrived = false;
  const listener = (message: { content: string }) => {
    if (message.content.startsWith(tag)) arrived = true;
  };
  to.on('chat_message', listener);
  let probe = 0;
  try {
    await until(
      'cross-node delivery to resume after Redis came back',
      async () => {
        if (arrived) return true;
        const content = `${tag}${probe++}`;
        // A refused probe (rate limit) would never arrive: say so rather than time out.
        expect(await emitAck(from, 'chat_message', { room_id: roomId, content })).toMatchObject({
          ok: true,
        });
        return false;
      },
      DEADLINE_MS,
      PROBE_INTERVAL_MS,
    );
  } finally {
    to.off('chat_message', listener);
  }
}
