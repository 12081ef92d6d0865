import { createRoom, sendMessage } from './factories/rooms.factory';
import { RegisteredUser, registerUser } from './factories/users.factory';
import { expectError } from './support/http-expectations';
import { until } from './support/polling';
import { nextClose, nextEvent, nextFrame, RealtimeClients } from './support/realtime-clients';
import { killAll, startNode, type ServerNode } from './support/server-process';
import { STORES } from './support/test-app';
import { testDatabaseUrl } from './support/test-database';
import { TestRedis } from './support/test-redis';

/** Two processes start at once, each taking seconds of CPU to boot on a busy machine. */
const NODES_START_DEADLINE_MS = 60_000;
/** A node finds Redis back, and reports its recovery, within seconds. */
const RECOVERY_DEADLINE_MS = 20_000;

type Node = ServerNode;

/** Another sign-in of the same user, on `node`: a session of its own. */
async function signIn(node: Node, user: RegisteredUser): Promise<RegisteredUser> {
  const response = await node
    .http()
    .post('/api/auth/login')
    .send({ username: user.username, password: user.password })
    .expect(200);
  const token = response.body.access_token as string;
  return { ...user, token, auth: `Bearer ${token}` };
}

// Several processes share sessions only through a shared store: this suite needs PostgreSQL.
describe.each(STORES.filter((store) => store === 'postgres'))(
  'sessions across two server processes on one database and one Redis (%s store)',
  () => {
    const clients = new RealtimeClients();
    let redis: TestRedis;
    let nodeA: Node;
    let nodeB: Node;

    beforeAll(async () => {
      redis = await TestRedis.start();
      const env = {
        DATABASE_URL: testDatabaseUrl(),
        REDIS_URL: redis.url,
        JWT_SECRET: 'sessions-multi-node-test-secret-0123',
        LOG_LEVEL: 'error',
        RATE_LIMIT_AUTH: '0',
        RATE_LIMIT_MESSAGES: '0',
      };
      [nodeA, nodeB] = await Promise.all(
        [env, env].map((nodeEnv) => startNode(nodeEnv, NODES_START_DEADLINE_MS)),
      );
    }, NODES_START_DEADLINE_MS + 10_000);

    afterEach(() => clients.closeAll());

    afterAll(async () => {
      await killAll();
      await redis?.dispose();
    });

    const me = (node: Node, user: RegisteredUser) =>
      node.http().get('/api/users/me').set('Authorization', user.auth);

    it('a logout on one process is refused at once on the other, whose connections of the session close', async () => {
      const user = await registerUser(nodeA);
      const otherTab = await signIn(nodeA, user);
      const room = await createRoom(nodeA, user);
      // Process B has the session confirmed, in its cache, before it ends.
      await me(nodeB, user).expect(200);
      const socket = await clients.socket(nodeB.url, user.token);
      const raw = await clients.raw(nodeB.url, user.token);
      const otherSocket = await clients.socket(nodeB.url, otherTab.token);
      const otherRaw = await clients.raw(nodeB.url, otherTab.token);
      const socketError = nextEvent(socket, 'error');
      const socketGone = nextEvent(socket, 'disconnect');
      const rawError = nextFrame(raw, (frame) => frame.type === 'error');
      const rawClosed = nextClose(raw);

      await nodeA.http().post('/api/auth/logout').set('Authorization', user.auth).expect(204);

      expectError(await me(nodeB, user), 401, 'unauthorized');
      expect(await socketError).toEqual({
        code: 'unauthorized',
        message: expect.stringMatching(/session has ended/),
      });
      expect(await socketGone).toBe('io server disconnect');
      expect(await rawError).toMatchObject({ type: 'error', code: 'unauthorized' });
      expect(await rawClosed).toEqual({ code: 4001, reason: 'session ended' });
      expect((await clients.refusedSocket(nodeB.url, user.token)).message).toBe('unauthorized');
      // The user's other session, connected to B, still receives what A delivers.
      const delivered = nextEvent(otherSocket, 'chat_message', (m) => m.content === 'from A');
      const deliveredRaw = nextFrame(otherRaw, (f) => f.type === 'chat_message');
      await sendMessage(nodeA, otherTab, room.id, 'from A');
      expect(await delivered).toMatchObject({ room_id: room.id, content: 'from A' });
      expect(await deliveredRaw).toMatchObject({ room_id: room.id, content: 'from A' });
      await me(nodeB, otherTab).expect(200);
    });

    it('a logout-all on one process ends the user’s sessions on the other', async () => {
      const user = await registerUser(nodeB);
      const otherTab = await signIn(nodeB, user);
      await me(nodeA, otherTab).expect(200);
      const socket = await clients.socket(nodeA.url, otherTab.token);
      const raw = await clients.raw(nodeA.url, otherTab.token);
      const socketGone = nextEvent(socket, 'disconnect');
      const rawClosed = nextClose(raw);

      await nodeB.http().post('/api/auth/logout-all').set('Authorization', user.auth).expect(204);

      expectError(await me(nodeA, otherTab), 401, 'unauthorized');
      expectError(await me(nodeA, user), 401, 'unauthorized');
      expect(await socketGone).toBe('io server disconnect');
      expect(await rawClosed).toEqual({ code: 4001, reason: 'session ended' });
    });

    it(
      'connections on the other process of a session ended while Redis was down close once it is back',
      async () => {
        const user = await registerUser(nodeA);
        const otherTab = await signIn(nodeA, user);
        await me(nodeB, user).expect(200);
        const socket = await clients.socket(nodeB.url, user.token);
        const raw = await clients.raw(nodeB.url, user.token);
        const otherSocket = await clients.socket(nodeB.url, otherTab.token);
        const socketGone = nextEvent(socket, 'disconnect', () => true, RECOVERY_DEADLINE_MS);
        const rawClosed = nextClose(raw, RECOVERY_DEADLINE_MS);
        const health = (node: Node) => node.http().get('/health');

        await redis.stop();
        await until('both nodes to find Redis down', async () =>
          [await health(nodeA), await health(nodeB)].every((answer) => answer.status === 503),
        );
        await nodeA.http().post('/api/auth/logout').set('Authorization', user.auth).expect(204);
        await redis.start();

        expect(await socketGone).toBe('io server disconnect');
        expect(await rawClosed).toEqual({ code: 4001, reason: 'session ended' });
        expectError(await me(nodeB, user), 401, 'unauthorized');
        await until('both nodes to find Redis back', async () =>
          [await health(nodeA), await health(nodeB)].every((answer) => answer.status === 200),
        );
        expect(otherSocket.connected).toBe(true);
        await me(nodeB, otherTab).expect(200);
      },
      2 * RECOVERY_DEADLINE_MS,
    );
  },
);
