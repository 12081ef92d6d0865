import { createRoom, CreatedRoom } from './factories/rooms.factory';
import { registerUser, RegisteredUser, uniqueName } from './factories/users.factory';
import { expectError, expectValidationFailed } from './support/http-expectations';
import { errorAck } from './support/realtime-fixtures';
import { nextFrame, openRaw } from './support/realtime-clients';
import { STORES, startApp, TestApp } from './support/test-app';
import { connectWireRaw, connectWireSocketIo, WireClient } from './support/wire-clients';

/** JSON text of `inner` wrapped in `depth` arrays: about 2 bytes a level. */
function nested(inner: string, depth: number): string {
  return `${'['.repeat(depth)}${inner}${']'.repeat(depth)}`;
}

/** `{"a\uFE0F"...}`: each pair is two code points that validator.js counted as one character. */
const SELECTED = (count: number) => '"' + 'a\\uFE0F'.repeat(count) + '"';
const LONE_SURROGATE = '"lone \\ud800 surrogate"';

/**
 * Bodies of a send (JSON text, the room in the path or added for real-time) that must be refused
 * with validation_failed naming the field, whatever the transport.
 */
const BAD_SENDS: [string, string, string][] = [
  ['content nested 5,000 arrays deep', `{"content":${nested('"hi"', 5000)}}`, 'content'],
  [
    'a client_msg_id of 256 code points',
    `{"content":"hi","client_msg_id":${SELECTED(128)}}`,
    'client_msg_id',
  ],
  ['content with a lone surrogate', `{"content":${LONE_SURROGATE}}`, 'content'],
  [
    'a client_msg_id with a lone surrogate',
    `{"content":"hi","client_msg_id":"\\udc00"}`,
    'client_msg_id',
  ],
  ['a __proto__ key', `{"content":"hi","__proto__":{"admin":true}}`, '__proto__'],
  ['a constructor key', `{"content":"hi","constructor":{"name":"x"}}`, 'constructor'],
  ['a key with a lone surrogate', `{"content":"hi","\\ud800":1}`, 'body'],
];

describe.each(STORES)('bad input on the %s store', (store) => {
  let app: TestApp;
  let alice: RegisteredUser;
  let room: CreatedRoom;

  beforeAll(async () => {
    app = await startApp(store);
    alice = await registerUser(app);
    room = await createRoom(app, alice);
  });

  afterAll(async () => {
    await app?.close();
  });

  const history = async (roomId = room.id) =>
    (
      await app
        .http()
        .get(`/api/rooms/${roomId}/messages`)
        .set('Authorization', alice.auth)
        .expect(200)
    ).body as { id: number; content: string; client_msg_id: string | null }[];

  const postJson = (path: string, text: string, user: RegisteredUser | undefined = alice) => {
    const call = app.http().post(path).set('Content-Type', 'application/json');
    return (user ? call.set('Authorization', user.auth) : call).send(text);
  };

  describe('sends refused on every transport, with nothing stored and the connection up', () => {
    let socketIo: WireClient;
    let raw: WireClient;

    beforeAll(async () => {
      [socketIo, raw] = await Promise.all([
        connectWireSocketIo(app.url, alice.token),
        connectWireRaw(app.url, alice.token),
      ]);
    });

    afterAll(() => {
      socketIo?.close();
      raw?.close();
    });

    it.each(BAD_SENDS)('%s', async (_, body, field) => {
      const before = await history();
      expectValidationFailed(await postJson(`/api/rooms/${room.id}/messages`, body), field);
      const withRoom = `{"room_id":${room.id},${body.slice(1)}`;
      for (const client of [socketIo, raw]) {
        const ack = await client.command('chat_message', withRoom);
        expect(ack).toEqual(errorAck('validation_failed'));
        expect(ack.error.details).toContainEqual({ field, message: expect.any(String) });
        expect(client.isOpen()).toBe(true);
      }
      expect(await history()).toEqual(before);
    });

    it('a room_id nested 5,000 arrays deep', async () => {
      const payload = `{"room_id":${nested(String(room.id), 5000)},"content":"hi"}`;
      for (const client of [socketIo, raw]) {
        for (const event of ['chat_message', 'join_room', 'typing', 'sync']) {
          const ack = await client.command(event, payload);
          expect({ event, ack }).toEqual({ event, ack: errorAck('validation_failed') });
        }
      }
    });

    it('a raw request_id nested 5,000 arrays deep is answered with an error frame', async () => {
      const { ws } = await openRaw(app.url, alice.token);
      const answer = nextFrame(ws, (frame) => frame.type === 'error');
      ws.send(`{"type":"join_room","room_id":${room.id},"request_id":${nested('1', 5000)}}`);
      expect(await answer).toMatchObject({ code: 'validation_failed' });
      expect(ws.readyState).toBe(ws.OPEN);
      ws.close();
    });

    it('still sends good messages afterwards, on every transport', async () => {
      const withRoom = (text: string) => `{"room_id":${room.id},"content":"${text}"}`;
      expect(await socketIo.command('chat_message', withRoom('after, socket.io'))).toMatchObject({
        ok: true,
      });
      expect(await raw.command('chat_message', withRoom('after, raw'))).toMatchObject({ ok: true });
      expect((await history()).map((message) => message.content)).toEqual([
        'after, socket.io',
        'after, raw',
      ]);
    });
  });

  describe('lengths are counted in code points, as the database counts them', () => {
    it('stores a client_msg_id of 128 code points that JavaScript counts as 256, and finds it again', async () => {
      const clientMsgId = '😀'.repeat(128);
      const body = JSON.stringify({ content: 'emoji id', client_msg_id: clientMsgId });
      const first = await postJson(`/api/rooms/${room.id}/messages`, body).expect(201);
      expect(first.body.client_msg_id).toBe(clientMsgId);
      const again = await postJson(`/api/rooms/${room.id}/messages`, body).expect(200);
      expect(again.body.id).toBe(first.body.id);
    });

    it('refuses a room name or description over its limit in code points', async () => {
      for (const body of [
        `{"name":${SELECTED(64)}}`,
        `{"name":"ok ${uniqueName()}","description":${SELECTED(500)}}`,
      ]) {
        expectValidationFailed(await postJson('/api/rooms', body));
      }
    });

    it('accepts a room name and description at their limits in code points', async () => {
      const name = `${uniqueName('r')}${'é'.repeat(64)}`.slice(0, 64);
      const description = '🎉'.repeat(500);
      const created = await postJson('/api/rooms', JSON.stringify({ name, description })).expect(
        201,
      );
      expect(created.body).toMatchObject({ name, description });
    });
  });

  describe('names', () => {
    it.each([
      ['a zero-width space', 'general\u200B'],
      ['a right-to-left override', 'evil\u202Etxt.exe'],
      ['a zero-width joiner', `a\u200Db${Date.now()}`],
      ['a zero-width no-break space', 'gen\uFEFFeral'],
    ])('refuses a room name with %s', async (_, name) => {
      expectValidationFailed(await postJson('/api/rooms', JSON.stringify({ name })), 'name');
    });

    it('refuses a username with a right-to-left override', async () => {
      const body = JSON.stringify({ username: `ab\u202Ecd`, password: 'correct horse battery' });
      expectValidationFailed(await postJson('/api/auth/register', body, undefined), 'username');
    });

    it('keeps emoji sequences (zero-width joiners) in message content, as sent', async () => {
      const content = 'coder 👩‍💻 and flag 🏳️‍🌈';
      const sent = await postJson(
        `/api/rooms/${room.id}/messages`,
        JSON.stringify({ content }),
      ).expect(201);
      expect(sent.body.content).toBe(content);
      expect((await history()).at(-1)?.content).toBe(content);
    });
  });

  describe('other bodies refuse the same shapes', () => {
    it.each([
      [
        'a password with a lone surrogate',
        '/api/auth/register',
        `{"username":"${uniqueName()}","password":${LONE_SURROGATE}}`,
        'password',
      ],
      [
        'a username nested 5,000 arrays deep',
        '/api/auth/register',
        `{"username":${nested('"x"', 5000)},"password":"long enough"}`,
        'username',
      ],
      [
        'a __proto__ key',
        '/api/auth/login',
        `{"username":"someone","password":"pw","__proto__":{}}`,
        '__proto__',
      ],
      [
        'a __proto__ key',
        '/api/rooms',
        `{"name":"${uniqueName()}","__proto__":{"is_private":true}}`,
        '__proto__',
      ],
      [
        'a username with NUL, which PostgreSQL cannot compare',
        '/api/auth/login',
        `{"username":"a\\u0000b","password":"long enough"}`,
        'username',
      ],
      ['a name with a lone surrogate', '/api/rooms', `{"name":${LONE_SURROGATE}}`, 'name'],
      [
        'a description with a lone surrogate',
        '/api/rooms',
        `{"name":"${uniqueName()}","description":${LONE_SURROGATE}}`,
        'description',
      ],
    ])('%s: POST %s', async (_, path, body, field) => {
      const user = path.startsWith('/api/auth') ? undefined : alice;
      expectValidationFailed(await postJson(path, body, user), field);
    });

    it('refuses a member username with NUL, which PostgreSQL cannot compare', async () => {
      const secret = await createRoom(app, alice, { isPrivate: true });
      const body = `{"username":"a\\u0000b"}`;
      expectValidationFailed(await postJson(`/api/rooms/${secret.id}/members`, body), 'username');
    });

    it('refuses a members body with a prototype key or deep nesting', async () => {
      const secret = await createRoom(app, alice, { isPrivate: true });
      for (const body of [
        `{"username":"x","constructor":1}`,
        `{"username":${nested('"x"', 5000)}}`,
      ]) {
        expectValidationFailed(await postJson(`/api/rooms/${secret.id}/members`, body));
      }
    });
  });

  describe('path ids are positive decimal integers, written plainly', () => {
    const ROUTES: [string, (id: string) => string][] = [
      ['GET', (id) => `/api/rooms/${id}`],
      ['GET', (id) => `/api/rooms/${id}/messages`],
      ['POST', (id) => `/api/rooms/${id}/messages`],
      ['POST', (id) => `/api/rooms/${id}/join`],
      ['POST', (id) => `/api/rooms/${id}/leave`],
      ['GET', (id) => `/api/rooms/${id}/members`],
      ['POST', (id) => `/api/rooms/${id}/members`],
    ];

    const WRITTEN: [string, (id: number) => string][] = [
      ['hexadecimal', (id) => `0x${id.toString(16)}`],
      ['binary', (id) => `0b${id.toString(2)}`],
      ['octal', (id) => `0o${id.toString(8)}`],
      ['a leading zero', (id) => `0${id}`],
      ['a decimal point', (id) => `${id}.0`],
      ['a plus sign', (id) => `+${id}`],
      ['an exponent', (id) => `${id}e0`],
      ['a leading space', (id) => `%20${id}`],
      ['a trailing space', (id) => `${id}%20`],
      ['a BigInt suffix', (id) => `${id}n`],
    ];

    it.each(WRITTEN)('an id written with %s answers 400 on every route', async (_, write) => {
      for (const [method, path] of ROUTES) {
        const url = path(write(room.id));
        const call = method === 'GET' ? app.http().get(url) : app.http().post(url);
        const response = await call
          .set('Authorization', alice.auth)
          .send(method === 'POST' ? { content: 'hi', username: alice.username } : undefined);
        expect({ route: `${method} ${url}`, status: response.status }).toEqual({
          route: `${method} ${url}`,
          status: 400,
        });
        expectValidationFailed(response, 'id');
      }
    });

    it.each(['%ZZ', '%ED%A0%80', '%FF'])(
      'an id that is not percent-encoded UTF-8 (%s) answers 400 naming the path',
      async (written) => {
        const response = await app
          .http()
          .get(`/api/rooms/${written}`)
          .set('Authorization', alice.auth)
          .set('X-Request-Id', 'bad-url-1');
        expectValidationFailed(response, 'path');
        // Refused by the router before any hook: the answer still carries the usual headers.
        expect(response.headers['x-request-id']).toBe('bad-url-1');
        expect(response.headers['x-content-type-options']).toBe('nosniff');
      },
    );

    it('the plain id still answers', async () => {
      await app.http().get(`/api/rooms/${room.id}`).set('Authorization', alice.auth).expect(200);
      expectError(await app.http().get('/api/rooms/2000000000'), 404, 'room_not_found');
    });
  });
});
