import type { Response, Test } from 'supertest';
import {
  expectError,
  expectValidationFailed,
  ISO_UTC,
  MISSING_ROOM_ID,
  withoutRoomId,
} from './support/http-expectations';
import { createRoom, CreatedRoom, joinRoom } from './factories/rooms.factory';
import { RegisteredUser, registerUser, uniqueName } from './factories/users.factory';
import { startApp, STORES, TestApp } from './support/test-app';
import type { Member, Room, User } from '../src/contract/objects';

const roomShape = {
  id: expect.any(Number),
  name: expect.any(String),
  description: expect.any(String),
  is_private: expect.any(Boolean),
  created_at: expect.stringMatching(ISO_UTC),
  member_count: expect.any(Number),
  is_member: expect.any(Boolean),
  kind: 'channel',
  role: null,
  last_read_id: null,
  unread_count: null,
  mention_count: null,
};

/** The caller's read fields on a room they are a member of. */
const memberFields = (role: 'owner' | 'member') => ({
  role,
  last_read_id: expect.any(Number),
  unread_count: expect.any(Number),
  mention_count: expect.any(Number),
});

const userShape = {
  id: expect.any(Number),
  username: expect.any(String),
  display_name: expect.any(String),
  role: expect.stringMatching(/^(admin|user)$/),
  created_at: expect.stringMatching(ISO_UTC),
  online: expect.any(Boolean),
};

/** A member as GET /api/rooms/:id/members answers one: the user with their role in the room. */
const memberShape = { ...userShape, room_role: expect.stringMatching(/^(owner|admin|member)$/) };

/** A room name of exactly `length` characters that no other test uses. */
function uniqueRoomName(length: number): string {
  return uniqueName('room').padEnd(length, 'x').slice(0, length);
}

describe.each(STORES)('rooms REST API (%s store)', (store) => {
  let app: TestApp;
  let owner: RegisteredUser;
  let member: RegisteredUser;
  let outsider: RegisteredUser;
  /** Public, owned by `owner`. */
  let publicRoom: CreatedRoom;
  /** Private, owned by `owner`, with `member` invited. */
  let privateRoom: CreatedRoom;
  /** Private, owned by `outsider`; `owner` and `member` are not in it. */
  let othersPrivateRoom: CreatedRoom;

  beforeAll(async () => {
    app = await startApp(store);
    [owner, member, outsider] = await Promise.all([
      registerUser(app),
      registerUser(app),
      registerUser(app),
    ]);
    [publicRoom, privateRoom, othersPrivateRoom] = await Promise.all([
      createRoom(app, owner),
      createRoom(app, owner, { isPrivate: true }),
      createRoom(app, outsider, { isPrivate: true }),
    ]);
    await app
      .http()
      .post(`/api/rooms/${privateRoom.id}/members`)
      .set('Authorization', owner.auth)
      .send({ username: member.username })
      .expect(201);
  });
  afterAll(() => app.close());

  function getRoom(roomId: number, user?: RegisteredUser): Test {
    const call = app.http().get(`/api/rooms/${roomId}`);
    return user ? call.set('Authorization', user.auth) : call;
  }

  async function memberIds(roomId: number, user: RegisteredUser): Promise<number[]> {
    const response = await app
      .http()
      .get(`/api/rooms/${roomId}/members`)
      .set('Authorization', user.auth)
      .expect(200);
    return (response.body as User[]).map((user) => user.id);
  }

  describe('GET /api/rooms', () => {
    it('lists public rooms only to an anonymous caller, the seeded general among them', async () => {
      const response = await app.http().get('/api/rooms').expect(200);
      const rooms = response.body as Room[];
      for (const room of rooms) expect(room).toEqual({ ...roomShape, created_by: room.created_by });
      expect(rooms.every((room) => !room.is_private && !room.is_member)).toBe(true);
      expect(rooms).toContainEqual({
        ...roomShape,
        name: 'general',
        is_private: false,
        created_by: null,
      });
      const ids = rooms.map((room) => room.id);
      expect(ids).toContain(publicRoom.id);
      expect(ids).not.toContain(privateRoom.id);
      expect(ids).not.toContain(othersPrivateRoom.id);
    });

    it("adds the caller's own private rooms, never other people's", async () => {
      const response = await app.http().get('/api/rooms').set('Authorization', owner.auth);
      expect(response.status).toBe(200);
      const rooms = response.body as Room[];
      const ids = rooms.map((room) => room.id);
      expect(ids).toContain(publicRoom.id);
      expect(ids).toContain(privateRoom.id);
      expect(ids).not.toContain(othersPrivateRoom.id);
      expect(rooms.find((room) => room.name === 'general')).toBeDefined();
      expect(rooms.find((room) => room.id === privateRoom.id)).toEqual({
        ...roomShape,
        id: privateRoom.id,
        name: privateRoom.name,
        is_private: true,
        created_by: owner.id,
        is_member: true,
        ...memberFields('owner'),
      });
      expect(rooms.find((room) => room.id === publicRoom.id)?.is_member).toBe(true);

      const invited = await app.http().get('/api/rooms').set('Authorization', member.auth);
      expect((invited.body as Room[]).map((room) => room.id)).toContain(privateRoom.id);

      const other = await app.http().get('/api/rooms').set('Authorization', outsider.auth);
      const otherIds = (other.body as Room[]).map((room) => room.id);
      expect(otherIds).toContain(othersPrivateRoom.id);
      expect(otherIds).not.toContain(privateRoom.id);
    });
  });

  describe('POST /api/rooms', () => {
    it('creates a public room by default, with the caller as owner and only member', async () => {
      const name = uniqueName('room');
      const before = Date.now();
      const response = await app
        .http()
        .post('/api/rooms')
        .set('Authorization', owner.auth)
        .send({ name });
      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        id: expect.any(Number),
        name,
        description: '',
        is_private: false,
        created_by: owner.id,
        created_at: expect.stringMatching(ISO_UTC),
        member_count: 1,
        is_member: true,
        kind: 'channel',
        role: 'owner',
        last_read_id: 0,
        unread_count: 0,
        mention_count: 0,
      });
      const created = response.body as Room;
      expect(Number.isInteger(created.id) && created.id > 0).toBe(true);
      expect(Date.parse(created.created_at)).toBeGreaterThanOrEqual(before - 5_000);
      expect(Date.parse(created.created_at)).toBeLessThanOrEqual(Date.now() + 5_000);

      const fetched = await getRoom(created.id).expect(200);
      expect(fetched.body).toEqual({
        ...created,
        is_member: false,
        role: null,
        last_read_id: null,
        unread_count: null,
        mention_count: null,
      });
      expect(await memberIds(created.id, owner)).toEqual([owner.id]);
    });

    it('creates a private room with a description', async () => {
      const name = uniqueName('room');
      const response = await app
        .http()
        .post('/api/rooms')
        .set('Authorization', owner.auth)
        .send({ name, description: 'Mockups and reviews', is_private: true });
      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        id: expect.any(Number),
        name,
        description: 'Mockups and reviews',
        is_private: true,
        created_by: owner.id,
        created_at: expect.stringMatching(ISO_UTC),
        member_count: 1,
        is_member: true,
        kind: 'channel',
        role: 'owner',
        last_read_id: 0,
        unread_count: 0,
        mention_count: 0,
      });
      const fetched = await getRoom(response.body.id, owner).expect(200);
      expect(fetched.body).toEqual(response.body);
    });

    it('accepts a name of 64 characters', async () => {
      const name = uniqueRoomName(64);
      const response = await app
        .http()
        .post('/api/rooms')
        .set('Authorization', owner.auth)
        .send({ name });
      expect(response.status).toBe(201);
      expect(response.body.name).toBe(name);
    });

    it("answers 409 room_name_taken for a public room's name, whatever its letter case", async () => {
      const send = (name: string, isPrivate = false) =>
        app
          .http()
          .post('/api/rooms')
          .set('Authorization', member.auth)
          .send({ name, is_private: isPrivate });
      expectError(await send(publicRoom.name), 409, 'room_name_taken');
      expectError(await send(publicRoom.name.toUpperCase()), 409, 'room_name_taken');
      expectError(await send(publicRoom.name, true), 409, 'room_name_taken');
      expectError(await send('GENERAL'), 409, 'room_name_taken');
    });

    it("never reveals a private room's name: it blocks no other room", async () => {
      const send = (name: string, isPrivate: boolean) =>
        app
          .http()
          .post('/api/rooms')
          .set('Authorization', member.auth)
          .send({ name, is_private: isPrivate });
      const mine = await send(othersPrivateRoom.name.toUpperCase(), true);
      expect(mine.status).toBe(201);
      const shared = await send(othersPrivateRoom.name, false);
      expect(shared.status).toBe(201);
      expect(shared.body).toMatchObject({ name: othersPrivateRoom.name, is_private: false });
      // The outsider sees only the rooms that are theirs or public.
      const visible = await app.http().get('/api/rooms').set('Authorization', member.auth);
      const named = (visible.body as { id: number; name: string }[]).filter(
        (room) => room.name.toLowerCase() === othersPrivateRoom.name.toLowerCase(),
      );
      expect(named.map((room) => room.id)).toEqual([mine.body.id, shared.body.id]);
    });

    it.each([
      ['a missing name', {}, 'name'],
      ['an empty name', { name: '' }, 'name'],
      ['a name of 65 characters', { name: uniqueRoomName(65) }, 'name'],
      ['a name that is not a string', { name: 42 }, 'name'],
      [
        'is_private that is not a boolean',
        { name: uniqueName('room'), is_private: 'yes' },
        'is_private',
      ],
      [
        'a description that is not a string',
        { name: uniqueName('room'), description: 7 },
        'description',
      ],
      ['an unknown field', { name: uniqueName('room'), topic: 'x' }, 'topic'],
    ])('answers 400 validation_failed for %s', async (_, body, field) => {
      const response = await app
        .http()
        .post('/api/rooms')
        .set('Authorization', owner.auth)
        .send(body);
      expectValidationFailed(response, field);
    });

    it('stores nothing when validation fails', async () => {
      const name = uniqueName('room');
      const refused = await app
        .http()
        .post('/api/rooms')
        .set('Authorization', owner.auth)
        .send({ name, is_private: 'no' });
      expectValidationFailed(refused, 'is_private');
      const response = await app
        .http()
        .post('/api/rooms')
        .set('Authorization', owner.auth)
        .send({ name });
      expect(response.status).toBe(201);
    });

    it('answers 401 unauthorized without a token, or with a forged one', async () => {
      expectError(
        await app
          .http()
          .post('/api/rooms')
          .send({ name: uniqueName('room') }),
        401,
        'unauthorized',
      );
      expectError(
        await app
          .http()
          .post('/api/rooms')
          .set('Authorization', 'Bearer not.a.token')
          .send({ name: uniqueName('room') }),
        401,
        'unauthorized',
      );
    });
  });

  describe('GET /api/rooms/:id', () => {
    it('answers a public room to anyone', async () => {
      const anonymous = await getRoom(publicRoom.id);
      expect(anonymous.status).toBe(200);
      expect(anonymous.body).toEqual({
        ...roomShape,
        id: publicRoom.id,
        name: publicRoom.name,
        is_private: false,
        created_by: owner.id,
        is_member: false,
      });
      const signedIn = await getRoom(publicRoom.id, outsider).expect(200);
      expect(signedIn.body).toEqual(anonymous.body);
      const byOwner = await getRoom(publicRoom.id, owner).expect(200);
      expect(byOwner.body).toEqual({
        ...anonymous.body,
        is_member: true,
        ...memberFields('owner'),
      });
    });

    it('answers a private room to its members', async () => {
      for (const user of [owner, member]) {
        const response = await getRoom(privateRoom.id, user);
        expect(response.status).toBe(200);
        expect(response.body).toEqual({
          ...roomShape,
          id: privateRoom.id,
          name: privateRoom.name,
          is_private: true,
          created_by: owner.id,
          is_member: true,
          ...memberFields(user === owner ? 'owner' : 'member'),
        });
      }
    });

    it('answers 404 room_not_found for a room that does not exist', async () => {
      expectError(await getRoom(MISSING_ROOM_ID), 404, 'room_not_found');
      expectError(await getRoom(MISSING_ROOM_ID, owner), 404, 'room_not_found');
    });

    it('answers 401 unauthorized for a forged token', async () => {
      const response = await app
        .http()
        .get(`/api/rooms/${publicRoom.id}`)
        .set('Authorization', 'Bearer forged.token.value');
      expectError(response, 401, 'unauthorized');
    });
  });

  describe('ids in paths that are not positive integers', () => {
    it.each(['abc', '0', '-1', '1.5', '99999999999'])(
      'answer 400 validation_failed for %s on every room route',
      async (id) => {
        const calls: [string, () => Promise<Response>][] = [
          ['GET room', () => app.http().get(`/api/rooms/${id}`)],
          [
            'POST join',
            () => app.http().post(`/api/rooms/${id}/join`).set('Authorization', owner.auth),
          ],
          [
            'POST leave',
            () => app.http().post(`/api/rooms/${id}/leave`).set('Authorization', owner.auth),
          ],
          ['GET members', () => app.http().get(`/api/rooms/${id}/members`)],
          [
            'POST members',
            () =>
              app
                .http()
                .post(`/api/rooms/${id}/members`)
                .set('Authorization', owner.auth)
                .send({ username: member.username }),
          ],
          ['GET messages', () => app.http().get(`/api/rooms/${id}/messages`)],
          [
            'POST messages',
            () =>
              app
                .http()
                .post(`/api/rooms/${id}/messages`)
                .set('Authorization', owner.auth)
                .send({ content: 'hello' }),
          ],
        ];
        for (const [label, call] of calls) {
          const response = await call();
          expect({ label, status: response.status }).toEqual({ label, status: 400 });
          expectValidationFailed(response, 'id');
        }
      },
    );
  });

  describe('a private room is invisible to those outside it', () => {
    type Call = (roomId: number, user?: RegisteredUser) => Promise<Response>;
    const withAuth = (call: Test, user?: RegisteredUser): Test =>
      user ? call.set('Authorization', user.auth) : call;

    const calls: [string, Call, 'anonymous too' | 'signed in only'][] = [
      [
        'GET /api/rooms/:id',
        (id, user) => withAuth(app.http().get(`/api/rooms/${id}`), user),
        'anonymous too',
      ],
      [
        'POST /api/rooms/:id/join',
        (id, user) => withAuth(app.http().post(`/api/rooms/${id}/join`), user),
        'signed in only',
      ],
      [
        'POST /api/rooms/:id/leave',
        (id, user) => withAuth(app.http().post(`/api/rooms/${id}/leave`), user),
        'signed in only',
      ],
      [
        'GET /api/rooms/:id/members',
        (id, user) => withAuth(app.http().get(`/api/rooms/${id}/members`), user),
        'anonymous too',
      ],
      [
        'POST /api/rooms/:id/members',
        (id, user) =>
          withAuth(app.http().post(`/api/rooms/${id}/members`), user).send({
            username: outsider.username,
          }),
        'signed in only',
      ],
      [
        'GET /api/rooms/:id/messages',
        (id, user) => withAuth(app.http().get(`/api/rooms/${id}/messages`), user),
        'anonymous too',
      ],
      [
        'POST /api/rooms/:id/messages',
        (id, user) =>
          withAuth(app.http().post(`/api/rooms/${id}/messages`), user).send({
            content: 'let me in',
          }),
        'signed in only',
      ],
    ];

    it.each(calls)(
      '%s answers a non-member 404 room_not_found, exactly as for a missing room',
      async (_, call, who) => {
        const callers: (RegisteredUser | undefined)[] =
          who === 'anonymous too' ? [outsider, undefined] : [outsider];
        for (const caller of callers) {
          const hidden = await call(privateRoom.id, caller);
          const missing = await call(MISSING_ROOM_ID, caller);
          expectError(hidden, 404, 'room_not_found');
          expectError(missing, 404, 'room_not_found');
          expect(withoutRoomId(hidden.body, privateRoom.id)).toEqual(
            withoutRoomId(missing.body, MISSING_ROOM_ID),
          );
          expect(hidden.headers['content-type']).toBe(missing.headers['content-type']);
        }
      },
    );

    it('leaves the room untouched after those calls', async () => {
      const response = await getRoom(privateRoom.id, owner).expect(200);
      expect(response.body.member_count).toBe(2);
      expect((await memberIds(privateRoom.id, owner)).sort((a, b) => a - b)).toEqual(
        [owner.id, member.id].sort((a, b) => a - b),
      );
      const history = await app
        .http()
        .get(`/api/rooms/${privateRoom.id}/messages`)
        .set('Authorization', owner.auth)
        .expect(200);
      expect(history.body).toEqual([]);
    });
  });

  describe('POST /api/rooms/:id/join', () => {
    it('joins a public room and answers the room with one more member', async () => {
      const room = await createRoom(app, owner);
      const response = await app
        .http()
        .post(`/api/rooms/${room.id}/join`)
        .set('Authorization', member.auth);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        ...roomShape,
        id: room.id,
        name: room.name,
        is_private: false,
        created_by: owner.id,
        member_count: 2,
        is_member: true,
        ...memberFields('member'),
      });
      expect((await getRoom(room.id).expect(200)).body.member_count).toBe(2);
      expect(await memberIds(room.id, member)).toContain(member.id);
    });

    it('keeps a single membership when the caller joins twice', async () => {
      const room = await createRoom(app, owner);
      await joinRoom(app, member, room.id);
      const again = await app
        .http()
        .post(`/api/rooms/${room.id}/join`)
        .set('Authorization', member.auth);
      expect(again.status).toBe(200);
      expect(again.body.member_count).toBe(2);
    });

    it('lets a member of a private room join it again', async () => {
      const response = await app
        .http()
        .post(`/api/rooms/${privateRoom.id}/join`)
        .set('Authorization', member.auth);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        id: privateRoom.id,
        is_private: true,
        member_count: 2,
      });
    });

    it('answers 404 room_not_found for a missing room and 401 without a token', async () => {
      expectError(
        await app
          .http()
          .post(`/api/rooms/${MISSING_ROOM_ID}/join`)
          .set('Authorization', member.auth),
        404,
        'room_not_found',
      );
      expectError(await app.http().post(`/api/rooms/${publicRoom.id}/join`), 401, 'unauthorized');
    });
  });

  describe('POST /api/rooms/:id/leave', () => {
    it('answers 204 with no body and removes the membership', async () => {
      const room = await createRoom(app, owner);
      await joinRoom(app, member, room.id);
      const response = await app
        .http()
        .post(`/api/rooms/${room.id}/leave`)
        .set('Authorization', member.auth);
      expect(response.status).toBe(204);
      expect(response.text).toBeFalsy();
      expect((await getRoom(room.id).expect(200)).body.member_count).toBe(1);
      expect(await memberIds(room.id, owner)).toEqual([owner.id]);
    });

    it('lets a member leave a private room, which then vanishes for them', async () => {
      const room = await createRoom(app, owner, { isPrivate: true });
      await app
        .http()
        .post(`/api/rooms/${room.id}/members`)
        .set('Authorization', owner.auth)
        .send({ username: member.username })
        .expect(201);
      await app
        .http()
        .post(`/api/rooms/${room.id}/leave`)
        .set('Authorization', member.auth)
        .expect(204);
      expectError(await getRoom(room.id, member), 404, 'room_not_found');
      const listed = await app.http().get('/api/rooms').set('Authorization', member.auth);
      expect((listed.body as Room[]).map((r) => r.id)).not.toContain(room.id);
    });

    it('answers 404 room_not_found for a missing room and 401 without a token', async () => {
      expectError(
        await app
          .http()
          .post(`/api/rooms/${MISSING_ROOM_ID}/leave`)
          .set('Authorization', member.auth),
        404,
        'room_not_found',
      );
      expectError(await app.http().post(`/api/rooms/${publicRoom.id}/leave`), 401, 'unauthorized');
    });
  });

  describe('GET /api/rooms/:id/members', () => {
    it('lists the users of a public room to anyone, without any secret field', async () => {
      const room = await createRoom(app, owner);
      await joinRoom(app, member, room.id);
      const response = await app.http().get(`/api/rooms/${room.id}/members`);
      expect(response.status).toBe(200);
      const users = response.body as Member[];
      for (const user of users) expect(user).toEqual(memberShape);
      expect(JSON.stringify(response.body)).not.toMatch(/pass|hash|argon/i);
      expect(users.map((user) => user.id).sort((a, b) => a - b)).toEqual(
        [owner.id, member.id].sort((a, b) => a - b),
      );
      expect(users.find((user) => user.id === member.id)).toEqual({
        ...memberShape,
        id: member.id,
        username: member.username,
        room_role: 'member',
      });
      expect(users.find((user) => user.id === owner.id)?.room_role).toBe('owner');
    });

    it('lists the users of a private room to its members', async () => {
      const response = await app
        .http()
        .get(`/api/rooms/${privateRoom.id}/members`)
        .set('Authorization', member.auth);
      expect(response.status).toBe(200);
      const users = response.body as Member[];
      for (const user of users) expect(user).toEqual(memberShape);
      expect(JSON.stringify(response.body)).not.toMatch(/pass|hash|argon/i);
      expect(users.map((user) => user.username).sort()).toEqual(
        [owner.username, member.username].sort(),
      );
    });

    it('answers 404 room_not_found for a missing room', async () => {
      expectError(
        await app.http().get(`/api/rooms/${MISSING_ROOM_ID}/members`),
        404,
        'room_not_found',
      );
    });
  });

  describe('POST /api/rooms/:id/members (invite)', () => {
    let room: CreatedRoom;
    let guest: RegisteredUser;

    beforeAll(async () => {
      [room, guest] = await Promise.all([
        createRoom(app, owner, { isPrivate: true }),
        registerUser(app),
      ]);
    });

    it('lets the owner add a user and answers the added user', async () => {
      expectError(await getRoom(room.id, guest), 404, 'room_not_found');
      const response = await app
        .http()
        .post(`/api/rooms/${room.id}/members`)
        .set('Authorization', owner.auth)
        .send({ username: guest.username });
      expect(response.status).toBe(201);
      expect(response.body).toEqual({ ...userShape, id: guest.id, username: guest.username });
      expect(JSON.stringify(response.body)).not.toMatch(/pass|hash|argon/i);
    });

    it('lets the added user read the private room', async () => {
      const fetched = await getRoom(room.id, guest);
      expect(fetched.status).toBe(200);
      expect(fetched.body).toMatchObject({ id: room.id, is_private: true, member_count: 2 });
      const listed = await app.http().get('/api/rooms').set('Authorization', guest.auth);
      expect((listed.body as Room[]).map((r) => r.id)).toContain(room.id);
      const history = await app
        .http()
        .get(`/api/rooms/${room.id}/messages`)
        .set('Authorization', guest.auth);
      expect(history.status).toBe(200);
      expect(history.body).toEqual([]);
      expect(await memberIds(room.id, guest)).toContain(guest.id);
      const sent = await app
        .http()
        .post(`/api/rooms/${room.id}/messages`)
        .set('Authorization', guest.auth)
        .send({ content: 'thanks for the invite' });
      expect(sent.status).toBe(201);
    });

    it('answers 403 not_room_owner to a member who is not the owner', async () => {
      const response = await app
        .http()
        .post(`/api/rooms/${room.id}/members`)
        .set('Authorization', guest.auth)
        .send({ username: member.username });
      expectError(response, 403, 'not_room_owner');
      expectError(await getRoom(room.id, member), 404, 'room_not_found');
    });

    it('answers 404 user_not_found for an unknown username', async () => {
      const response = await app
        .http()
        .post(`/api/rooms/${room.id}/members`)
        .set('Authorization', owner.auth)
        .send({ username: uniqueName('nobody') });
      expectError(response, 404, 'user_not_found');
      expect((await getRoom(room.id, owner).expect(200)).body.member_count).toBe(2);
    });

    it('answers 404 room_not_found for a missing room', async () => {
      const response = await app
        .http()
        .post(`/api/rooms/${MISSING_ROOM_ID}/members`)
        .set('Authorization', owner.auth)
        .send({ username: guest.username });
      expectError(response, 404, 'room_not_found');
    });

    it.each([
      ['a missing username', {}, 'username'],
      ['a username that is not a string', { username: 12 }, 'username'],
      ['an unknown field', { username: 'someone', role: 'admin' }, 'role'],
    ])('answers 400 validation_failed for %s', async (_, body, field) => {
      const response = await app
        .http()
        .post(`/api/rooms/${room.id}/members`)
        .set('Authorization', owner.auth)
        .send(body);
      expectValidationFailed(response, field);
    });

    it('answers 401 unauthorized without a token', async () => {
      const response = await app
        .http()
        .post(`/api/rooms/${room.id}/members`)
        .send({ username: guest.username });
      expectError(response, 401, 'unauthorized');
    });
  });
});
