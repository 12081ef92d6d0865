import type { Socket } from 'socket.io-client';
import type { Test } from 'supertest';
import type { WebSocket } from 'ws';
import type { Member, Room } from '../src/contract/objects';
import { createRoom, CreatedRoom, joinRoom, sendMessage } from './factories/rooms.factory';
import { RegisteredUser, registerUser, signInAdmin, uniqueName } from './factories/users.factory';
import { expectError, expectValidationFailed, MISSING_ROOM_ID } from './support/http-expectations';
import {
  emitAck,
  expectNoEvent,
  expectNoFrame,
  nextEvent,
  nextFrame,
  rawRequest,
  RealtimeClients,
  type Received,
} from './support/realtime-clients';
import { LogCapture } from './support/log-capture';
import { until } from './support/polling';
import { memberEvent } from './support/realtime-fixtures';
import { startApp, STORES, TestApp } from './support/test-app';

const MISSING_USER_ID = 2_000_000_000;

describe.each(STORES)('room moderation (%s store)', (store) => {
  let app: TestApp;
  /** Owns every room made by `moderatedRoom`. */
  let owner: RegisteredUser;
  /** An admin of each such room. */
  let admin: RegisteredUser;
  /** A second admin, for the rank rules. */
  let otherAdmin: RegisteredUser;
  let member: RegisteredUser;
  /** In none of the rooms. */
  let outsider: RegisteredUser;
  let serverAdmin: RegisteredUser;
  const clients = new RealtimeClients();

  beforeAll(async () => {
    app = await startApp(store);
    [owner, admin, otherAdmin, member, outsider] = await Promise.all(
      Array.from({ length: 5 }, () => registerUser(app)),
    );
    serverAdmin = await signInAdmin(app);
  });
  afterEach(() => clients.closeAll());
  afterAll(() => app.close());

  const as = (user: RegisteredUser | undefined, call: Test): Test =>
    user ? call.set('Authorization', user.auth) : call;
  const roomPath = (roomId: number) => `/api/rooms/${roomId}`;
  const update = (user: RegisteredUser | undefined, roomId: number, body: object) =>
    as(user, app.http().patch(roomPath(roomId)).send(body));
  const deleteRoom = (user: RegisteredUser | undefined, roomId: number) =>
    as(user, app.http().delete(roomPath(roomId)));
  const setRole = (
    user: RegisteredUser | undefined,
    roomId: number,
    userId: number | string,
    body: object,
  ) =>
    as(
      user,
      app
        .http()
        .patch(`${roomPath(roomId)}/members/${userId}`)
        .send(body),
    );
  const removeMember = (
    user: RegisteredUser | undefined,
    roomId: number,
    userId: number | string,
  ) => as(user, app.http().delete(`${roomPath(roomId)}/members/${userId}`));
  const ban = (user: RegisteredUser | undefined, roomId: number, body: object) =>
    as(
      user,
      app
        .http()
        .post(`${roomPath(roomId)}/bans`)
        .send(body),
    );
  const unban = (user: RegisteredUser | undefined, roomId: number, userId: number | string) =>
    as(user, app.http().delete(`${roomPath(roomId)}/bans/${userId}`));
  const bans = (user: RegisteredUser | undefined, roomId: number) =>
    as(user, app.http().get(`${roomPath(roomId)}/bans`));
  const join = (user: RegisteredUser, roomId: number) =>
    as(user, app.http().post(`${roomPath(roomId)}/join`));
  const members = async (roomId: number): Promise<Member[]> =>
    (await as(owner, app.http().get(`${roomPath(roomId)}/members`)).expect(200)).body as Member[];
  const socketOf = (user: RegisteredUser): Promise<Socket> => clients.socket(app.url, user.token);
  const rawOf = (user: RegisteredUser): Promise<WebSocket> => clients.raw(app.url, user.token);

  /**
   * A fresh room of `owner` with `admin` and `otherAdmin` as admins and `member` as a member;
   * private rooms get their people added by the owner.
   */
  async function moderatedRoom(options: { isPrivate?: boolean } = {}): Promise<CreatedRoom> {
    const room = await createRoom(app, owner, options);
    for (const user of [admin, otherAdmin, member]) {
      if (options.isPrivate) {
        await as(owner, app.http().post(`${roomPath(room.id)}/members`))
          .send({ username: user.username })
          .expect(201);
      } else {
        await joinRoom(app, user, room.id);
      }
    }
    for (const user of [admin, otherAdmin]) {
      await setRole(owner, room.id, user.id, { role: 'admin' }).expect(200);
    }
    return room;
  }

  describe('GET /api/rooms/:id/members', () => {
    it("answers each member's room_role beside the user's fields", async () => {
      const room = await moderatedRoom();
      const roles = (await members(room.id)).map((user) => [user.id, user.room_role]);
      expect(roles).toEqual(
        expect.arrayContaining([
          [owner.id, 'owner'],
          [admin.id, 'admin'],
          [otherAdmin.id, 'admin'],
          [member.id, 'member'],
        ]),
      );
      expect((await members(room.id))[0]).toMatchObject({
        id: expect.any(Number),
        username: expect.any(String),
        display_name: expect.any(String),
        role: expect.stringMatching(/^(admin|user)$/),
        online: expect.any(Boolean),
      });
    });

    it('gives each caller their own role in the room object', async () => {
      const room = await moderatedRoom();
      const roleOf = async (user: RegisteredUser) =>
        ((await as(user, app.http().get(roomPath(room.id))).expect(200)).body as Room).role;
      expect(await roleOf(owner)).toBe('owner');
      expect(await roleOf(admin)).toBe('admin');
      expect(await roleOf(member)).toBe('member');
      expect(await roleOf(outsider)).toBeNull();
    });
  });

  describe('PATCH /api/rooms/:id', () => {
    it('lets the owner rename and an admin describe the room: 200 with the room as they see it', async () => {
      const room = await moderatedRoom();
      const name = `renamed_${room.id}`;

      const renamed = (await update(owner, room.id, { name: ` ${name} ` }).expect(200))
        .body as Room;
      expect(renamed).toMatchObject({ id: room.id, name, role: 'owner', created_by: owner.id });

      const described = (await update(admin, room.id, { description: 'plans' }).expect(200))
        .body as Room;
      expect(described).toMatchObject({ name, description: 'plans', role: 'admin' });
      expect((await app.http().get(roomPath(room.id)).expect(200)).body).toMatchObject({
        name,
        description: 'plans',
      });
    });

    it("sends room_updated to each member's connections, with their own role and counts, on both transports", async () => {
      const room = await moderatedRoom();
      await sendMessage(app, owner, room.id, 'one');
      await sendMessage(app, owner, room.id, `two for @${member.username}`);
      const memberSocket = await socketOf(member);
      const adminRaw = await rawOf(admin);
      const toMember = nextEvent<{ room: Room }>(memberSocket, 'room_updated');
      const toAdmin = nextFrame(adminRaw, (frame) => frame.type === 'room_updated');

      await update(owner, room.id, { description: 'news' }).expect(200);

      expect((await toMember).room).toMatchObject({
        id: room.id,
        description: 'news',
        role: 'member',
        is_member: true,
        unread_count: 2,
        mention_count: 1,
      });
      expect(await toAdmin).toMatchObject({
        type: 'room_updated',
        room: {
          id: room.id,
          description: 'news',
          role: 'admin',
          unread_count: 2,
          mention_count: 0,
        },
      });
    });

    it('takes an empty change as none: 200 with the room, and nobody told', async () => {
      const room = await moderatedRoom();
      const memberSocket = await socketOf(member);
      const firstUpdate = nextEvent<{ room: Room }>(memberSocket, 'room_updated');

      const unchanged = await update(owner, room.id, {}).expect(200);
      expect(unchanged.body).toMatchObject({ id: room.id, name: room.name, role: 'owner' });
      await update(owner, room.id, { description: 'after nothing' }).expect(200);

      // Events reach a socket in order: had the empty change been told, it would come first.
      expect((await firstUpdate).room.description).toBe('after nothing');
    });

    it('refuses members and non-members with 403 forbidden, and answers outsiders of a private room 404', async () => {
      const room = await moderatedRoom();
      expectError(await update(member, room.id, { description: 'x' }), 403, 'forbidden');
      expectError(await update(outsider, room.id, { description: 'x' }), 403, 'forbidden');
      expectError(await update(undefined, room.id, { description: 'x' }), 401, 'unauthorized');
      const secret = await moderatedRoom({ isPrivate: true });
      expectError(await update(outsider, secret.id, { name: 'x' }), 404, 'room_not_found');
      expectError(await update(owner, MISSING_ROOM_ID, { name: 'x' }), 404, 'room_not_found');
      const name = uniqueName('secret');
      expect((await update(admin, secret.id, { name }).expect(200)).body.name).toBe(name);
    });

    it("answers 409 room_name_taken for another public room's name, in any case", async () => {
      const [room, other] = [await moderatedRoom(), await createRoom(app, outsider)];
      expectError(
        await update(owner, room.id, { name: other.name.toUpperCase() }),
        409,
        'room_name_taken',
      );
    });

    it('validates as creation does: 400 for bad names, unknown fields and non-positive ids', async () => {
      const room = await moderatedRoom();
      expectValidationFailed(await update(owner, room.id, { name: '   ' }), 'name');
      expectValidationFailed(await update(owner, room.id, { name: 'x'.repeat(65) }), 'name');
      expectValidationFailed(await update(owner, room.id, { name: 42 }), 'name');
      expectValidationFailed(await update(owner, room.id, { is_private: true }));
      expectValidationFailed(await as(owner, app.http().patch('/api/rooms/0').send({})));
      expectValidationFailed(await as(owner, app.http().patch('/api/rooms/-3').send({})));
    });

    it('refuses a direct room with 403 forbidden', async () => {
      const dm = await as(owner, app.http().post('/api/dms'))
        .send({ username: member.username })
        .expect((response) => expect([200, 201]).toContain(response.status));
      expectError(await update(owner, dm.body.id, { name: 'x' }), 403, 'forbidden');
      expectError(await deleteRoom(owner, dm.body.id), 403, 'forbidden');
    });
  });

  describe('PATCH /api/rooms/:id/members/:user_id', () => {
    it('lets the owner make a member an admin and back: 200 with the member', async () => {
      const room = await moderatedRoom();
      const promoted = await setRole(owner, room.id, member.id, { role: 'admin' }).expect(200);
      expect(promoted.body).toMatchObject({
        id: member.id,
        username: member.username,
        room_role: 'admin',
      });
      expect(
        ((await as(member, app.http().get(roomPath(room.id))).expect(200)).body as Room).role,
      ).toBe('admin');
      const demoted = await setRole(owner, room.id, member.id, { role: 'member' }).expect(200);
      expect(demoted.body.room_role).toBe('member');
    });

    it("tells the member's connections their new role with room_updated, on both transports", async () => {
      const room = await moderatedRoom();
      const memberSocket = await socketOf(member);
      const memberRaw = await rawOf(member);
      const isRoom = (payload: { room: Room }) => payload.room.id === room.id;
      const promotion = nextEvent<{ room: Room }>(memberSocket, 'room_updated', isRoom);
      const promotionFrame = nextFrame(
        memberRaw,
        (frame) => frame.type === 'room_updated' && isRoom(frame as never),
      );

      await setRole(owner, room.id, member.id, { role: 'admin' }).expect(200);

      expect((await promotion).room).toMatchObject({ id: room.id, role: 'admin' });
      expect((await promotionFrame).room).toMatchObject({ id: room.id, role: 'admin' });
      const demotion = nextEvent<{ room: Room }>(memberSocket, 'room_updated', isRoom);
      await setRole(owner, room.id, member.id, { role: 'member' }).expect(200);
      expect((await demotion).room).toMatchObject({ id: room.id, role: 'member' });
    });

    it("refuses admins and members (403), the owner's own role (403), and non-members (404 user_not_found)", async () => {
      const room = await moderatedRoom();
      expectError(await setRole(admin, room.id, member.id, { role: 'admin' }), 403, 'forbidden');
      expectError(await setRole(member, room.id, member.id, { role: 'admin' }), 403, 'forbidden');
      expectError(await setRole(owner, room.id, owner.id, { role: 'member' }), 403, 'forbidden');
      expectError(
        await setRole(owner, room.id, outsider.id, { role: 'admin' }),
        404,
        'user_not_found',
      );
      const secret = await moderatedRoom({ isPrivate: true });
      expectError(
        await setRole(outsider, secret.id, member.id, { role: 'admin' }),
        404,
        'room_not_found',
      );
    });

    it('answers 400 for other roles, unknown fields and non-positive ids', async () => {
      const room = await moderatedRoom();
      expectValidationFailed(await setRole(owner, room.id, member.id, { role: 'owner' }), 'role');
      expectValidationFailed(await setRole(owner, room.id, member.id, { role: 'boss' }), 'role');
      expectValidationFailed(await setRole(owner, room.id, member.id, {}), 'role');
      expectValidationFailed(
        await setRole(owner, room.id, member.id, { role: 'admin', extra: true }),
      );
      expectValidationFailed(await setRole(owner, room.id, 0, { role: 'admin' }), 'user_id');
      expectValidationFailed(await setRole(owner, room.id, 'x', { role: 'admin' }), 'user_id');
    });
  });

  describe('DELETE /api/rooms/:id/members/:user_id', () => {
    it('puts the member out at once: room_removed to them, user_left to the room, and no later message', async () => {
      const room = await moderatedRoom();
      // A room the removed member stays in: its message marks where the removal must have acted.
      const still = await createRoom(app, owner);
      await joinRoom(app, member, still.id);
      const [removedSocket, removedRaw, ownerSocket] = [
        await socketOf(member),
        await rawOf(member),
        await socketOf(owner),
      ];
      const removed = nextEvent(removedSocket, 'room_removed');
      const removedFrame = nextFrame(removedRaw, (frame) => frame.type === 'room_removed');
      const left = nextEvent(ownerSocket, 'user_left', (event) => event.room_id === room.id);

      await removeMember(admin, room.id, member.id).expect(204);

      expect(await removed).toEqual({ room_id: room.id });
      expect(await removedFrame).toEqual({ type: 'room_removed', room_id: room.id });
      expect(await left).toEqual(memberEvent(room.id, member));
      const fromRoom = (message: Received) => message.room_id === room.id;
      const marker = (content: string) => ({
        send: async () => {
          await sendMessage(app, owner, room.id, `after the removal: ${content}`);
          await sendMessage(app, owner, still.id, content);
        },
        event: 'chat_message',
        predicate: (message: { content: string }) => message.content === content,
      });
      await expectNoEvent(removedSocket, 'chat_message', fromRoom, marker('socket marker'));
      const rawMarker = marker('raw marker');
      await expectNoFrame(removedRaw, (frame) => frame.type === 'chat_message' && fromRoom(frame), {
        send: rawMarker.send,
        predicate: (frame) => frame.type === 'chat_message' && frame.content === 'raw marker',
      });
      expect((await members(room.id)).map((user) => user.id)).not.toContain(member.id);
      expectError(
        await as(member, app.http().post(`${roomPath(room.id)}/messages`)).send({ content: 'hi' }),
        403,
        'not_a_member',
      );
    });

    it('keeps the rank rules: admins not over admins or the owner, the owner over admins', async () => {
      const room = await moderatedRoom();
      expectError(await removeMember(admin, room.id, otherAdmin.id), 403, 'forbidden');
      expectError(await removeMember(admin, room.id, owner.id), 403, 'forbidden');
      expectError(await removeMember(owner, room.id, owner.id), 403, 'forbidden');
      expectError(await removeMember(member, room.id, admin.id), 403, 'forbidden');
      expectError(await removeMember(outsider, room.id, member.id), 403, 'forbidden');
      await removeMember(owner, room.id, otherAdmin.id).expect(204);
      expectError(await removeMember(owner, room.id, otherAdmin.id), 404, 'user_not_found');
      expectError(await removeMember(owner, room.id, MISSING_USER_ID), 404, 'user_not_found');
      expectValidationFailed(await removeMember(owner, room.id, 0), 'user_id');
      const secret = await moderatedRoom({ isPrivate: true });
      expectError(await removeMember(outsider, secret.id, member.id), 404, 'room_not_found');
    });
  });

  describe('bans', () => {
    it('removes and bars a member: 403 banned on joining and adding, until unbanned', async () => {
      const room = await moderatedRoom();
      const memberSocket = await socketOf(member);
      const removed = nextEvent(memberSocket, 'room_removed');

      await ban(admin, room.id, { user_id: member.id }).expect(204);

      expect(await removed).toEqual({ room_id: room.id });
      expect((await members(room.id)).map((user) => user.id)).not.toContain(member.id);
      expectError(await join(member, room.id), 403, 'banned');
      expect(await emitAck(memberSocket, 'join_room', { room_id: room.id })).toEqual({
        ok: false,
        error: expect.objectContaining({ code: 'banned' }),
      });
      const banned = (await bans(admin, room.id).expect(200)).body as { id: number }[];
      expect(banned.map((user) => user.id)).toEqual([member.id]);
      expectError(
        await as(owner, app.http().post(`${roomPath(room.id)}/members`)).send({
          username: member.username,
        }),
        403,
        'banned',
      );

      await unban(admin, room.id, member.id).expect(204);
      await unban(admin, room.id, member.id).expect(204);
      expect((await bans(owner, room.id).expect(200)).body).toEqual([]);
      expect((await join(member, room.id).expect(200)).body).toMatchObject({ role: 'member' });
    });

    it('bans a user who never joined', async () => {
      const room = await moderatedRoom();
      await ban(owner, room.id, { user_id: outsider.id }).expect(204);
      expectError(await join(outsider, room.id), 403, 'banned');
      await unban(owner, room.id, outsider.id).expect(204);
    });

    it('answers a banned outsider of a private room as for no room', async () => {
      const secret = await moderatedRoom({ isPrivate: true });
      await ban(owner, secret.id, { user_id: outsider.id }).expect(204);
      expectError(await join(outsider, secret.id), 404, 'room_not_found');
      expectError(await bans(outsider, secret.id), 404, 'room_not_found');
    });

    it('keeps the rank rules and refuses members', async () => {
      const room = await moderatedRoom();
      expectError(await ban(admin, room.id, { user_id: otherAdmin.id }), 403, 'forbidden');
      expectError(await ban(admin, room.id, { user_id: owner.id }), 403, 'forbidden');
      expectError(await ban(member, room.id, { user_id: outsider.id }), 403, 'forbidden');
      expectError(await unban(member, room.id, outsider.id), 403, 'forbidden');
      expectError(await bans(member, room.id), 403, 'forbidden');
      expectError(await ban(owner, room.id, { user_id: MISSING_USER_ID }), 404, 'user_not_found');
      await ban(owner, room.id, { user_id: otherAdmin.id }).expect(204);
    });

    it('answers 400 for bad user ids and unknown fields', async () => {
      const room = await moderatedRoom();
      expectValidationFailed(await ban(owner, room.id, { user_id: 0 }), 'user_id');
      expectValidationFailed(await ban(owner, room.id, { user_id: '7' }), 'user_id');
      expectValidationFailed(await ban(owner, room.id, {}), 'user_id');
      expectValidationFailed(await ban(owner, room.id, { user_id: member.id, reason: 'x' }));
      expectValidationFailed(await unban(owner, room.id, -1), 'user_id');
      expectValidationFailed(await as(owner, app.http().get('/api/rooms/0/bans')));
    });
  });

  describe('DELETE /api/rooms/:id', () => {
    it('lets the owner delete the room: room_removed to every member, then it and its messages are gone', async () => {
      const room = await moderatedRoom();
      const sent = await sendMessage(app, member, room.id, 'soon gone');
      const [memberSocket, adminRaw] = [await socketOf(member), await rawOf(admin)];
      const removed = nextEvent(memberSocket, 'room_removed');
      const removedFrame = nextFrame(adminRaw, (frame) => frame.type === 'room_removed');

      expectError(await deleteRoom(admin, room.id), 403, 'forbidden');
      expectError(await deleteRoom(member, room.id), 403, 'forbidden');
      await deleteRoom(owner, room.id).expect(204);

      expect(await removed).toEqual({ room_id: room.id });
      expect(await removedFrame).toEqual({ type: 'room_removed', room_id: room.id });
      expectError(await app.http().get(roomPath(room.id)), 404, 'room_not_found');
      expectError(await app.http().get(`${roomPath(room.id)}/messages`), 404, 'room_not_found');
      expectError(
        await app.http().get(`${roomPath(room.id)}/messages/${sent.id}`),
        404,
        'room_not_found',
      );
      expectError(await deleteRoom(owner, room.id), 404, 'room_not_found');
      const listed = (await as(member, app.http().get('/api/rooms')).expect(200)).body as Room[];
      expect(listed.map((each) => each.id)).not.toContain(room.id);
    });

    it('lets a server admin delete rooms they are not in, private ones too', async () => {
      const [room, secret] = [await moderatedRoom(), await moderatedRoom({ isPrivate: true })];
      await deleteRoom(serverAdmin, room.id).expect(204);
      await deleteRoom(serverAdmin, secret.id).expect(204);
      expectError(await as(owner, app.http().get(roomPath(secret.id))), 404, 'room_not_found');
      expectError(await deleteRoom(outsider, room.id), 404, 'room_not_found');
    });

    it("leaves the default rooms to server admins: their owner-less rooms refuse others' changes", async () => {
      const general = ((await app.http().get('/api/rooms').expect(200)).body as Room[]).find(
        (each) => each.created_by === null,
      )!;
      expectError(await update(member, general.id, { description: 'mine' }), 403, 'forbidden');
      expectError(await deleteRoom(member, general.id), 403, 'forbidden');
      const description = general.description;
      await update(serverAdmin, general.id, { description }).expect(200);
    });
  });

  describe("deleting others' messages", () => {
    it('lets room owners and admins delete them, and refuses members with 403 forbidden', async () => {
      const room = await moderatedRoom();
      const messagePath = (id: number) => `${roomPath(room.id)}/messages/${id}`;
      const [first, second] = [
        await sendMessage(app, member, room.id, 'first'),
        await sendMessage(app, admin, room.id, 'second'),
      ];
      expectError(await as(member, app.http().delete(messagePath(second.id))), 403, 'forbidden');
      await as(admin, app.http().delete(messagePath(first.id))).expect(204);
      await as(owner, app.http().delete(messagePath(second.id))).expect(204);
      const socket = await socketOf(admin);
      const third = await sendMessage(app, member, room.id, 'third');
      expect(
        await emitAck(socket, 'delete_message', { room_id: room.id, message_id: third.id }),
      ).toMatchObject({ ok: true, message: { id: third.id, deleted: true } });
    });

    it('lets a server admin delete messages of rooms they are not in, on every transport', async () => {
      const [room, secret] = [await moderatedRoom(), await moderatedRoom({ isPrivate: true })];
      const messagePath = (roomId: number, id: number) => `${roomPath(roomId)}/messages/${id}`;
      const inRoom = await sendMessage(app, member, room.id, 'public');
      const inSecret = await sendMessage(app, member, secret.id, 'private');
      const memberSocket = await socketOf(member);
      const updated = nextEvent(
        memberSocket,
        'message_updated',
        (event) => event.message.id === inSecret.id,
      );

      await as(serverAdmin, app.http().delete(messagePath(room.id, inRoom.id))).expect(204);
      await as(serverAdmin, app.http().delete(messagePath(secret.id, inSecret.id))).expect(204);
      expect((await updated).message).toMatchObject({ deleted: true, content: '' });

      const [viaSocket, viaRaw] = [
        await sendMessage(app, member, room.id, 'socket'),
        await sendMessage(app, member, room.id, 'raw'),
      ];
      const adminSocket = await socketOf(serverAdmin);
      expect(
        await emitAck(adminSocket, 'delete_message', {
          room_id: room.id,
          message_id: viaSocket.id,
        }),
      ).toMatchObject({ ok: true, message: { deleted: true } });
      const adminRaw = await rawOf(serverAdmin);
      expect(
        await rawRequest(adminRaw, {
          type: 'delete_message',
          room_id: room.id,
          message_id: viaRaw.id,
        }),
      ).toMatchObject({ type: 'ack', ok: true, message: { deleted: true } });
    });
  });
  describe('the moderation log', () => {
    const log = new LogCapture();
    let logged: TestApp;

    beforeAll(async () => {
      logged = await startApp(store, { LOG_LEVEL: 'log', LOG_FORMAT: 'json' }, 0, log);
    });
    afterAll(() => logged.close());

    it('writes one line per action: who, what, whom, which room', async () => {
      const [boss, user] = [await registerUser(logged), await registerUser(logged)];
      const room = await createRoom(logged, boss);
      await joinRoom(logged, user, room.id);
      const message = await sendMessage(logged, user, room.id, 'moderated');
      const call = (test: Test) => test.set('Authorization', boss.auth);
      await call(logged.http().delete(`${roomPath(room.id)}/messages/${message.id}`)).expect(204);
      await call(
        logged
          .http()
          .post(`${roomPath(room.id)}/bans`)
          .send({ user_id: user.id }),
      ).expect(204);
      await call(logged.http().delete(roomPath(room.id))).expect(204);

      // The moderation log's lines carry their fields under `data`.
      const moderation = () =>
        log
          .records()
          .map((record) => record.data as Record<string, unknown> | undefined)
          .filter((data) => data?.event === 'moderation' && data.room_id === room.id);
      await until('the moderation lines', async () => moderation().length === 3);
      expect(moderation()).toEqual([
        expect.objectContaining({
          action: 'message_deleted',
          actor_id: boss.id,
          target_user_id: user.id,
          message_id: message.id,
        }),
        expect.objectContaining({
          action: 'user_banned',
          actor_id: boss.id,
          target_user_id: user.id,
        }),
        expect.objectContaining({
          action: 'room_deleted',
          actor_id: boss.id,
          target_user_id: null,
        }),
      ]);
    });
  });
});
