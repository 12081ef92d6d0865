import type { Socket } from 'socket.io-client';
import type { Test } from 'supertest';
import type WebSocket from 'ws';
import type { Message, Room } from '../src/contract/objects';
import { createRoom, CreatedRoom, joinRoom, sendMessage } from './factories/rooms.factory';
import { RegisteredUser, registerUser } from './factories/users.factory';
import { expectError, expectValidationFailed, MISSING_ROOM_ID } from './support/http-expectations';
import {
  emitAck,
  expectNoEvent,
  nextEvent,
  nextFrame,
  rawRequest,
  RealtimeClients,
} from './support/realtime-clients';
import { startApp, STORES, TestApp } from './support/test-app';

describe.each(STORES)('conversations (%s store)', (store) => {
  let app: TestApp;
  let alice: RegisteredUser;
  let bob: RegisteredUser;
  let carol: RegisteredUser;
  const clients = new RealtimeClients();

  beforeAll(async () => {
    app = await startApp(store);
    [alice, bob, carol] = await Promise.all([
      registerUser(app),
      registerUser(app),
      registerUser(app),
    ]);
  });
  afterEach(() => clients.closeAll());
  afterAll(() => app.close());

  const as = (user: RegisteredUser | undefined, call: Test): Test =>
    user ? call.set('Authorization', user.auth) : call;
  const openDm = (user: RegisteredUser | undefined, body: object) =>
    as(user, app.http().post('/api/dms').send(body));
  const room = async (user: RegisteredUser, roomId: number): Promise<Room> =>
    (await as(user, app.http().get(`/api/rooms/${roomId}`)).expect(200)).body as Room;
  const listed = async (user: RegisteredUser): Promise<Room[]> =>
    (await as(user, app.http().get('/api/rooms')).expect(200)).body as Room[];
  const markRead = (user: RegisteredUser | undefined, roomId: number, body: object) =>
    as(user, app.http().post(`/api/rooms/${roomId}/read`).send(body));
  const socketOf = (user: RegisteredUser): Promise<Socket> => clients.socket(app.url, user.token);
  const rawOf = (user: RegisteredUser): Promise<WebSocket> => clients.raw(app.url, user.token);

  describe('POST /api/dms', () => {
    it('makes the one room of a pair on first use (201), then answers it to either user (200)', async () => {
      const [ann, ben] = await Promise.all([registerUser(app), registerUser(app)]);

      const made = (await openDm(ann, { username: ben.username }).expect(201)).body as Room;
      const again = (await openDm(ann, { username: ben.username.toUpperCase() }).expect(200))
        .body as Room;
      const fromBen = (await openDm(ben, { username: ann.username }).expect(200)).body as Room;

      expect(made).toEqual({
        id: expect.any(Number),
        name: ben.username,
        description: '',
        is_private: true,
        created_by: null,
        created_at: expect.any(String),
        member_count: 2,
        is_member: true,
        kind: 'direct',
        role: 'member',
        last_read_id: 0,
        unread_count: 0,
        mention_count: 0,
      });
      expect(again).toEqual(made);
      expect(fromBen).toEqual({ ...made, name: ann.username });
      expect(await room(ben, made.id)).toEqual(fromBen);
      expect((await listed(ann)).filter((r) => r.kind === 'direct')).toEqual([made]);
    });

    it('gives a user a room of their own for notes', async () => {
      const solo = await registerUser(app);
      const notes = (await openDm(solo, { username: solo.username }).expect(201)).body as Room;
      expect(notes).toMatchObject({ name: solo.username, member_count: 1, kind: 'direct' });
      await sendMessage(app, solo, notes.id, 'remember the milk');
    });

    it('gives one room to two users asking for each other at once', async () => {
      const [ann, ben] = await Promise.all([registerUser(app), registerUser(app)]);
      const [one, two] = await Promise.all([
        openDm(ann, { username: ben.username }),
        openDm(ben, { username: ann.username }),
      ]);
      expect([one.status, two.status].sort()).toEqual([200, 201]);
      expect(one.body.id).toBe(two.body.id);
    });

    it('refuses an unknown user with 404, bad bodies with 400 and no token with 401', async () => {
      expectError(await openDm(alice, { username: 'nobody_here_at_all' }), 404, 'user_not_found');
      expectValidationFailed(await openDm(alice, {}), 'username');
      expectValidationFailed(await openDm(alice, { username: '' }), 'username');
      expectValidationFailed(await openDm(alice, { username: 7 }), 'username');
      expectValidationFailed(await openDm(alice, { username: bob.username, extra: true }));
      expectError(await openDm(undefined, { username: bob.username }), 401, 'unauthorized');
    });

    it("subscribes both users' connections at once, on both transports, with room_added", async () => {
      const [ann, ben] = await Promise.all([registerUser(app), registerUser(app)]);
      const benSocket = await socketOf(ben);
      const benRaw = await rawOf(ben);
      const annSocket = await socketOf(ann);
      const addedToBen = nextEvent<{ room: Room }>(benSocket, 'room_added');
      const addedToBenRaw = nextFrame(benRaw, (frame) => frame.type === 'room_added');
      const addedToAnn = nextEvent<{ room: Room }>(annSocket, 'room_added');

      const dm = (await openDm(ann, { username: ben.username }).expect(201)).body as Room;

      expect((await addedToBen).room).toEqual({ ...dm, name: ann.username });
      expect((await addedToBenRaw).room).toEqual({ ...dm, name: ann.username });
      expect((await addedToAnn).room).toEqual(dm);
      const delivered = nextEvent<Message>(benSocket, 'chat_message', (m) => m.room_id === dm.id);
      const deliveredRaw = nextFrame(benRaw, (f) => f.type === 'chat_message');
      const ack = await emitAck(annSocket, 'chat_message', { room_id: dm.id, content: 'psst' });
      expect(ack.ok).toBe(true);
      expect((await delivered).content).toBe('psst');
      expect((await deliveredRaw).content).toBe('psst');
    });

    it('keeps a direct room to its two users: listing, reading, joining, leaving, members', async () => {
      const dm = (await openDm(alice, { username: bob.username }).expect((r) => r.status < 300))
        .body as Room;
      await sendMessage(app, alice, dm.id, 'between us');

      expect((await listed(carol)).map((r) => r.id)).not.toContain(dm.id);
      expect((await as(undefined, app.http().get('/api/rooms')).expect(200)).body).not.toEqual(
        expect.arrayContaining([expect.objectContaining({ id: dm.id })]),
      );
      expectError(await as(carol, app.http().get(`/api/rooms/${dm.id}`)), 404, 'room_not_found');
      expectError(
        await as(carol, app.http().get(`/api/rooms/${dm.id}/messages`)),
        404,
        'room_not_found',
      );
      expectError(
        await as(carol, app.http().post(`/api/rooms/${dm.id}/join`)),
        404,
        'room_not_found',
      );
      expectError(
        await as(carol, app.http().post(`/api/rooms/${dm.id}/messages`).send({ content: 'hi' })),
        404,
        'room_not_found',
      );
      expectError(await as(alice, app.http().post(`/api/rooms/${dm.id}/leave`)), 403, 'forbidden');
      expectError(await as(alice, app.http().post(`/api/rooms/${dm.id}/join`)), 403, 'forbidden');
      expectError(
        await as(
          alice,
          app.http().post(`/api/rooms/${dm.id}/members`).send({ username: carol.username }),
        ),
        403,
        'forbidden',
      );
      const carolSocket = await socketOf(carol);
      expect(await emitAck(carolSocket, 'join_room', { room_id: dm.id })).toEqual({
        ok: false,
        error: { code: 'room_not_found', message: expect.any(String) },
      });
      expect((await room(alice, dm.id)).member_count).toBe(2);
    });

    it('takes no part in room-name uniqueness', async () => {
      const dm = (await openDm(alice, { username: carol.username }).expect((r) => r.status < 300))
        .body as Room;
      await as(alice, app.http().post('/api/rooms').send({ name: carol.username })).expect(201);
      expect((await room(alice, dm.id)).name).toBe(carol.username);
    });
  });

  describe('read state', () => {
    let channel: CreatedRoom;

    beforeEach(async () => {
      channel = await createRoom(app, alice);
      await sendMessage(app, alice, channel.id, 'before bob joined');
      await joinRoom(app, bob, channel.id);
    });

    it('starts a new member at the newest message, and counts what others send since', async () => {
      const joined = await room(bob, channel.id);
      expect(joined).toMatchObject({ role: 'member', unread_count: 0, mention_count: 0 });
      expect(joined.last_read_id).toBeGreaterThan(0);

      await sendMessage(app, alice, channel.id, 'one');
      const two = await sendMessage(app, alice, channel.id, 'two');
      await sendMessage(app, bob, channel.id, 'my own does not count');
      const gone = await sendMessage(app, alice, channel.id, 'deleted does not count');
      await as(alice, app.http().delete(`/api/rooms/${channel.id}/messages/${gone.id}`)).expect(
        204,
      );

      expect(await room(bob, channel.id)).toMatchObject({ unread_count: 2, mention_count: 0 });
      expect((await listed(bob)).find((r) => r.id === channel.id)).toMatchObject({
        unread_count: 2,
        last_read_id: joined.last_read_id,
      });
      expect(await room(alice, channel.id)).toMatchObject({ role: 'owner', unread_count: 1 });

      await markRead(bob, channel.id, { last_read_id: two.id }).expect(204);
      expect(await room(bob, channel.id)).toMatchObject({ last_read_id: two.id, unread_count: 0 });
    });

    it('gives non-members null read fields', async () => {
      expect(await room(carol, channel.id)).toMatchObject({
        is_member: false,
        role: null,
        last_read_id: null,
        unread_count: null,
        mention_count: null,
      });
    });

    it("tells the caller's connections at once (both transports), never moves back, stops at the newest", async () => {
      const first = await sendMessage(app, alice, channel.id, 'first');
      const second = await sendMessage(app, alice, channel.id, 'second');
      const phone = await socketOf(bob);
      const raw = await rawOf(bob);
      const tab = await socketOf(bob);

      const onPhone = nextEvent(phone, 'read');
      const onRaw = nextFrame(raw, (frame) => frame.type === 'read');
      expect(
        await emitAck(tab, 'mark_read', { room_id: channel.id, last_read_id: first.id }),
      ).toEqual({ ok: true });
      const event = {
        room_id: channel.id,
        last_read_id: first.id,
        unread_count: 1,
        mention_count: 0,
      };
      expect(await onPhone).toEqual(event);
      expect(await onRaw).toEqual({ type: 'read', ...event });

      // Back is no move: nothing is sent; the later mark (past the newest) stops at the newest.
      const later: unknown[] = [];
      phone.on('read', (payload) => later.push(payload));
      await markRead(bob, channel.id, { last_read_id: first.id - 1 }).expect(204);
      const latest = { ...event, last_read_id: second.id, unread_count: 0 };
      const latestOnPhone = nextEvent(phone, 'read');
      const rawAck = await rawRequest(raw, {
        type: 'mark_read',
        room_id: channel.id,
        last_read_id: second.id + 1000,
      });
      expect(rawAck).toMatchObject({ type: 'ack', ok: true });
      expect(await latestOnPhone).toEqual(latest);
      expect(later).toEqual([latest]);
      expect(await room(bob, channel.id)).toMatchObject({
        last_read_id: second.id,
        unread_count: 0,
      });
    });

    it('refuses non-members, outsiders of a private room, bad bodies and no token', async () => {
      const secret = await createRoom(app, alice, { isPrivate: true });
      expectError(await markRead(carol, channel.id, { last_read_id: 1 }), 403, 'not_a_member');
      expectError(await markRead(carol, secret.id, { last_read_id: 1 }), 404, 'room_not_found');
      expectError(
        await markRead(carol, MISSING_ROOM_ID, { last_read_id: 1 }),
        404,
        'room_not_found',
      );
      expectValidationFailed(await markRead(bob, channel.id, {}), 'last_read_id');
      expectValidationFailed(await markRead(bob, channel.id, { last_read_id: -1 }), 'last_read_id');
      expectValidationFailed(
        await markRead(bob, channel.id, { last_read_id: '5' }),
        'last_read_id',
      );
      expectValidationFailed(
        await markRead(bob, channel.id, { last_read_id: 1.5 }),
        'last_read_id',
      );
      expectError(await markRead(undefined, channel.id, { last_read_id: 1 }), 401, 'unauthorized');
      const socket = await socketOf(carol);
      expect(await emitAck(socket, 'mark_read', { room_id: channel.id, last_read_id: 1 })).toEqual({
        ok: false,
        error: { code: 'not_a_member', message: expect.any(String) },
      });
    });
  });

  describe('mentions', () => {
    it('names the users who can read the room, in any letter case, and tells them wherever they look', async () => {
      const channel = await createRoom(app, alice);
      const carolSocket = await socketOf(carol);
      const carolRaw = await rawOf(carol);
      const mention = nextEvent<{ message: Message }>(carolSocket, 'mention');
      const mentionRaw = nextFrame(carolRaw, (frame) => frame.type === 'mention');

      const sent = (
        await as(
          alice,
          app
            .http()
            .post(`/api/rooms/${channel.id}/messages`)
            .send({
              content: `hi @${carol.username.toUpperCase()}, @${alice.username} and @nobody_x. mail x@${bob.username}`,
            }),
        ).expect(201)
      ).body as Message;

      expect(sent.mentions).toEqual([carol.id]);
      expect((await mention).message).toEqual(sent);
      expect((await mentionRaw).message).toEqual(sent);
      // carol is no member of the public room: it is not hers to count.
      expect(await room(carol, channel.id)).toMatchObject({ mention_count: null });
    });

    it('names only members in a private room, and counts unread mentions until read', async () => {
      const secret = await createRoom(app, alice, { isPrivate: true });
      await as(
        alice,
        app.http().post(`/api/rooms/${secret.id}/members`).send({ username: bob.username }),
      ).expect(201);
      const sent = await sendMessage(
        app,
        alice,
        secret.id,
        `@${bob.username} @${carol.username} look`,
      );
      expect((sent as Message).mentions).toEqual([bob.id]);
      const gone = await sendMessage(app, alice, secret.id, `@${bob.username} deleted`);
      await as(alice, app.http().delete(`/api/rooms/${secret.id}/messages/${gone.id}`)).expect(204);

      expect(await room(bob, secret.id)).toMatchObject({ unread_count: 1, mention_count: 1 });
      await markRead(bob, secret.id, { last_read_id: gone.id }).expect(204);
      expect(await room(bob, secret.id)).toMatchObject({ unread_count: 0, mention_count: 0 });
    });

    it('tells only the newly named when an edit adds a mention', async () => {
      const channel = await createRoom(app, alice);
      await joinRoom(app, bob, channel.id);
      await joinRoom(app, carol, channel.id);
      const sent = await sendMessage(app, alice, channel.id, `hey @${bob.username}`);
      const bobSocket = await socketOf(bob);
      const carolSocket = await socketOf(carol);
      const toCarol = nextEvent<{ message: Message }>(carolSocket, 'mention');

      const edited = (
        await as(
          alice,
          app
            .http()
            .patch(`/api/rooms/${channel.id}/messages/${sent.id}`)
            .send({ content: `hey @${bob.username} and @${carol.username}` }),
        ).expect(200)
      ).body as Message;

      expect(edited.mentions).toEqual([bob.id, carol.id].sort((a, b) => a - b));
      expect((await toCarol).message).toEqual(edited);
      await expectNoEvent(bobSocket, 'mention', () => true, {
        send: () => sendMessage(app, alice, channel.id, 'marker'),
        event: 'chat_message',
        predicate: (m: Message) => m.content === 'marker',
      });
    });
  });

  describe('leaving and joining', () => {
    it("tells the user's own connections, so other tabs follow", async () => {
      const channel = await createRoom(app, alice);
      const tab = await socketOf(bob);
      const raw = await rawOf(bob);

      const added = nextEvent<{ room: Room }>(tab, 'room_added');
      await joinRoom(app, bob, channel.id);
      expect((await added).room).toMatchObject({ id: channel.id, is_member: true, role: 'member' });

      const removed = nextEvent(tab, 'room_removed');
      const removedRaw = nextFrame(raw, (frame) => frame.type === 'room_removed');
      await as(bob, app.http().post(`/api/rooms/${channel.id}/leave`)).expect(204);
      expect(await removed).toEqual({ room_id: channel.id });
      expect(await removedRaw).toEqual({ type: 'room_removed', room_id: channel.id });
    });
  });
});
