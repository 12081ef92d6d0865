import { Test } from '@nestjs/testing';
import { uniqueName } from '../../test/factories/users.factory';
import type { AuthUser } from '../common/auth/auth-user';
import { AppError, RequestError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import { LIMITS } from '../common/limits';
import { RoomEvents } from '../rooms/room-events';
import { RoomsError } from '../rooms/rooms.error';
import { RoomsMemoryRepository } from '../rooms/rooms.memory.repository';
import { RoomsRepository } from '../rooms/rooms.repository';
import { RoomsService } from '../rooms/rooms.service';
import { PasswordHasher } from '../users/password-hasher';
import { LocalPresence, Presence } from '../users/presence';
import { UsersMemoryRepository } from '../users/users.memory.repository';
import { UsersRepository } from '../users/users.repository';
import { UsersService } from '../users/users.service';
import { UserEvents } from '../users/user-events';
import { MessageResponse } from './dto/message.dto';
import { MessageEvents } from './message-events';
import { MessagesMemoryRepository } from './messages.memory.repository';
import { MessagesRepository } from './messages.repository';
import { MessagesError } from './messages.error';
import { MessagesService } from './messages.service';
import { Mentions } from './mentions';
import { ReadState } from '../rooms/read-state';
import { RoomActivity } from '../rooms/room-activity';
import { RoomViews } from '../rooms/room-views';
import { RateDecision, RateLimiter, RateRule, UNLIMITED } from '../cluster/rate-limiter';
import { AppConfig } from '../config/app-config';
import { loadConfig } from '../config/load-config';
import { Metrics } from '../metrics/metrics';
import { rejection } from '../../test/support/rejection';

/** Keeps the messages the send path publishes. */
class RecordingMessageEvents extends MessageEvents {
  readonly published: MessageResponse[] = [];

  readonly updated: MessageResponse[] = [];

  messageCreated(message: MessageResponse): void {
    this.published.push(message);
  }

  messageUpdated(message: MessageResponse): void {
    this.updated.push(message);
  }

  readonly mentions: { userIds: readonly number[]; message: MessageResponse }[] = [];

  mentioned(userIds: readonly number[], message: MessageResponse): void {
    this.mentions.push({ userIds, message });
  }
}

/** Allows every send until told to refuse with a wait. */
class StubRateLimiter extends RateLimiter {
  retryAfterMs = 0;
  /** The one rule it counts. */
  rule = 'send';
  readonly takenBy: number[] = [];

  async hit(rule: RateRule, userId: number): Promise<RateDecision> {
    if (rule.name !== this.rule) return UNLIMITED;
    this.takenBy.push(userId);
    return { retryAfterMs: this.retryAfterMs, remaining: 0, resetMs: this.retryAfterMs };
  }
}

class IgnoredRoomEvents extends RoomEvents {
  async memberJoined(): Promise<void> {}
  async memberLeft(): Promise<void> {}
  async roomAdded(): Promise<void> {}
  roomUpdated(): void {}
  async roomDeleted(): Promise<void> {}
  async memberRemoved(): Promise<void> {}
  readMoved(): void {}
}

describe('MessagesService (memory store)', () => {
  let usersRepository: UsersMemoryRepository;
  let roomsRepository: RoomsMemoryRepository;
  let messagesRepository: MessagesMemoryRepository;
  let messages: MessagesService;
  let events: RecordingMessageEvents;
  let rateLimiter: StubRateLimiter;
  let owner: AuthUser;
  let member: AuthUser;
  let stranger: AuthUser;
  let openId: number;
  let secretId: number;

  const createUser = async (): Promise<AuthUser> => {
    const user = await usersRepository.create({ username: uniqueName(), passwordHash: 'x' });
    return { id: user!.id, username: user!.username };
  };

  beforeEach(async () => {
    const moduleRef = await Test.createTestingModule({
      providers: [
        MessagesService,
        RoomsService,
        UsersService,
        PasswordHasher,
        { provide: Presence, useClass: LocalPresence },
        { provide: UsersRepository, useClass: UsersMemoryRepository },
        { provide: UserEvents, useValue: { userUpdated: () => {} } },
        { provide: RoomsRepository, useClass: RoomsMemoryRepository },
        { provide: MessagesRepository, useClass: MessagesMemoryRepository },
        { provide: RoomActivity, useExisting: MessagesRepository },
        RoomViews,
        ReadState,
        Mentions,
        { provide: RoomEvents, useClass: IgnoredRoomEvents },
        { provide: MessageEvents, useClass: RecordingMessageEvents },
        { provide: RateLimiter, useClass: StubRateLimiter },
        { provide: AppConfig, useValue: loadConfig({}) },
        Metrics,
      ],
    }).compile();
    usersRepository = moduleRef.get(UsersRepository);
    roomsRepository = moduleRef.get(RoomsRepository);
    messagesRepository = moduleRef.get(MessagesRepository);
    messages = moduleRef.get(MessagesService);
    events = moduleRef.get(MessageEvents);
    rateLimiter = moduleRef.get(RateLimiter);
    const rooms = moduleRef.get(RoomsService);
    owner = await createUser();
    member = await createUser();
    stranger = await createUser();
    openId = (await rooms.create(owner, { name: uniqueName('open') })).id;
    secretId = (await rooms.create(owner, { name: uniqueName('secret'), is_private: true })).id;
    await roomsRepository.addMember(secretId, member.id, 0);
  });

  const expectError = async (promise: Promise<unknown>, code: ErrorCode) => {
    const error = await rejection(promise);
    expect(error).toBeInstanceOf(RoomsError);
    expect(error).toMatchObject({ code });
  };

  const stored = (roomId: number) => messagesRepository.list(roomId, { limit: 200 });

  describe('send', () => {
    it('stores the message and answers it on the wire', async () => {
      const { message, created } = await messages.send(owner, openId, { content: 'Hello!' });

      expect(created).toBe(true);
      expect(message).toEqual({
        type: 'chat_message',
        id: expect.any(Number),
        room_id: openId,
        user_id: owner.id,
        username: owner.username,
        content: 'Hello!',
        created_at: expect.any(String),
        client_msg_id: null,
        reply_to: null,
        edited_at: null,
        deleted: false,
        reactions: [],
        change_id: expect.any(Number),
        mentions: [],
      });
      expect(new Date(message.created_at).toISOString()).toBe(message.created_at);
      expect((await stored(openId)).map((m) => m.id)).toEqual([message.id]);
      expect(events.published).toEqual([message]);
    });

    it('lets a member send to a private room', async () => {
      const { message } = await messages.send(member, secretId, { content: 'psst' });

      expect(message).toMatchObject({ room_id: secretId, user_id: member.id });
    });

    it('refuses a non-member of a public room with not_a_member, storing nothing', async () => {
      await expectError(messages.send(stranger, openId, { content: 'hi' }), ErrorCode.NotAMember);
      expect(await stored(openId)).toEqual([]);
      expect(events.published).toEqual([]);
    });

    it('answers a non-member of a private room as for no room, storing nothing', async () => {
      const error = await rejection(messages.send(stranger, secretId, { content: 'hi' }));

      expect(error).toMatchObject({
        code: ErrorCode.RoomNotFound,
        message: RoomsError.notFound(secretId).message,
      });
      expect(await stored(secretId)).toEqual([]);
    });

    it('refuses an unknown room with room_not_found', async () => {
      await expectError(
        messages.send(owner, secretId + 1000, { content: 'hi' }),
        ErrorCode.RoomNotFound,
      );
    });

    it('answers a repeated client_msg_id with the stored message, stored once', async () => {
      const first = await messages.send(owner, openId, { content: 'once', client_msg_id: 'k-1' });

      const again = await messages.send(owner, openId, { content: 'twice', client_msg_id: 'k-1' });

      expect(first.created).toBe(true);
      expect(again).toEqual({ message: first.message, created: false });
      expect(again.message).toMatchObject({ content: 'once', client_msg_id: 'k-1' });
      expect(await stored(openId)).toHaveLength(1);
      expect(events.published).toEqual([first.message]);
    });

    it('stores the same client_msg_id from another user as a new message', async () => {
      await roomsRepository.addMember(openId, stranger.id, 0);
      const first = await messages.send(owner, openId, { content: 'a', client_msg_id: 'same' });

      const second = await messages.send(stranger, openId, { content: 'b', client_msg_id: 'same' });

      expect(second.created).toBe(true);
      expect(second.message.id).not.toBe(first.message.id);
      expect(await stored(openId)).toHaveLength(2);
    });

    it('refuses a rate-limited send with rate_limited, storing nothing', async () => {
      rateLimiter.retryAfterMs = 1500;

      const error = await rejection(messages.send(owner, openId, { content: 'too many' }));

      expect(error).toBeInstanceOf(RequestError);
      expect(error).toMatchObject({ code: ErrorCode.RateLimited, retryAfterMs: 1500 });
      expect(await stored(openId)).toEqual([]);
      expect(events.published).toEqual([]);
    });

    it('answers a retry of a stored message even over the rate limit', async () => {
      const first = await messages.send(owner, openId, { content: 'once', client_msg_id: 'k-9' });
      rateLimiter.retryAfterMs = 1500;

      const again = await messages.send(owner, openId, { content: 'once', client_msg_id: 'k-9' });

      expect(again).toEqual({ message: first.message, created: false });
      expect(await stored(openId)).toHaveLength(1);
    });

    it('answers a non-member over the rate limit with the access error, not rate_limited', async () => {
      rateLimiter.retryAfterMs = 1500;

      await expectError(messages.send(stranger, openId, { content: 'hi' }), ErrorCode.NotAMember);
      await expectError(
        messages.send(stranger, secretId, { content: 'hi', client_msg_id: 'never-stored' }),
        ErrorCode.RoomNotFound,
      );
    });

    it('counts a refused send against the limit: the store finds a non-member as it writes', async () => {
      await rejection(messages.send(stranger, openId, { content: 'hi' }));

      expect(rateLimiter.takenBy).toEqual([stranger.id]);
    });

    it("refuses only the non-member's send among members' sends made at once", async () => {
      const [fromOwner, fromStranger, fromMember, toNowhere] = await Promise.allSettled([
        messages.send(owner, openId, { content: 'owner' }),
        messages.send(stranger, openId, { content: 'stranger' }),
        messages.send(member, secretId, { content: 'member' }),
        messages.send(member, secretId + 1000, { content: 'nowhere' }),
      ]);

      expect(fromOwner).toMatchObject({ status: 'fulfilled', value: { created: true } });
      expect(fromMember).toMatchObject({ status: 'fulfilled', value: { created: true } });
      expect(fromStranger).toMatchObject({
        status: 'rejected',
        reason: { code: ErrorCode.NotAMember },
      });
      expect(toNowhere).toMatchObject({
        status: 'rejected',
        reason: { code: ErrorCode.RoomNotFound },
      });
      expect(events.published.map((message) => message.content)).toEqual(['owner', 'member']);
    });

    it('tries once more when the sender joined between the refusal and the access check', async () => {
      const create = jest.spyOn(messagesRepository, 'create').mockResolvedValueOnce(null);

      const { message, created } = await messages.send(owner, openId, { content: 'joined' });

      expect(created).toBe(true);
      expect(create).toHaveBeenCalledTimes(2);
      expect((await stored(openId)).map((m) => m.id)).toEqual([message.id]);
    });

    it('fails with a server error when the store keeps refusing a sender who may send', async () => {
      jest.spyOn(messagesRepository, 'create').mockResolvedValue(null);

      const error = await rejection(messages.send(owner, openId, { content: 'refused' }));

      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(AppError);
      expect(events.published).toEqual([]);
    });

    it('never deduplicates sends without client_msg_id', async () => {
      await messages.send(owner, openId, { content: 'same' });
      const second = await messages.send(owner, openId, { content: 'same' });

      expect(second.created).toBe(true);
      expect(await stored(openId)).toHaveLength(2);
    });
  });

  describe('replies', () => {
    const expectMessagesError = async (promise: Promise<unknown>, code: ErrorCode) => {
      const error = await rejection(promise);
      expect(error).toBeInstanceOf(MessagesError);
      expect(error).toMatchObject({ code });
    };

    it('stores and answers the message a reply answers', async () => {
      const parent = (await messages.send(owner, secretId, { content: 'question' })).message;

      const { message } = await messages.send(member, secretId, {
        content: 'answer',
        reply_to: parent.id,
      });

      expect(message.reply_to).toBe(parent.id);
      expect(events.published).toEqual([parent, message]);
      expect(await messages.findOne(member, secretId, message.id)).toEqual(message);
    });

    it('refuses a reply to a message of another room, or to none, storing nothing', async () => {
      const elsewhere = (await messages.send(member, secretId, { content: 'secret' })).message;

      await expectMessagesError(
        messages.send(owner, openId, { content: 'x', reply_to: elsewhere.id }),
        ErrorCode.MessageNotFound,
      );
      await expectMessagesError(
        messages.send(owner, openId, { content: 'x', reply_to: 2_000_000_000 }),
        ErrorCode.MessageNotFound,
      );
      expect(await stored(openId)).toEqual([]);
    });

    it('tells an outsider of a private room nothing of its messages', async () => {
      const inside = (await messages.send(member, secretId, { content: 'secret' })).message;

      await expectError(
        messages.send(stranger, secretId, { content: 'x', reply_to: inside.id }),
        ErrorCode.RoomNotFound,
      );
      await expectError(messages.findOne(stranger, secretId, inside.id), ErrorCode.RoomNotFound);
      await expectError(messages.findOne(null, secretId, inside.id), ErrorCode.RoomNotFound);
    });

    it('answers one message of a public room to anyone, and message_not_found elsewhere', async () => {
      const message = (await messages.send(owner, openId, { content: 'hello' })).message;

      expect(await messages.findOne(null, openId, message.id)).toEqual(message);
      await expectMessagesError(
        messages.findOne(member, secretId, message.id),
        ErrorCode.MessageNotFound,
      );
    });
  });

  describe('history', () => {
    let sent: MessageResponse[];

    beforeEach(async () => {
      sent = [];
      for (let i = 0; i < LIMITS.history.default + 5; i++) {
        sent.push((await messages.send(owner, openId, { content: `m${i}` })).message);
      }
    });

    it('answers the newest 50 by default, oldest first, to anyone', async () => {
      const newest = sent.slice(-LIMITS.history.default);

      expect(await messages.history(null, openId, {})).toEqual(newest);
      expect(await messages.history(stranger, openId, {})).toEqual(newest);
    });

    it('pages with limit, before and after', async () => {
      expect(await messages.history(null, openId, { limit: 2 })).toEqual(sent.slice(-2));
      expect(await messages.history(null, openId, { limit: 2, before: sent[10].id })).toEqual(
        sent.slice(8, 10),
      );
      expect(await messages.history(null, openId, { limit: 3, after: sent[10].id })).toEqual(
        sent.slice(11, 14),
      );
    });

    it('answers a private room to its members only, as for no room to others', async () => {
      const { message } = await messages.send(member, secretId, { content: 'psst' });

      expect(await messages.history(owner, secretId, {})).toEqual([message]);
      expect(await messages.history(member, secretId, {})).toEqual([message]);
      await expectError(messages.history(stranger, secretId, {}), ErrorCode.RoomNotFound);
      await expectError(messages.history(null, secretId, {}), ErrorCode.RoomNotFound);
    });

    it('refuses an unknown room with room_not_found', async () => {
      await expectError(messages.history(null, secretId + 1000, {}), ErrorCode.RoomNotFound);
    });
  });

  describe('changes', () => {
    let sent: MessageResponse;

    beforeEach(async () => {
      sent = (await messages.send(owner, openId, { content: 'original' })).message;
      await roomsRepository.addMember(openId, member.id, 0);
    });

    it('publishes the changed message to the room, and answers it', async () => {
      const edited = await messages.edit(owner, openId, sent.id, { content: 'edited' });
      const reacted = await messages.react(member, openId, sent.id, '👍', true);
      const tombstone = await messages.delete(owner, openId, sent.id);

      expect(edited).toMatchObject({ content: 'edited', edited_at: expect.any(String) });
      expect(reacted.reactions).toEqual([{ emoji: '👍', count: 1, user_ids: [member.id] }]);
      expect(tombstone).toMatchObject({ deleted: true, content: '', reactions: [] });
      expect(events.updated).toEqual([edited, reacted, tombstone]);
    });

    it('publishes nothing for a change that changes nothing', async () => {
      await messages.react(member, openId, sent.id, '👍', false);
      await messages.edit(owner, openId, sent.id, { content: 'original' });

      expect(events.updated).toEqual([]);
    });

    it('answers each refusal with its contract error, and publishes nothing', async () => {
      const codeOf = async (promise: Promise<unknown>) =>
        ((await rejection(promise)) as AppError).code;

      expect(await codeOf(messages.edit(member, openId, sent.id, { content: 'x' }))).toBe(
        ErrorCode.NotMessageAuthor,
      );
      expect(await codeOf(messages.delete(member, openId, sent.id))).toBe(ErrorCode.Forbidden);
      expect(await codeOf(messages.react(stranger, openId, sent.id, '👍', true))).toBe(
        ErrorCode.NotAMember,
      );
      expect(await codeOf(messages.react(member, openId, sent.id + 1000, '👍', true))).toBe(
        ErrorCode.MessageNotFound,
      );
      expect(await codeOf(messages.delete(stranger, secretId, sent.id))).toBe(
        ErrorCode.RoomNotFound,
      );
      const notEmoji = await rejection(messages.react(member, openId, sent.id, 'abc', true));
      expect(notEmoji).toMatchObject({
        code: ErrorCode.ValidationFailed,
        details: [{ field: 'emoji', message: expect.any(String) }],
      });
      expect(events.updated).toEqual([]);
    });

    it('counts changes apart from sends, and changes nothing over the limit', async () => {
      rateLimiter.rule = 'change';
      rateLimiter.retryAfterMs = 1500;

      const error = await rejection(messages.edit(owner, openId, sent.id, { content: 'x' }));
      expect(error).toMatchObject({ code: ErrorCode.RateLimited, retryAfterMs: 1500 });
      await expectError(messages.delete(stranger, secretId, sent.id), ErrorCode.RoomNotFound);
      expect((await messages.findOne(owner, openId, sent.id)).content).toBe('original');
      expect((await messages.send(owner, openId, { content: 'sends still go' })).created).toBe(
        true,
      );
    });

    it('refuses changed_after with before or after', async () => {
      const error = await rejection(messages.history(null, openId, { changed_after: 0, after: 1 }));
      expect(error).toBeInstanceOf(RequestError);
      expect(error).toMatchObject({ code: ErrorCode.ValidationFailed });
    });
  });
});
