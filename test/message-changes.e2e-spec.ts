import type { Test } from 'supertest';
import type { Message } from '../src/contract/objects';
import { createRoom, CreatedRoom, joinRoom, sendMessage } from './factories/rooms.factory';
import { RegisteredUser, registerUser } from './factories/users.factory';
import { expectError, expectValidationFailed, MISSING_ROOM_ID } from './support/http-expectations';
import {
  emitAck,
  nextEvent,
  nextFrame,
  rawRequest,
  RealtimeClients,
} from './support/realtime-clients';
import { startApp, STORES, TestApp } from './support/test-app';

const MISSING_MESSAGE_ID = 9_000_000_000;

describe.each(STORES)('message changes (%s store)', (store) => {
  let app: TestApp;
  let alice: RegisteredUser;
  let bob: RegisteredUser;
  let carol: RegisteredUser;
  /** Public, owned by alice; bob is a member, carol is not. */
  let room: CreatedRoom;
  const clients = new RealtimeClients();

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
  afterEach(() => clients.closeAll());
  afterAll(() => app.close());

  const path = (messageId: number, roomId = room.id) =>
    `/api/rooms/${roomId}/messages/${messageId}`;
  const reactionPath = (messageId: number, emoji: string, roomId = room.id) =>
    `${path(messageId, roomId)}/reactions/${encodeURIComponent(emoji)}`;

  const as = (user: RegisteredUser | undefined, call: Test): Test =>
    user ? call.set('Authorization', user.auth) : call;
  const edit = (
    user: RegisteredUser | undefined,
    messageId: number,
    body: object,
    roomId?: number,
  ) => as(user, app.http().patch(path(messageId, roomId)).send(body));
  const remove = (user: RegisteredUser | undefined, messageId: number, roomId?: number) =>
    as(user, app.http().delete(path(messageId, roomId)));
  const react = (user: RegisteredUser | undefined, messageId: number, emoji: string, on = true) =>
    as(user, app.http()[on ? 'put' : 'delete'](reactionPath(messageId, emoji)));
  const fetchOne = async (messageId: number): Promise<Message> => {
    const response = await app.http().get(path(messageId)).expect(200);
    return response.body as Message;
  };
  const changedAfter = async (changeId: number, limit = 50): Promise<Message[]> => {
    const response = await app
      .http()
      .get(`/api/rooms/${room.id}/messages`)
      .query({ changed_after: changeId, limit })
      .expect(200);
    return response.body as Message[];
  };

  describe('PATCH /api/rooms/:id/messages/:message_id', () => {
    it('answers 200 with the new content and edited_at, and a greater change_id', async () => {
      const sent = await sendMessage(app, alice, room.id, 'helo world');

      const response = await edit(alice, sent.id, { content: '  hello world  ' }).expect(200);

      const edited = response.body as Message;
      expect(edited).toMatchObject({ id: sent.id, content: 'hello world', deleted: false });
      expect(new Date(edited.edited_at!).toISOString()).toBe(edited.edited_at);
      expect(edited.change_id).toBeGreaterThan((sent as Message).change_id);
      expect(await fetchOne(sent.id)).toEqual(edited);
    });

    it("refuses another's message with 403 not_message_author, and a deleted one with 404", async () => {
      const sent = await sendMessage(app, alice, room.id, 'mine');
      expectError(await edit(bob, sent.id, { content: 'yours now' }), 403, 'not_message_author');

      await remove(alice, sent.id).expect(204);
      expectError(await edit(alice, sent.id, { content: 'back' }), 404, 'message_not_found');
    });

    it('refuses bad bodies and ids with 400, missing ones with 404, no token with 401', async () => {
      const sent = await sendMessage(app, alice, room.id, 'to fix');
      expectValidationFailed(await edit(alice, sent.id, { content: '   ' }), 'content');
      expectValidationFailed(await edit(alice, sent.id, { content: 'x'.repeat(4001) }), 'content');
      expectValidationFailed(await edit(alice, sent.id, { content: 'a\u0000b' }), 'content');
      expectValidationFailed(await edit(alice, sent.id, { content: 'ok', extra: 1 }));
      expectValidationFailed(
        await as(alice, app.http().patch(`${path(0)}`)).send({ content: 'x' }),
      );
      expectValidationFailed(
        await as(alice, app.http().patch(`/api/rooms/${room.id}/messages/abc`)).send({
          content: 'x',
        }),
      );
      expectError(
        await edit(alice, MISSING_MESSAGE_ID, { content: 'x' }),
        404,
        'message_not_found',
      );
      expectError(
        await edit(alice, sent.id, { content: 'x' }, MISSING_ROOM_ID),
        404,
        'room_not_found',
      );
      expectError(await edit(undefined, sent.id, { content: 'x' }), 401, 'unauthorized');
      expect((await fetchOne(sent.id)).content).toBe('to fix');
    });
  });

  describe('DELETE /api/rooms/:id/messages/:message_id', () => {
    it('answers 204 and leaves a tombstone in place; deleting twice is no error', async () => {
      const before = await sendMessage(app, alice, room.id, 'before');
      const doomed = await sendMessage(app, bob, room.id, 'doomed');
      await react(alice, doomed.id, '👍').expect(200);

      const response = await remove(bob, doomed.id).expect(204);
      expect(response.text).toBe('');
      await remove(bob, doomed.id).expect(204);

      const tombstone = await fetchOne(doomed.id);
      expect(tombstone).toMatchObject({ id: doomed.id, content: '', deleted: true, reactions: [] });
      const page = await app
        .http()
        .get(`/api/rooms/${room.id}/messages`)
        .query({ after: before.id, limit: 1 })
        .expect(200);
      expect(page.body).toEqual([tombstone]);
    });

    it("lets the room's owner delete anyone's message, and refuses others with 403 forbidden", async () => {
      const byBob = await sendMessage(app, bob, room.id, 'by bob');
      const byAlice = await sendMessage(app, alice, room.id, 'by alice');

      expectError(await remove(bob, byAlice.id), 403, 'forbidden');
      expectError(await remove(carol, byBob.id), 403, 'forbidden');
      await remove(alice, byBob.id).expect(204);
      expect((await fetchOne(byAlice.id)).deleted).toBe(false);
    });

    it('answers outsiders of a private room 404 room_not_found', async () => {
      const secret = await createRoom(app, alice, { isPrivate: true });
      const message = await sendMessage(app, alice, secret.id, 'secret');
      expectError(await remove(carol, message.id, secret.id), 404, 'room_not_found');
      expectError(
        await edit(carol, message.id, { content: 'x' }, secret.id),
        404,
        'room_not_found',
      );
    });
  });

  describe('reactions', () => {
    it('adds and takes back reactions, idempotent, summed up by emoji in order of first use', async () => {
      const sent = await sendMessage(app, alice, room.id, 'react to me');

      const first = (await react(bob, sent.id, '👍').expect(200)).body as Message;
      const again = (await react(bob, sent.id, '👍').expect(200)).body as Message;
      await react(alice, sent.id, '🎉').expect(200);
      const both = (await react(alice, sent.id, '👍').expect(200)).body as Message;

      expect(again).toEqual(first);
      expect(both.reactions).toEqual([
        { emoji: '👍', count: 2, user_ids: [bob.id, alice.id] },
        { emoji: '🎉', count: 1, user_ids: [alice.id] },
      ]);
      const taken = (await react(alice, sent.id, '🎉', false).expect(200)).body as Message;
      const notThere = (await react(alice, sent.id, '🎉', false).expect(200)).body as Message;
      expect(taken.reactions).toEqual([{ emoji: '👍', count: 2, user_ids: [bob.id, alice.id] }]);
      expect(notThere).toEqual(taken);
      expect(await fetchOne(sent.id)).toEqual(taken);
    });

    it('takes an emoji with its selector or without as the same reaction', async () => {
      const sent = await sendMessage(app, alice, room.id, 'love');
      await react(alice, sent.id, '❤').expect(200);
      const message = (await react(bob, sent.id, '❤️').expect(200)).body as Message;
      expect(message.reactions).toEqual([{ emoji: '❤️', count: 2, user_ids: [alice.id, bob.id] }]);
    });

    it.each(['abc', '👍👍', '1', ':+1:', '%F0%9F'])(
      'refuses %j with 400 naming emoji',
      async (emoji) => {
        const sent = await sendMessage(app, alice, room.id, 'emoji only');
        expectValidationFailed(await react(alice, sent.id, emoji), 'emoji');
      },
    );

    it('refuses a 21st different emoji with 400, and takes more of one already there', async () => {
      const sent = await sendMessage(app, alice, room.id, 'popular');
      const emoji = [...'😀😁😂🤣😃😄😅😆😉😊😋😎😍😘🥰😗😙😚🙂🤗'];
      for (const one of emoji) await react(alice, sent.id, one).expect(200);

      expectValidationFailed(await react(alice, sent.id, '🤔'), 'emoji');
      const message = (await react(bob, sent.id, '😀').expect(200)).body as Message;
      expect(message.reactions).toHaveLength(20);
    });

    it('refuses non-members with 403 not_a_member, deleted messages with 404, no token with 401', async () => {
      const sent = await sendMessage(app, alice, room.id, 'members react');
      expectError(await react(carol, sent.id, '👍'), 403, 'not_a_member');
      expectError(await react(undefined, sent.id, '👍'), 401, 'unauthorized');
      await remove(alice, sent.id).expect(204);
      expectError(await react(bob, sent.id, '👍'), 404, 'message_not_found');
      expectError(await react(bob, MISSING_MESSAGE_ID, '👍'), 404, 'message_not_found');
    });
  });

  describe('catching up with changed_after', () => {
    it('answers every message changed since, once, at its latest change, oldest change first', async () => {
      const own = await createRoom(app, alice);
      const [a, b] = [
        await sendMessage(app, alice, own.id, 'a'),
        await sendMessage(app, alice, own.id, 'b'),
      ];
      const mark = (b as Message).change_id;
      const c = await sendMessage(app, alice, own.id, 'c');
      await as(alice, app.http().patch(path(a.id, own.id)))
        .send({ content: 'a2' })
        .expect(200);
      await as(
        alice,
        app.http().put(`${path(b.id, own.id)}/reactions/${encodeURIComponent('👍')}`),
      ).expect(200);
      await as(alice, app.http().delete(path(a.id, own.id))).expect(204);

      const response = await app
        .http()
        .get(`/api/rooms/${own.id}/messages`)
        .query({ changed_after: mark })
        .expect(200);
      const changes = response.body as Message[];
      expect(changes.map((m) => [m.id, m.content, m.deleted])).toEqual([
        [c.id, 'c', false],
        [b.id, 'b', false],
        [a.id, '', true],
      ]);
      const changeIds = changes.map((m) => m.change_id);
      expect(changeIds).toEqual([...changeIds].sort((x, y) => x - y));
      expect(changeIds[0]).toBeGreaterThan(mark);
    });

    it('pages on by the last change_id of each page', async () => {
      const sent = await sendMessage(app, alice, room.id, 'page me');
      const mark = (sent as Message).change_id - 1;
      await react(bob, sent.id, '🚀').expect(200);
      const later = await sendMessage(app, bob, room.id, 'later');

      const first = await changedAfter(mark, 1);
      const second = await changedAfter(first[0].change_id, 1);
      expect(first.map((m) => m.id)).toEqual([sent.id]);
      expect(second.map((m) => m.id)).toEqual([later.id]);
    });

    it('refuses changed_after with before or after, and bad values, with 400', async () => {
      const query = (q: Record<string, string | number>) =>
        app.http().get(`/api/rooms/${room.id}/messages`).query(q);
      expectValidationFailed(await query({ changed_after: 1, after: 1 }), 'changed_after');
      expectValidationFailed(await query({ changed_after: 1, before: 5 }), 'changed_after');
      expectValidationFailed(await query({ changed_after: -1 }), 'changed_after');
      expectValidationFailed(await query({ changed_after: 'x' }), 'changed_after');
    });
  });

  describe('live', () => {
    it('sends message_updated to every reader on both transports, and acks the author', async () => {
      const sent = await sendMessage(app, alice, room.id, 'watch me');
      const author = await clients.socket(app.url, alice.token);
      const reader = await clients.socket(app.url, bob.token);
      const raw = await clients.raw(app.url, bob.token);
      const isSent = (event: { message: Message }) => event.message.id === sent.id;

      const updates = [
        nextEvent(reader, 'message_updated', isSent),
        nextFrame(raw, (frame) => frame.type === 'message_updated' && isSent(frame as never)),
      ];
      const ack = await emitAck(author, 'edit_message', {
        room_id: room.id,
        message_id: sent.id,
        content: 'watched',
      });
      expect(ack).toMatchObject({ ok: true, message: { id: sent.id, content: 'watched' } });
      const [event, frame] = await Promise.all(updates);
      expect(event).toEqual({ message: ack.message });
      expect(frame).toEqual({ type: 'message_updated', message: ack.message });

      const reacted = nextEvent(author, 'message_updated', isSent);
      const rawAck = await rawRequest(raw, {
        type: 'react',
        room_id: room.id,
        message_id: sent.id,
        emoji: '👀',
        on: true,
      });
      expect(rawAck).toMatchObject({
        type: 'ack',
        ok: true,
        message: { reactions: [{ emoji: '👀' }] },
      });
      expect((await reacted).message).toEqual(rawAck.message);

      const deleted = nextEvent(reader, 'message_updated', isSent);
      const tombstone = await emitAck(author, 'delete_message', {
        room_id: room.id,
        message_id: sent.id,
      });
      expect(tombstone).toMatchObject({ ok: true, message: { deleted: true, content: '' } });
      expect((await deleted).message).toEqual(tombstone.message);
    });

    it('answers sync with changed_after with the changes missed, and refuses both cursors or none', async () => {
      const sent = await sendMessage(app, alice, room.id, 'missed');
      const mark = (sent as Message).change_id;
      await edit(alice, sent.id, { content: 'missed edit' }).expect(200);
      const socket = await clients.socket(app.url, bob.token);

      const ack = await emitAck(socket, 'sync', { room_id: room.id, changed_after: mark });
      expect(ack).toEqual({
        ok: true,
        messages: [expect.objectContaining({ id: sent.id, content: 'missed edit' })],
      });
      for (const payload of [
        { room_id: room.id },
        { room_id: room.id, after_id: 0, changed_after: 0 },
      ]) {
        expect(await emitAck(socket, 'sync', payload)).toMatchObject({
          ok: false,
          error: { code: 'validation_failed' },
        });
      }
    });
  });
});
