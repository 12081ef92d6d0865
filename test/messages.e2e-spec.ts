import type { Test } from 'supertest';
import {
  expectError,
  expectValidationFailed,
  ISO_UTC,
  MISSING_ROOM_ID,
} from './support/http-expectations';
import { createRoom, CreatedRoom, joinRoom } from './factories/rooms.factory';
import { RegisteredUser, registerUser, uniqueName } from './factories/users.factory';
import { startApp, STORES, TestApp } from './support/test-app';
import type { Message } from '../src/contract/objects';

type Query = Record<string, string | number>;

/** Runs `task` over `items` with at most `width` calls in flight; results in input order. */
async function inBatches<T, R>(
  items: readonly T[],
  width: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += width) {
    results.push(...(await Promise.all(items.slice(start, start + width).map(task))));
  }
  return results;
}

const byId = (a: { id: number }, b: { id: number }) => a.id - b.id;
const ids = (messages: readonly { id: number }[]) => messages.map((message) => message.id);

function expectStrictlyIncreasing(values: readonly number[]): void {
  for (let i = 1; i < values.length; i += 1) {
    expect(values[i]).toBeGreaterThan(values[i - 1]);
  }
}

describe.each(STORES)('messages REST API (%s store)', (store) => {
  let app: TestApp;
  let alice: RegisteredUser;
  let bob: RegisteredUser;
  let carol: RegisteredUser;
  /** Public, owned by alice, bob is a member, carol is not. */
  let room: CreatedRoom;

  beforeAll(async () => {
    app = await startApp(store);
    [alice, bob, carol] = await Promise.all([
      registerUser(app),
      registerUser(app),
      registerUser(app),
    ]);
    room = await createRoom(app, alice);
    await joinRoom(app, bob, room.id);
  });
  afterAll(() => app.close());

  function post(user: RegisteredUser | undefined, roomId: number, body: object): Test {
    const call = app.http().post(`/api/rooms/${roomId}/messages`);
    return (user ? call.set('Authorization', user.auth) : call).send(body);
  }

  function get(roomId: number, query: Query = {}, user?: RegisteredUser): Test {
    const call = app.http().get(`/api/rooms/${roomId}/messages`).query(query);
    return user ? call.set('Authorization', user.auth) : call;
  }

  async function history(roomId: number, query: Query = {}): Promise<Message[]> {
    const response = await get(roomId, query, alice);
    expect(response.status).toBe(200);
    return response.body as Message[];
  }

  async function send(user: RegisteredUser, roomId: number, content: string) {
    const response = await post(user, roomId, { content });
    expect(response.status).toBe(201);
    return response.body as Message;
  }

  describe('POST /api/rooms/:id/messages', () => {
    it('answers 201 with the stored message', async () => {
      const before = Date.now();
      const response = await post(alice, room.id, { content: 'Hello, world!' });
      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        type: 'chat_message',
        id: expect.any(Number),
        room_id: room.id,
        user_id: alice.id,
        username: alice.username,
        content: 'Hello, world!',
        created_at: expect.stringMatching(ISO_UTC),
        client_msg_id: null,
        reply_to: null,
        edited_at: null,
        deleted: false,
        reactions: [],
        change_id: expect.any(Number),
        mentions: [],
      });
      const message = response.body as Message;
      expect(Number.isInteger(message.id) && message.id > 0).toBe(true);
      expect(Number.isInteger(message.change_id) && message.change_id > 0).toBe(true);
      expect(Date.parse(message.created_at)).toBeGreaterThanOrEqual(before - 5_000);
      expect(Date.parse(message.created_at)).toBeLessThanOrEqual(Date.now() + 5_000);
      expect(await history(room.id, { after: message.id - 1, limit: 1 })).toEqual([message]);
    });

    it("echoes the sender's client_msg_id", async () => {
      const clientMsgId = uniqueName('cmid');
      const response = await post(bob, room.id, { content: 'hi', client_msg_id: clientMsgId });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        user_id: bob.id,
        username: bob.username,
        content: 'hi',
        client_msg_id: clientMsgId,
      });
    });

    it('refuses control characters such as NUL in the content and the client_msg_id', async () => {
      for (const body of [
        { content: 'nul \u0000 inside' },
        { content: 'bell \u0007' },
        { content: 'fine', client_msg_id: 'id\u0000' },
      ]) {
        expectValidationFailed(await post(alice, room.id, body));
      }
      const kept = await send(alice, room.id, 'tab\there\nnew line');
      expect(kept.content).toBe('tab\there\nnew line');
    });

    it('answers a client_msg_id reused for another room with 409 client_msg_id_conflict', async () => {
      const other = await createRoom(app, alice);
      const clientMsgId = uniqueName('cmid');
      expect(
        (await post(alice, room.id, { content: 'a', client_msg_id: clientMsgId })).status,
      ).toBe(201);
      const reused = await post(alice, other.id, { content: 'b', client_msg_id: clientMsgId });
      expectError(reused, 409, 'client_msg_id_conflict');
      expect(await history(other.id, {})).toEqual([]);
    });

    it('trims the content', async () => {
      const message = await send(alice, room.id, '  \n\t spaced out \t\n ');
      expect(message.content).toBe('spaced out');
      expect((await history(room.id, { limit: 1 }))[0]).toMatchObject({
        id: message.id,
        content: 'spaced out',
      });
    });

    it('accepts 4000 characters, counted after trimming', async () => {
      const longest = 'x'.repeat(4000);
      expect((await send(alice, room.id, longest)).content).toBe(longest);
      expect((await send(alice, room.id, `   ${longest}\n`)).content).toBe(longest);
    });

    describe('refuses a bad body with 400 validation_failed and stores nothing', () => {
      let quiet: CreatedRoom;

      beforeAll(async () => {
        quiet = await createRoom(app, alice);
      });

      it.each([
        ['empty content', { content: '' }, 'content'],
        ['whitespace-only content', { content: ' \n\t  ' }, 'content'],
        ['4001 characters', { content: 'y'.repeat(4001) }, 'content'],
        ['4001 characters surrounded by spaces', { content: ` ${'y'.repeat(4001)} ` }, 'content'],
        ['numeric content', { content: 42 }, 'content'],
        ['null content', { content: null }, 'content'],
        ['an object as content', { content: { text: 'hi' } }, 'content'],
        ['missing content', {}, 'content'],
        ['missing content with a client_msg_id', { client_msg_id: 'abc' }, 'content'],
        ['an unknown field', { content: 'hi', room_id: 1 }, 'room_id'],
        [
          'a client_msg_id that is not a string',
          { content: 'hi', client_msg_id: 7 },
          'client_msg_id',
        ],
      ])('%s', async (_, body, field) => {
        expectValidationFailed(await post(alice, quiet.id, body), field);
      });

      it('(the room stays empty)', async () => {
        expect(await history(quiet.id)).toEqual([]);
      });
    });

    it('answers 401 unauthorized without a token, or with a forged one', async () => {
      expectError(await post(undefined, room.id, { content: 'hi' }), 401, 'unauthorized');
      const forged = await app
        .http()
        .post(`/api/rooms/${room.id}/messages`)
        .set('Authorization', 'Bearer forged.token.value')
        .send({ content: 'hi' });
      expectError(forged, 401, 'unauthorized');
    });

    it('answers 403 not_a_member to a non-member of a public room', async () => {
      const latest = ids(await history(room.id, { limit: 1 }));
      expectError(await post(carol, room.id, { content: 'let me talk' }), 403, 'not_a_member');
      expect(ids(await history(room.id, { limit: 1 }))).toEqual(latest);
    });

    it('answers 403 not_a_member once the sender has left the room', async () => {
      const other = await createRoom(app, alice);
      await joinRoom(app, carol, other.id);
      await send(carol, other.id, 'hello, then goodbye');
      await app
        .http()
        .post(`/api/rooms/${other.id}/leave`)
        .set('Authorization', carol.auth)
        .expect(204);
      expectError(await post(carol, other.id, { content: 'still here?' }), 403, 'not_a_member');
    });

    it('answers 404 room_not_found for a missing room', async () => {
      expectError(await post(alice, MISSING_ROOM_ID, { content: 'hi' }), 404, 'room_not_found');
    });

    it("refuses only the non-member's and the missing room's sends among members' sends at once", async () => {
      const [fromAlice, fromCarol, fromBob, toNowhere] = await Promise.all([
        post(alice, room.id, { content: 'together 1' }),
        post(carol, room.id, { content: 'not with us' }),
        post(bob, room.id, { content: 'together 2', client_msg_id: uniqueName('cmid') }),
        post(bob, MISSING_ROOM_ID, { content: 'into the void' }),
      ]);
      expect([fromAlice.status, fromBob.status]).toEqual([201, 201]);
      expectError(fromCarol, 403, 'not_a_member');
      expectError(toNowhere, 404, 'room_not_found');
      const accepted = [fromAlice.body as Message, fromBob.body as Message].sort(byId);
      expect(await history(room.id, { after: accepted[0].id - 1 })).toEqual(accepted);
    });

    it('lets members of a private room send to it', async () => {
      const secret = await createRoom(app, alice, { isPrivate: true });
      const message = await send(alice, secret.id, 'just us');
      expect(message).toMatchObject({ room_id: secret.id, user_id: alice.id });
      expect(await history(secret.id)).toEqual([message]);
    });
  });

  describe('replies and single messages', () => {
    const getOne = (roomId: number, messageId: number | string, user?: RegisteredUser) => {
      const call = app.http().get(`/api/rooms/${roomId}/messages/${messageId}`);
      return user ? call.set('Authorization', user.auth) : call;
    };

    it('stores reply_to, and answers one message by id to anyone who may read the room', async () => {
      const parent = await send(alice, room.id, 'the question');
      const response = await post(bob, room.id, { content: 'the answer', reply_to: parent.id });
      expect(response.status).toBe(201);
      const reply = response.body as Message;
      expect(reply).toMatchObject({ content: 'the answer', reply_to: parent.id });
      expect(parent.reply_to).toBeNull();

      expect((await getOne(room.id, reply.id, carol).expect(200)).body).toEqual(reply);
      expect((await getOne(room.id, parent.id).expect(200)).body).toEqual(parent);
      expect(await history(room.id, { after: parent.id - 1, limit: 2 })).toEqual([parent, reply]);
    });

    it('refuses a reply to a message of another room with 404 message_not_found', async () => {
      const other = await createRoom(app, alice);
      const elsewhere = await send(alice, other.id, 'elsewhere');
      const before = await history(room.id, { limit: 1 });

      for (const replyTo of [elsewhere.id, 2_000_000_000]) {
        expectError(
          await post(alice, room.id, { content: 'x', reply_to: replyTo }),
          404,
          'message_not_found',
        );
      }
      expect(await history(room.id, { limit: 1 })).toEqual(before);
    });

    it('refuses a reply_to that is not a message id with 400 naming it', async () => {
      for (const replyTo of [0, -1, 1.5, '7', 2 ** 53]) {
        const response = await post(alice, room.id, { content: 'x', reply_to: replyTo });
        expectValidationFailed(response, 'reply_to');
      }
    });

    it('answers message_not_found for a message of another room, and for none', async () => {
      const other = await createRoom(app, alice);
      const elsewhere = await send(alice, other.id, 'elsewhere');

      expectError(await getOne(room.id, elsewhere.id, alice), 404, 'message_not_found');
      expectError(await getOne(room.id, 2_000_000_000, alice), 404, 'message_not_found');
      expectValidationFailed(await getOne(room.id, 'abc', alice), 'message_id');
      expectValidationFailed(await getOne(room.id, '0', alice), 'message_id');
    });

    it('tells an outsider of a private room nothing of its messages', async () => {
      const secret = await createRoom(app, alice, { isPrivate: true });
      const inside = await send(alice, secret.id, 'psst');

      expectError(await getOne(secret.id, inside.id, carol), 404, 'room_not_found');
      expectError(await getOne(secret.id, inside.id), 404, 'room_not_found');
      expectError(
        await post(carol, secret.id, { content: 'x', reply_to: inside.id }),
        404,
        'room_not_found',
      );
      expectError(await get(secret.id, { around: inside.id }, carol), 404, 'room_not_found');
      expectError(await get(secret.id, { around: inside.id + 1 }, carol), 404, 'room_not_found');
    });
  });

  describe('idempotent client_msg_id', () => {
    let quiet: CreatedRoom;

    beforeAll(async () => {
      quiet = await createRoom(app, alice);
      await joinRoom(app, bob, quiet.id);
    });

    it('answers a resend with 200 and the stored message, and stores one copy', async () => {
      const clientMsgId = uniqueName('cmid');
      const first = await post(alice, quiet.id, { content: 'once', client_msg_id: clientMsgId });
      expect(first.status).toBe(201);
      expect(first.body.client_msg_id).toBe(clientMsgId);

      const again = await post(alice, quiet.id, { content: 'once', client_msg_id: clientMsgId });
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);

      const changed = await post(alice, quiet.id, {
        content: 'twice?',
        client_msg_id: clientMsgId,
      });
      expect(changed.status).toBe(200);
      expect(changed.body).toEqual(first.body);

      const stored = (await history(quiet.id, { limit: 200 })).filter(
        (message) => message.client_msg_id === clientMsgId,
      );
      expect(stored).toEqual([first.body]);
    });

    it("does not confuse one user's client_msg_id with another's", async () => {
      const clientMsgId = uniqueName('cmid');
      const fromAlice = await post(alice, quiet.id, { content: 'a', client_msg_id: clientMsgId });
      const fromBob = await post(bob, quiet.id, { content: 'b', client_msg_id: clientMsgId });
      expect(fromAlice.status).toBe(201);
      expect(fromBob.status).toBe(201);
      expect(fromBob.body.id).not.toBe(fromAlice.body.id);
      expect(fromBob.body).toMatchObject({ user_id: bob.id, content: 'b' });
    });

    it('stores one copy when the same send arrives several times at once', async () => {
      const clientMsgId = uniqueName('cmid');
      const responses = await Promise.all(
        Array.from({ length: 8 }, () =>
          post(bob, quiet.id, { content: 'racing', client_msg_id: clientMsgId }),
        ),
      );
      const statuses = responses.map((response) => response.status).sort();
      expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
      const created = responses.find((response) => response.status === 201)!.body;
      for (const response of responses) expect(response.body).toEqual(created);
      const stored = (await history(quiet.id, { limit: 200 })).filter(
        (message) => message.client_msg_id === clientMsgId,
      );
      expect(stored).toEqual([created]);
    });
  });

  describe('GET /api/rooms/:id/messages', () => {
    const TOTAL = 250;
    let busy: CreatedRoom;
    /** Every message of `busy`, in id order. */
    let all: Message[];

    beforeAll(async () => {
      busy = await createRoom(app, alice);
      await joinRoom(app, bob, busy.id);
      const indexes = Array.from({ length: TOTAL }, (_, index) => index);
      const sent = await inBatches(indexes, 25, (index) =>
        send(index % 2 === 0 ? alice : bob, busy.id, `message ${index}`),
      );
      all = [...sent].sort(byId);
      expect(new Set(ids(all)).size).toBe(TOTAL);
    });

    it('answers the newest 50, oldest first, by default, to anonymous callers too', async () => {
      const response = await get(busy.id);
      expect(response.status).toBe(200);
      expect(response.body).toEqual(all.slice(-50));
    });

    it('answers the same to a signed-in non-member of a public room', async () => {
      const response = await get(busy.id, {}, carol);
      expect(response.status).toBe(200);
      expect(response.body).toEqual(all.slice(-50));
    });

    it('answers the page centred on a message with around, fuller on one side near an end', async () => {
      const around = (index: number, limit: number) =>
        history(busy.id, { around: all[index].id, limit });

      expect(await around(100, 5)).toEqual(all.slice(98, 103));
      expect(await around(100, 4)).toEqual(all.slice(99, 103));
      expect(await around(1, 5)).toEqual(all.slice(0, 5));
      expect(await around(TOTAL - 1, 5)).toEqual(all.slice(-5));
      expect(await around(100, 1)).toEqual([all[100]]);
      expect(await history(busy.id, { around: all[7].id })).toEqual(all.slice(0, 50));
    });

    it('refuses around for a message of another room (404), and with other cursors (400)', async () => {
      const elsewhere = await send(alice, room.id, 'elsewhere');
      const missing = await get(busy.id, { around: elsewhere.id });
      expectError(missing, 404, 'message_not_found');
      expectValidationFailed(
        await get(busy.id, { around: all[5].id, before: all[9].id }),
        'around',
      );
      expectValidationFailed(await get(busy.id, { around: all[5].id, changed_after: 0 }), 'around');
      expectValidationFailed(await get(busy.id, { around: 0 }), 'around');
    });

    it('honours limit=200 and limit=1', async () => {
      expect(await history(busy.id, { limit: 200 })).toEqual(all.slice(-200));
      expect(await history(busy.id, { limit: 1 })).toEqual(all.slice(-1));
    });

    it('answers an empty array for a room without messages', async () => {
      const empty = await createRoom(app, alice);
      const response = await get(empty.id);
      expect(response.status).toBe(200);
      expect(response.body).toEqual([]);
    });

    it.each([
      ['limit', '0'],
      ['limit', '201'],
      ['limit', 'abc'],
      ['limit', '1.5'],
      ['limit', '-1'],
      ['before', 'abc'],
      ['before', '1.5'],
      ['after', '-1'],
      ['after', 'x'],
    ])('answers 400 validation_failed for %s=%s', async (name, value) => {
      expectValidationFailed(await get(busy.id, { [name]: value }), name);
    });

    it('answers 404 room_not_found for a missing room', async () => {
      expectError(await get(MISSING_ROOM_ID), 404, 'room_not_found');
    });

    it('pages backwards with before, seeing every message once and in order', async () => {
      const pages: Message[][] = [];
      let page = await history(busy.id, { limit: 37 });
      while (page.length > 0) {
        expect(page.length).toBeLessThanOrEqual(37);
        expectStrictlyIncreasing(ids(page));
        pages.unshift(page);
        page = await history(busy.id, { limit: 37, before: page[0].id });
      }
      const seen = pages.flat();
      const own = seen.filter((message) => message.room_id === busy.id);
      expect(own).toHaveLength(seen.length);
      expect(seen).toEqual(all);
      expect(pages[pages.length - 1]).toHaveLength(37);
      expect(pages[0]).toHaveLength(TOTAL % 37);
    });

    it('pages forwards with after, seeing every message once and in order', async () => {
      const seen: Message[] = [];
      let cursor = 0;
      for (;;) {
        const page = await history(busy.id, { limit: 37, after: cursor });
        expect(page.length).toBeLessThanOrEqual(37);
        expectStrictlyIncreasing(ids(page));
        if (page.length === 0) break;
        seen.push(...page);
        cursor = page[page.length - 1].id;
      }
      expect(seen).toEqual(all);
    });

    it('answers the oldest `limit` after `after`', async () => {
      expect(await history(busy.id, { after: all[99].id, limit: 5 })).toEqual(all.slice(100, 105));
      expect(await history(busy.id, { after: all[99].id })).toEqual(all.slice(100, 150));
      expect(await history(busy.id, { after: all[TOTAL - 1].id })).toEqual([]);
    });

    it('answers the newest `limit` before `before`', async () => {
      expect(await history(busy.id, { before: all[100].id, limit: 5 })).toEqual(all.slice(95, 100));
      expect(await history(busy.id, { before: all[100].id })).toEqual(all.slice(50, 100));
      expect(await history(busy.id, { before: all[0].id })).toEqual([]);
    });

    it('combines before and after into a window', async () => {
      const window = await history(busy.id, {
        after: all[100].id,
        before: all[150].id,
        limit: 200,
      });
      expect(window).toEqual(all.slice(101, 150));
      const oldest = await history(busy.id, { after: all[100].id, before: all[150].id, limit: 10 });
      expect(oldest).toEqual(all.slice(101, 111));
      expect(await history(busy.id, { after: all[10].id, before: all[11].id })).toEqual([]);
    });
  });

  describe('50 concurrent senders', () => {
    const SENDERS = 50;
    const ROUNDS = 4;
    let senders: RegisteredUser[];

    beforeAll(async () => {
      senders = await Promise.all(Array.from({ length: SENDERS }, () => registerUser(app)));
    });

    async function crowdedRoom(): Promise<CreatedRoom> {
      const crowded = await createRoom(app, alice);
      await Promise.all(senders.map((sender) => joinRoom(app, sender, crowded.id)));
      return crowded;
    }

    /** Catches up from `cursor` with `after`, page by page, until a page comes back short. */
    async function catchUp(roomId: number, limit: number, cursor = 0, seen: Message[] = []) {
      for (;;) {
        const page = await history(roomId, { after: cursor, limit });
        seen.push(...page);
        if (page.length > 0) cursor = page[page.length - 1].id;
        if (page.length < limit) return { seen, cursor };
      }
    }

    it('stores every message, and catching up with after sees each once in id order', async () => {
      const crowded = await crowdedRoom();
      const sent = await Promise.all(
        senders.map((sender, index) => send(sender, crowded.id, `crowd ${index}`)),
      );
      expect(new Set(ids(sent)).size).toBe(SENDERS);
      sent.forEach((message, index) => {
        expect(message).toMatchObject({
          room_id: crowded.id,
          user_id: senders[index].id,
          username: senders[index].username,
          content: `crowd ${index}`,
        });
      });

      const { seen } = await catchUp(crowded.id, 7);
      expectStrictlyIncreasing(ids(seen));
      expect(seen).toEqual([...sent].sort(byId));
    });

    it('lets a reader catching up while they send miss nothing', async () => {
      const crowded = await crowdedRoom();
      const progress = { done: false };
      // Each sender sends its messages one after the other, so sends keep arriving while the
      // reader reads.
      const sending = Promise.all(
        senders.map(async (sender, index) => {
          const sent: Message[] = [];
          for (let round = 0; round < ROUNDS; round += 1) {
            sent.push(await send(sender, crowded.id, `live ${index}.${round}`));
          }
          return sent;
        }),
      )
        .then((perSender) => perSender.flat())
        .finally(() => {
          progress.done = true;
        });

      const seen: Message[] = [];
      let cursor = 0;
      for (;;) {
        // A pass that starts after the senders finished must find everything still missing.
        const finished = progress.done;
        // The largest pages keep the reader at the newest committed message, where a message
        // committed late under a smaller id would be skipped.
        ({ cursor } = await catchUp(crowded.id, 200, cursor, seen));
        if (finished) break;
      }
      const sent = await sending;

      expectStrictlyIncreasing(ids(seen));
      expect(seen).toEqual([...sent].sort(byId));
    });
  });
});
