import type { Test } from 'supertest';
import { expectError, expectValidationFailed, MISSING_ROOM_ID } from './support/http-expectations';
import { createRoom, CreatedRoom, joinRoom } from './factories/rooms.factory';
import { RegisteredUser, registerUser } from './factories/users.factory';
import { startApp, STORES, TestApp } from './support/test-app';
import type { Message, SearchHit } from '../src/contract/objects';

type Query = Record<string, string | number>;

let sequence = 0;
/** A word of letters and digits no other test of this run writes (the database is shared). */
function uniqueWord(): string {
  sequence += 1;
  return `zq${process.pid.toString(36)}${Date.now().toString(36)}x${sequence}`;
}

const ids = (list: readonly { id: number }[]) => list.map((item) => item.id);

describe.each(STORES)('message search (%s store)', (store) => {
  let app: TestApp;
  let alice: RegisteredUser;
  let bob: RegisteredUser;
  /** Public, owned by alice; bob is a member. */
  let room: CreatedRoom;
  /** Public, owned by alice; bob is not a member. */
  let unjoined: CreatedRoom;
  /** Private, alice's only. */
  let secret: CreatedRoom;

  beforeAll(async () => {
    app = await startApp(store);
    [alice, bob] = await Promise.all([registerUser(app), registerUser(app)]);
    [room, unjoined, secret] = await Promise.all([
      createRoom(app, alice),
      createRoom(app, alice),
      createRoom(app, alice, { isPrivate: true }),
    ]);
    await joinRoom(app, bob, room.id);
  });
  afterAll(() => app.close());

  function get(user: RegisteredUser | undefined, query: Query): Test {
    const call = app.http().get('/api/search/messages').query(query);
    return user ? call.set('Authorization', user.auth) : call;
  }

  async function search(user: RegisteredUser, query: Query): Promise<SearchHit[]> {
    const response = await get(user, query);
    expect(response.status).toBe(200);
    return response.body as SearchHit[];
  }

  const contents = async (user: RegisteredUser, query: Query) =>
    (await search(user, query)).map((hit) => hit.content);

  async function send(user: RegisteredUser, roomId: number, content: string): Promise<Message> {
    const response = await app
      .http()
      .post(`/api/rooms/${roomId}/messages`)
      .set('Authorization', user.auth)
      .send({ content });
    expect(response.status).toBe(201);
    return response.body as Message;
  }

  it('answers the matching messages with their room_name, in any letter case', async () => {
    const word = uniqueWord();
    const sent = await send(alice, room.id, `Hello ${word.toUpperCase()} world`);

    const hits = await search(bob, { q: word });
    expect(hits).toEqual([{ ...sent, room_name: room.name }]);
    expect(await contents(bob, { q: `WORLD ${word}` })).toEqual([sent.content]);
  });

  it('matches whole words only, and needs every word', async () => {
    const word = uniqueWord();
    await send(alice, room.id, `${word}s plural`);
    await send(alice, room.id, `${word}, then red`);
    await send(alice, room.id, `${word} then blue`);

    expect(await contents(alice, { q: word })).toEqual([`${word} then blue`, `${word}, then red`]);
    expect(await contents(alice, { q: `${word}s` })).toEqual([`${word}s plural`]);
    expect(await contents(alice, { q: `red ${word}` })).toEqual([`${word}, then red`]);
    expect(await contents(alice, { q: `${word} green` })).toEqual([]);
  });

  it('takes quoted phrases, -word and or', async () => {
    const word = uniqueWord();
    await send(alice, room.id, `${word} deploy failed`);
    await send(alice, room.id, `${word} failed deploy`);
    await send(alice, room.id, `${word} release notes`);

    expect(await contents(alice, { q: `${word} "deploy failed"` })).toEqual([
      `${word} deploy failed`,
    ]);
    expect(await contents(alice, { q: `${word} -"deploy failed"` })).toEqual([
      `${word} release notes`,
      `${word} failed deploy`,
    ]);
    expect(await contents(alice, { q: `${word} -deploy` })).toEqual([`${word} release notes`]);
    expect(await contents(alice, { q: `${word} notes or "${word} deploy"` })).toEqual([
      `${word} release notes`,
      `${word} deploy failed`,
    ]);
  });

  it('answers [] for a query without a word to look for', async () => {
    await send(alice, room.id, `${uniqueWord()} ... !!!`);
    expect(await search(alice, { q: '... !!!' })).toEqual([]);
    expect(await search(alice, { q: '-anything' })).toEqual([]);
  });

  it('answers newest first, and pages with before without skipping or repeating a hit', async () => {
    const word = uniqueWord();
    const sent: Message[] = [];
    for (let i = 0; i < 7; i++) {
      sent.push(await send(alice, i % 2 === 0 ? room.id : secret.id, `${word} number ${i}`));
      await send(alice, room.id, `filler ${i}`);
    }
    const everything = await search(alice, { q: word });
    expect(ids(everything)).toEqual(ids(sent).reverse());

    const seen: number[] = [];
    let before: number | undefined;
    for (;;) {
      const page = await search(alice, { q: word, limit: 3, ...(before && { before }) });
      expect(page.length).toBeLessThanOrEqual(3);
      if (page.length === 0) break;
      seen.push(...ids(page));
      before = page[page.length - 1].id;
    }
    expect(seen).toEqual(ids(sent).reverse());
  });

  it('never finds a deleted message', async () => {
    const word = uniqueWord();
    const gone = await send(alice, room.id, `${word} going`);
    const kept = await send(alice, room.id, `${word} staying`);
    await app
      .http()
      .delete(`/api/rooms/${room.id}/messages/${gone.id}`)
      .set('Authorization', alice.auth)
      .expect(204);

    expect(ids(await search(alice, { q: word }))).toEqual([kept.id]);
    expect(ids(await search(alice, { q: `${word} going` }))).toEqual([]);
  });

  it("never searches a private room the caller is not in, and names each hit's room", async () => {
    const word = uniqueWord();
    await send(alice, secret.id, `${word} in the secret room`);
    const open = await send(alice, room.id, `${word} in the open room`);

    expect(await search(bob, { q: word })).toEqual([{ ...open, room_name: room.name }]);
    const mine = await search(alice, { q: word });
    expect(mine.map((hit) => [hit.content, hit.room_name])).toEqual([
      [`${word} in the open room`, room.name],
      [`${word} in the secret room`, secret.name],
    ]);
  });

  it('finds direct messages for their two users only, named for the other user', async () => {
    const word = uniqueWord();
    const carol = await registerUser(app);
    const dm = await app
      .http()
      .post('/api/dms')
      .set('Authorization', alice.auth)
      .send({ username: bob.username })
      .expect((response) => expect(response.status).toBeLessThan(300));
    const sent = await send(alice, dm.body.id, `${word} between us`);

    expect(await search(bob, { q: word })).toEqual([{ ...sent, room_name: alice.username }]);
    expect(await search(alice, { q: word })).toEqual([{ ...sent, room_name: bob.username }]);
    expect(await search(carol, { q: word })).toEqual([]);
    expectError(await get(carol, { q: word, room_id: dm.body.id }), 404, 'room_not_found');
  });

  it('answers room_id of a private room to an outsider as a room that does not exist', async () => {
    const word = uniqueWord();
    await send(alice, secret.id, word);
    const hidden = await get(bob, { q: word, room_id: secret.id });
    const missing = await get(bob, { q: word, room_id: MISSING_ROOM_ID });
    expectError(hidden, 404, 'room_not_found');
    expectError(missing, 404, 'room_not_found');
    expect(await contents(alice, { q: word, room_id: secret.id })).toEqual([word]);
  });

  it('searches only room_id when given, a public room the caller has not joined included', async () => {
    const word = uniqueWord();
    await send(alice, unjoined.id, `${word} over there`);
    await send(alice, room.id, `${word} over here`);

    expect(await contents(bob, { q: word })).toEqual([`${word} over here`]);
    const there = await search(bob, { q: word, room_id: unjoined.id });
    expect(there.map((hit) => [hit.content, hit.room_name])).toEqual([
      [`${word} over there`, unjoined.name],
    ]);
    expect(await contents(bob, { q: word, room_id: room.id })).toEqual([`${word} over here`]);
  });

  it('no longer searches a room the caller left', async () => {
    const word = uniqueWord();
    const carol = await registerUser(app);
    const left = await createRoom(app, alice);
    await joinRoom(app, carol, left.id);
    await send(alice, left.id, `${word} before leaving`);
    expect(await contents(carol, { q: word })).toEqual([`${word} before leaving`]);

    await app
      .http()
      .post(`/api/rooms/${left.id}/leave`)
      .set('Authorization', carol.auth)
      .expect(204);
    expect(await contents(carol, { q: word })).toEqual([]);
  });

  it('needs a token', async () => {
    expectError(await get(undefined, { q: 'hello' }), 401, 'unauthorized');
  });

  it('refuses a bad q, before, limit or room_id with validation_failed naming the field', async () => {
    const cases: [Query, string][] = [
      [{}, 'q'],
      [{ q: '' }, 'q'],
      [{ q: '   ' }, 'q'],
      [{ q: 'x'.repeat(201) }, 'q'],
      [{ q: 'nul \u0000' }, 'q'],
      [{ q: 'a', before: 0 }, 'before'],
      [{ q: 'a', before: 'abc' }, 'before'],
      [{ q: 'a', limit: 0 }, 'limit'],
      [{ q: 'a', limit: 201 }, 'limit'],
      [{ q: 'a', limit: '1.5' }, 'limit'],
      [{ q: 'a', room_id: 0 }, 'room_id'],
      [{ q: 'a', room_id: '-3' }, 'room_id'],
      [{ q: 'a', room_id: 2_147_483_648 }, 'room_id'],
    ];
    for (const [query, field] of cases) {
      expectValidationFailed(await get(alice, query), field);
    }
    expectValidationFailed(await get(alice, { q: 'a', unknown: 1 }));
    // 200 characters after trimming pass.
    expect((await get(alice, { q: ` ${'x'.repeat(200)} ` })).status).toBe(200);
  });

  it('answers up to limit hits, 50 by default', async () => {
    const word = uniqueWord();
    for (let i = 0; i < 52; i++) await send(alice, room.id, `${word} ${i}`);
    expect(await search(alice, { q: word })).toHaveLength(50);
    expect(await search(alice, { q: word, limit: 2 })).toHaveLength(2);
  });
});
