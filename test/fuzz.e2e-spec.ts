import fc from 'fast-check';
import type { Response } from 'supertest';
import { createRoom, CreatedRoom } from './factories/rooms.factory';
import { registerUser, RegisteredUser, uniqueName } from './factories/users.factory';
import {
  anyBodyText,
  anyJsonText,
  jsonMutation,
  mutatedJson,
  mutatedQuery,
  Mutation,
  pathIdText,
  queryMutation,
  socketIoArguments,
} from './support/fuzz-inputs';
import { expectNoServerFault } from './support/http-expectations';
import type { Received } from './support/realtime-clients';
import { expectNoServerFaultAck } from './support/realtime-fixtures';
import { STORES, startApp, TestApp } from './support/test-app';
import { createScratchDatabase, ScratchDatabase } from './support/test-database';
import {
  connectWireRaw,
  connectWireSocketIo,
  RawWireClient,
  WireClient,
} from './support/wire-clients';

function integerFromEnv(name: string, fallback: number, min: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min) {
    throw new Error(`${name} must be an integer of at least ${min} (got "${text}")`);
  }
  return value;
}

/** A failure prints its seed and counterexample; FUZZ_SEED replays it, FUZZ_RUNS runs longer. */
const SEED = integerFromEnv('FUZZ_SEED', 20_261_130, -(2 ** 31));
const RUNS = integerFromEnv('FUZZ_RUNS', 40, 1);
/** Register and login hash a password (argon2, tens of ms) for many inputs: half the runs. */
const AUTH_RUNS = Math.ceil(RUNS / 2);
/** Commands per run; the state is compared with the model after each run. */
const MAX_BATCH = 4;
const TEST_TIMEOUT_MS = 60_000 + RUNS * 1_000;

/** What the fuzzed commands could change, each read with one request. */
type Facet = 'messages' | 'memberships' | 'rooms' | 'secretMembers' | 'users';
const FACETS: readonly Facet[] = ['messages', 'memberships', 'rooms', 'secretMembers', 'users'];

const sortedIds = (items: { id: number }[]) => items.map(({ id }) => id).sort((a, b) => a - b);

/**
 * The state the fuzzed commands may change, as expected from the commands the server accepted:
 * the messages of `talk` (alice's room), the rooms bob is in, the rooms alice sees, the members of
 * `secret` (alice's private room) and the users. After each run the server's state must equal the
 * model's, so a refused command that changed something is caught. The model then takes the
 * server's state, so that the runs after a failure (fast-check's shrinking) are judged alone.
 */
class World {
  /** Messages of `talk` up to this id have been compared; the accepted ones above it follow. */
  private newestMessageId = 0;
  private readonly acceptedMessageIds = new Set<number>();
  private readonly sets: Record<Exclude<Facet, 'messages'>, Set<number>> = {
    memberships: new Set(),
    rooms: new Set(),
    secretMembers: new Set(),
    users: new Set(),
  };

  constructor(
    private readonly app: TestApp,
    private readonly alice: RegisteredUser,
    private readonly bob: RegisteredUser,
    private readonly talk: CreatedRoom,
    private readonly secret: CreatedRoom,
  ) {}

  stored(message: { id: number; room_id: number }): void {
    if (message.room_id === this.talk.id) this.acceptedMessageIds.add(message.id);
  }

  bobJoined(roomId: number): void {
    this.sets.memberships.add(roomId);
  }

  bobLeft(roomId: number): void {
    this.sets.memberships.delete(roomId);
  }

  roomCreated(roomId: number): void {
    this.sets.rooms.add(roomId);
  }

  memberAdded(roomId: number, userId: number): void {
    if (roomId === this.secret.id) this.sets.secretMembers.add(userId);
  }

  registered(userId: number): void {
    this.sets.users.add(userId);
  }

  /** Takes the server's state, after a command failed before its changes could be recorded. */
  async reload(facets: readonly Facet[]): Promise<void> {
    for (const facet of facets) this.adopt(facet, await this.read(facet));
  }

  async expectOnlyAcceptedChanges(facets: readonly Facet[]): Promise<void> {
    for (const facet of facets) {
      const actual = await this.read(facet);
      const expected = this.expected(facet);
      this.adopt(facet, actual);
      expect({ [facet]: actual }).toEqual({ [facet]: expected });
    }
  }

  private expected(facet: Facet): number[] {
    if (facet !== 'messages') return [...this.sets[facet]].sort((a, b) => a - b);
    return [...this.acceptedMessageIds]
      .filter((id) => id > this.newestMessageId)
      .sort((a, b) => a - b);
  }

  private adopt(facet: Facet, ids: number[]): void {
    if (facet === 'messages') {
      this.newestMessageId = Math.max(this.newestMessageId, ...ids);
      this.acceptedMessageIds.clear();
    } else {
      this.sets[facet] = new Set(ids);
    }
  }

  private async read(facet: Facet): Promise<number[]> {
    switch (facet) {
      case 'messages':
        return sortedIds(
          await this.get(
            `/api/rooms/${this.talk.id}/messages?after=${this.newestMessageId}&limit=200`,
            this.alice,
          ),
        );
      case 'memberships':
        return sortedIds(
          (await this.get<{ id: number; is_member: boolean }>('/api/rooms', this.bob)).filter(
            (room) => room.is_member,
          ),
        );
      case 'rooms':
        return sortedIds(await this.get('/api/rooms', this.alice));
      case 'secretMembers':
        return sortedIds(await this.get(`/api/rooms/${this.secret.id}/members`, this.alice));
      case 'users':
        return sortedIds(await this.get('/api/users', this.alice));
    }
  }

  private async get<T extends { id: number }>(path: string, user: RegisteredUser): Promise<T[]> {
    const response = await this.app.http().get(path).set('Authorization', user.auth).expect(200);
    return response.body as T[];
  }
}

/** Whether the server took the request (2xx) rather than refusing it. */
const accepted = (response: Response) => response.status < 300;

describe.each(STORES)('fuzzing every input on the %s store', (store) => {
  let database: ScratchDatabase | undefined;
  let app: TestApp;
  let alice: RegisteredUser;
  let bob: RegisteredUser;
  let carol: RegisteredUser;
  /** alice's public room, where she sends. */
  let talk: CreatedRoom;
  /** alice's public room that bob joins and leaves. */
  let lobby: CreatedRoom;
  /** alice's private room, to which she adds members. */
  let secret: CreatedRoom;
  let world: World;
  let socketIo: Record<'alice' | 'bob', WireClient>;
  let raw: Record<'alice' | 'bob', RawWireClient>;
  let clientMsgIds = 0;

  beforeAll(async () => {
    // Fuzzed ids reach any room of the database: one of its own keeps other suites' rooms out.
    database = store === 'postgres' ? await createScratchDatabase('chat_fuzz') : undefined;
    app = await startApp(store, database ? { DATABASE_URL: database.url } : {});
    [alice, bob, carol] = await Promise.all([
      registerUser(app),
      registerUser(app),
      registerUser(app),
    ]);
    [talk, lobby, secret] = await Promise.all([
      createRoom(app, alice),
      createRoom(app, alice),
      createRoom(app, alice, { isPrivate: true }),
    ]);
    socketIo = {
      alice: await connectWireSocketIo(app.url, alice.token),
      bob: await connectWireSocketIo(app.url, bob.token),
    };
    raw = {
      alice: await connectWireRaw(app.url, alice.token),
      bob: await connectWireRaw(app.url, bob.token),
    };
    world = new World(app, alice, bob, talk, secret);
    await world.reload(FACETS);
  });

  afterAll(async () => {
    for (const client of [...Object.values(socketIo ?? {}), ...Object.values(raw ?? {})]) {
      client.close();
    }
    await app?.close();
    await database?.drop();
  });

  /**
   * Runs `command` on batches of inputs (RUNS batches, or `runs`), then compares the `facets`
   * the commands could change with what the server accepted.
   */
  function fuzz<T>(
    input: fc.Arbitrary<T>,
    facets: readonly Facet[],
    command: (input: T) => Promise<void>,
    runs = RUNS,
  ): Promise<void> {
    return fc.assert(
      fc.asyncProperty(fc.array(input, { minLength: 1, maxLength: MAX_BATCH }), async (batch) => {
        try {
          for (const item of batch) await command(item);
        } catch (error) {
          await world.reload(facets);
          throw error;
        }
        await world.expectOnlyAcceptedChanges(facets);
      }),
      { seed: SEED, numRuns: runs },
    );
  }

  function call(
    method: 'get' | 'post',
    path: string,
    user: RegisteredUser | undefined,
    body?: string,
  ) {
    const request = method === 'get' ? app.http().get(path) : app.http().post(path);
    if (user) request.set('Authorization', user.auth);
    return body === undefined
      ? request
      : request.set('Content-Type', 'application/json').send(body);
  }

  const nextClientMsgId = () => JSON.stringify(`fuzz-${store}-${++clientMsgIds}`);

  describe('REST: never a 5xx, refusals in the contract shape, nothing changed by a refusal', () => {
    /** Each body's route, caller, valid body (values as JSON text), and what its acceptance changed. */
    const BODIES: Record<
      string,
      {
        path: () => string;
        user: () => RegisteredUser | undefined;
        base: () => Record<string, string>;
        facet: Facet;
        runs?: number;
        accept?: (response: Response) => void;
      }
    > = {
      'POST /api/auth/register': {
        path: () => '/api/auth/register',
        user: () => undefined,
        base: () => ({
          username: JSON.stringify(uniqueName('fuzz')),
          password: '"correct horse battery"',
        }),
        facet: 'users',
        runs: AUTH_RUNS,
        accept: (response) => world.registered(response.body.user.id),
      },
      'POST /api/auth/login': {
        path: () => '/api/auth/login',
        user: () => undefined,
        base: () => ({
          username: JSON.stringify(alice.username),
          password: JSON.stringify(alice.password),
        }),
        facet: 'users',
        runs: AUTH_RUNS,
      },
      'POST /api/rooms': {
        path: () => '/api/rooms',
        user: () => alice,
        base: () => ({
          name: JSON.stringify(uniqueName('fuzz')),
          description: '"fuzzed"',
          is_private: 'false',
        }),
        facet: 'rooms',
        accept: (response) => world.roomCreated(response.body.id),
      },
      'POST /api/rooms/:id/messages': {
        path: () => `/api/rooms/${talk.id}/messages`,
        user: () => alice,
        base: () => ({ content: '"hello"', client_msg_id: nextClientMsgId() }),
        facet: 'messages',
        accept: (response) => world.stored(response.body),
      },
      'POST /api/rooms/:id/members': {
        path: () => `/api/rooms/${secret.id}/members`,
        user: () => alice,
        base: () => ({ username: JSON.stringify(carol.username) }),
        facet: 'secretMembers',
        accept: (response) => world.memberAdded(secret.id, response.body.id),
      },
    };

    it.each(Object.keys(BODIES))(
      '%s bodies',
      (route) => {
        const { path, user, base, facet, runs, accept } = BODIES[route];
        const mutation = jsonMutation(Object.keys(base()), anyBodyText);
        return fuzz(
          mutation,
          [facet],
          async (change) => {
            const response = await call('post', path(), user(), mutatedJson(base(), change));
            expectNoServerFault(response);
            if (accepted(response)) accept?.(response);
          },
          runs,
        );
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'query strings of every GET route',
      () => {
        const routes: Record<string, { path: () => string; base: Record<string, string> }> = {
          history: {
            path: () => `/api/rooms/${talk.id}/messages`,
            base: { limit: '10', before: '1000', after: '0' },
          },
          rooms: { path: () => '/api/rooms', base: {} },
          users: { path: () => '/api/users', base: {} },
          me: { path: () => '/api/users/me', base: {} },
        };
        const input = fc.constantFrom(...Object.keys(routes)).chain((route) =>
          fc.record({
            route: fc.constant(route),
            mutation: queryMutation(Object.keys(routes[route].base)),
          }),
        );
        return fuzz(input, ['messages'], async ({ route, mutation }) => {
          const { path, base } = routes[route];
          const query = mutatedQuery(base, mutation);
          expectNoServerFault(await call('get', `${path()}?${query}`, alice));
        });
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'path ids of every route with one (and bodies where none is read)',
      () => {
        /** Each route's caller, body, and what its acceptance changed. */
        const routes: Record<
          string,
          {
            method: 'get' | 'post';
            path: string;
            user: RegisteredUser;
            body?: () => string;
            accept?: (response: Response, id: number) => void;
          }
        > = {
          'GET /api/rooms/:id': { method: 'get', path: '', user: bob },
          'GET /api/rooms/:id/messages': { method: 'get', path: '/messages', user: bob },
          'POST /api/rooms/:id/messages': {
            method: 'post',
            path: '/messages',
            user: alice,
            body: () => `{"content":"hello","client_msg_id":${nextClientMsgId()}}`,
            accept: (response) => world.stored(response.body),
          },
          'POST /api/rooms/:id/join': {
            method: 'post',
            path: '/join',
            user: bob,
            accept: (response) => world.bobJoined(response.body.id),
          },
          'POST /api/rooms/:id/leave': {
            method: 'post',
            path: '/leave',
            user: bob,
            accept: (_, id) => world.bobLeft(id),
          },
          'GET /api/rooms/:id/members': { method: 'get', path: '/members', user: bob },
          'POST /api/rooms/:id/members': {
            method: 'post',
            path: '/members',
            user: alice,
            body: () => JSON.stringify({ username: carol.username }),
            accept: (response, id) => world.memberAdded(id, response.body.id),
          },
        };
        const input = fc.record({
          route: fc.constantFrom(...Object.keys(routes)),
          id: pathIdText,
          /** Sent to routes that read no body, which must not trip on it either. */
          unreadBody: fc.option(anyBodyText),
        });
        return fuzz(
          input,
          ['messages', 'memberships', 'secretMembers'],
          async ({ route, id, unreadBody }) => {
            const { method, path, user, body, accept } = routes[route];
            const sent = body?.() ?? (method === 'post' ? (unreadBody ?? undefined) : undefined);
            const response = await call(method, `/api/rooms/${id}${path}`, user, sent);
            expectNoServerFault(response);
            if (accepted(response)) accept?.(response, Number(decodeURIComponent(id)));
          },
        );
      },
      TEST_TIMEOUT_MS,
    );
  });

  describe('real time: refusals acked in the contract shape, the connection up, nothing changed', () => {
    /** Each event's sender, valid payload (values as JSON text), and what its acceptance changed. */
    const EVENTS: Record<
      string,
      {
        user: 'alice' | 'bob';
        base: () => Record<string, string>;
        facet: Facet;
        accept?: (ack: Received, payload: string) => void;
      }
    > = {
      chat_message: {
        user: 'alice',
        base: () => ({
          room_id: String(talk.id),
          content: '"hello"',
          client_msg_id: nextClientMsgId(),
        }),
        facet: 'messages',
        accept: (ack) => world.stored(ack.message),
      },
      join_room: {
        user: 'bob',
        base: () => ({ room_id: String(lobby.id) }),
        facet: 'memberships',
        accept: (ack) => world.bobJoined(ack.room.id),
      },
      leave_room: {
        user: 'bob',
        base: () => ({ room_id: String(lobby.id) }),
        facet: 'memberships',
        accept: (_, payload) => world.bobLeft((JSON.parse(payload) as { room_id: number }).room_id),
      },
      typing: {
        user: 'alice',
        base: () => ({ room_id: String(talk.id), is_typing: 'true' }),
        facet: 'messages',
      },
      sync: {
        user: 'alice',
        base: () => ({ room_id: String(talk.id), after_id: '0', limit: '5' }),
        facet: 'messages',
      },
    };

    const cases = (['socket.io', 'raw'] as const).flatMap((transport) =>
      Object.keys(EVENTS).map((event) => [transport, event] as const),
    );

    it.each(cases)(
      '%s %s payloads',
      async (transport, event) => {
        const { user, base, facet, accept } = EVENTS[event];
        const client = (transport === 'socket.io' ? socketIo : raw)[user];
        // A raw frame is the payload's fields with `type` and `request_id`, whose own fuzzing
        // (and that of frames that are no object) comes below.
        const mutation =
          transport === 'socket.io'
            ? jsonMutation(Object.keys(base()), fc.oneof(anyJsonText, socketIoArguments))
            : jsonMutation(Object.keys(base())).filter(
                (change) => !('add' in change && change.add === 'request_id'),
              );
        await fuzz(mutation, [facet], async (change: Mutation) => {
          const payload = mutatedJson(base(), change);
          const ack = await client.command(event, payload);
          expectNoServerFaultAck(ack);
          expect({ open: client.isOpen() }).toEqual({ open: true });
          if (ack.ok) accept?.(ack, payload);
        });
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'raw frames: any text (JSON or not), any type and request_id',
      () => {
        const base = {
          type: '"sync"',
          request_id: '"fuzz"',
          room_id: String(talk.id),
          after_id: '0',
        };
        return fuzz(jsonMutation(Object.keys(base), anyBodyText), ['messages'], async (change) => {
          const answers = await raw.alice.frame(mutatedJson(base, change));
          for (const { type, request_id: _, ...answer } of answers) {
            expectNoServerFaultAck(type === 'ack' ? answer : { ok: false, error: answer });
          }
          expect({ open: raw.alice.isOpen() }).toEqual({ open: true });
        });
      },
      TEST_TIMEOUT_MS,
    );
  });

  it('stays healthy: /health, a send on every transport, and no change beyond the accepted', async () => {
    expect((await app.http().get('/health').expect(200)).body).toMatchObject({ status: 'ok' });
    const sent = await call(
      'post',
      `/api/rooms/${talk.id}/messages`,
      alice,
      '{"content":"after the fuzz, over REST"}',
    );
    expect(sent.status).toBe(201);
    world.stored(sent.body);
    for (const client of [socketIo.alice, raw.alice]) {
      const ack = await client.command(
        'chat_message',
        `{"room_id":${talk.id},"content":"after the fuzz"}`,
      );
      expect(ack).toMatchObject({ ok: true, message: { content: 'after the fuzz' } });
      world.stored(ack.message);
    }
    for (const client of [socketIo.bob, raw.bob]) {
      const ack = await client.command('join_room', `{"room_id":${lobby.id}}`);
      expect(ack).toMatchObject({ ok: true, room: { id: lobby.id } });
      world.bobJoined(lobby.id);
    }
    await world.expectOnlyAcceptedChanges(FACETS);
  });
});
