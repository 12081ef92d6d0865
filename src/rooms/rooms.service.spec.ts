import { Test } from '@nestjs/testing';
import { LocalRateLimiter, RateLimiter } from '../cluster/rate-limiter';
import { AppConfig } from '../config/app-config';
import { loadConfig } from '../config/load-config';
import { uniqueName } from '../../test/factories/users.factory';
import type { AuthUser } from '../common/auth/auth-user';
import { ErrorCode } from '../common/errors/error-code';
import { PasswordHasher } from '../users/password-hasher';
import { LocalPresence, Presence } from '../users/presence';
import { UsersError } from '../users/users.error';
import { UsersMemoryRepository } from '../users/users.memory.repository';
import { UsersRepository } from '../users/users.repository';
import { UsersService } from '../users/users.service';
import { UserEvents } from '../users/user-events';
import { RoomResponse } from './dto/room.dto';
import { MessagesMemoryRepository } from '../messages/messages.memory.repository';
import { MessagesRepository } from '../messages/messages.repository';
import { ReadState } from './read-state';
import { RoomActivity } from './room-activity';
import { RoomEvents } from './room-events';
import { RoomViews } from './room-views';
import { RoomsError } from './rooms.error';
import { RoomsMemoryRepository } from './rooms.memory.repository';
import { RoomsRepository } from './rooms.repository';
import { RoomsService } from './rooms.service';
import { rejection } from '../../test/support/rejection';

/** Keeps the membership changes the service publishes. */
class RecordingRoomEvents extends RoomEvents {
  readonly published: { event: 'joined' | 'left'; roomId: number; userId: number }[] = [];

  async memberJoined(roomId: number, user: AuthUser): Promise<void> {
    this.published.push({ event: 'joined', roomId, userId: user.id });
  }

  async memberLeft(roomId: number, user: AuthUser): Promise<void> {
    this.published.push({ event: 'left', roomId, userId: user.id });
  }

  async roomAdded(): Promise<void> {}
  roomUpdated(): void {}
  async roomDeleted(): Promise<void> {}
  async memberRemoved(): Promise<void> {}
  readMoved(): void {}
}

describe('RoomsService (memory store)', () => {
  let usersRepository: UsersMemoryRepository;
  let roomsRepository: RoomsMemoryRepository;
  let rooms: RoomsService;
  let events: RecordingRoomEvents;
  let owner: AuthUser;
  let member: AuthUser;
  let stranger: AuthUser;
  let open: RoomResponse;
  let secret: RoomResponse;

  const createUser = async (): Promise<AuthUser> => {
    const user = await usersRepository.create({ username: uniqueName(), passwordHash: 'x' });
    return { id: user!.id, username: user!.username };
  };

  /** A room id no room has. */
  const missingId = () => secret.id + 1000;

  beforeEach(async () => {
    const moduleRef = await Test.createTestingModule({
      providers: [
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
        { provide: RoomEvents, useClass: RecordingRoomEvents },
        { provide: RateLimiter, useClass: LocalRateLimiter },
        { provide: AppConfig, useValue: loadConfig({ RATE_LIMIT_JOINS: '3' }) },
      ],
    }).compile();
    usersRepository = moduleRef.get(UsersRepository);
    roomsRepository = moduleRef.get(RoomsRepository);
    rooms = moduleRef.get(RoomsService);
    events = moduleRef.get(RoomEvents);
    owner = await createUser();
    member = await createUser();
    stranger = await createUser();
    open = await rooms.create(owner, { name: uniqueName('open'), description: 'for all' });
    secret = await rooms.create(owner, { name: uniqueName('secret'), is_private: true });
    await roomsRepository.addMember(secret.id, member.id, 0);
    events.published.length = 0;
  });

  /** Expects the answer for a room that does not exist, with the same message. */
  const expectNotFound = async (promise: Promise<unknown>, roomId: number) => {
    const error = await rejection(promise);
    expect(error).toBeInstanceOf(RoomsError);
    expect(error).toMatchObject({
      code: ErrorCode.RoomNotFound,
      message: RoomsError.notFound(roomId).message,
    });
  };

  describe('create', () => {
    it('answers the room on the wire, with the caller as owner and first member', async () => {
      expect(open).toMatchObject({
        name: open.name,
        description: 'for all',
        is_private: false,
        created_by: owner.id,
        member_count: 1,
      });
      expect(new Date(open.created_at).toISOString()).toBe(open.created_at);
      expect(secret).toMatchObject({ is_private: true, description: '', member_count: 1 });
      expect(await roomsRepository.memberIds(open.id)).toEqual([owner.id]);
    });

    it('refuses a name taken in another case with room_name_taken', async () => {
      const error = await rejection(rooms.create(stranger, { name: open.name.toUpperCase() }));

      expect(error).toBeInstanceOf(RoomsError);
      expect(error).toMatchObject({ code: ErrorCode.RoomNameTaken });
    });
  });

  describe('list', () => {
    const names = (list: RoomResponse[]) => list.map((room) => room.name);

    it('answers public rooms only to the anonymous', async () => {
      expect(names(await rooms.list(null))).toEqual(['general', open.name]);
    });

    it('answers public rooms and her private rooms to a member', async () => {
      expect(names(await rooms.list(owner))).toEqual(['general', open.name, secret.name]);
      expect(names(await rooms.list(member))).toEqual(['general', open.name, secret.name]);
    });

    it("does not answer others' private rooms", async () => {
      expect(names(await rooms.list(stranger))).toEqual(['general', open.name]);
    });
  });

  describe('get', () => {
    it('answers a public room to anyone', async () => {
      const outsider = {
        ...open,
        is_member: false,
        role: null,
        last_read_id: null,
        unread_count: null,
        mention_count: null,
      };
      expect(await rooms.get(null, open.id)).toEqual(outsider);
      expect(await rooms.get(stranger, open.id)).toEqual(outsider);
      expect(await rooms.get(owner, open.id)).toEqual({ ...open, is_member: true });
    });

    it('answers a private room to its members', async () => {
      expect(await rooms.get(owner, secret.id)).toMatchObject({ id: secret.id, member_count: 2 });
      expect(await rooms.get(member, secret.id)).toMatchObject({ id: secret.id });
    });

    it('answers a private room to others as a room that does not exist', async () => {
      await expectNotFound(rooms.get(stranger, secret.id), secret.id);
      await expectNotFound(rooms.get(null, secret.id), secret.id);
      await expectNotFound(rooms.get(stranger, missingId()), missingId());
    });
  });

  describe('join and leave', () => {
    it('joins a public room once, whatever the number of calls', async () => {
      expect(await rooms.join(stranger, open.id)).toMatchObject({ id: open.id, member_count: 2 });
      expect(await rooms.join(stranger, open.id)).toMatchObject({ member_count: 2 });
      expect((await roomsRepository.access(open.id, stranger.id))?.isMember).toBe(true);
      expect(events.published).toEqual([{ event: 'joined', roomId: open.id, userId: stranger.id }]);
    });

    it('lets a member join her private room again', async () => {
      expect(await rooms.join(member, secret.id)).toMatchObject({ member_count: 2 });
      expect(events.published).toEqual([]);
    });

    it('does not let others join a private room, answering as for no room', async () => {
      await expectNotFound(rooms.join(stranger, secret.id), secret.id);
      expect((await roomsRepository.access(secret.id, stranger.id))?.isMember).toBe(false);
      await expectNotFound(rooms.join(stranger, missingId()), missingId());
      expect(events.published).toEqual([]);
    });

    it('leaves a room, and leaving again changes nothing', async () => {
      await rooms.join(stranger, open.id);

      await rooms.leave(stranger, open.id);
      await rooms.leave(stranger, open.id);

      expect((await roomsRepository.access(open.id, stranger.id))?.isMember).toBe(false);
      expect((await rooms.get(null, open.id)).member_count).toBe(1);
      expect(events.published).toEqual([
        { event: 'joined', roomId: open.id, userId: stranger.id },
        { event: 'left', roomId: open.id, userId: stranger.id },
      ]);
    });

    it('makes a private room invisible to a member who left it', async () => {
      await rooms.leave(member, secret.id);

      await expectNotFound(rooms.get(member, secret.id), secret.id);
      await expectNotFound(rooms.leave(member, secret.id), secret.id);
    });

    it('answers leave of a private room by others as for no room', async () => {
      await expectNotFound(rooms.leave(stranger, secret.id), secret.id);
    });

    it('refuses joins and leaves past RATE_LIMIT_JOINS a minute with rate_limited, changing nothing', async () => {
      await rooms.join(stranger, open.id);
      await rooms.leave(stranger, open.id);
      await rooms.join(stranger, open.id);

      const error = await rejection(rooms.leave(stranger, open.id));

      expect(error).toMatchObject({
        code: ErrorCode.RateLimited,
        retryAfterMs: expect.any(Number),
      });
      expect((await roomsRepository.access(open.id, stranger.id))?.isMember).toBe(true);
      expect(events.published).toHaveLength(3);
      // Each user has a limit of their own.
      await rooms.join(member, open.id);
    });
  });

  describe('members', () => {
    it('answers the members of a public room to anyone, in joining order', async () => {
      await rooms.join(stranger, open.id);

      const members = await rooms.members(null, open.id);

      expect(members.map((user) => [user.id, user.room_role])).toEqual([
        [owner.id, 'owner'],
        [stranger.id, 'member'],
      ]);
      expect(Object.keys(members[0]).sort()).toEqual([
        'created_at',
        'display_name',
        'id',
        'online',
        'role',
        'room_role',
        'username',
      ]);
    });

    it('answers the members of a private room to its members only', async () => {
      const members = await rooms.members(member, secret.id);
      expect(members.map((user) => user.username).sort()).toEqual(
        [owner.username, member.username].sort(),
      );

      await expectNotFound(rooms.members(stranger, secret.id), secret.id);
      await expectNotFound(rooms.members(null, secret.id), secret.id);
    });
  });

  describe('addMember', () => {
    it('lets the owner add a user by name, who then sees the room', async () => {
      const added = await rooms.addMember(owner, secret.id, {
        username: stranger.username.toUpperCase(),
      });

      expect(added).toMatchObject({ id: stranger.id, username: stranger.username, online: false });
      expect(await rooms.get(stranger, secret.id)).toMatchObject({ member_count: 3 });
      expect((await rooms.list(stranger)).map((room) => room.id)).toContain(secret.id);
    });

    it('adds a member once, whatever the number of calls', async () => {
      await rooms.addMember(owner, secret.id, { username: stranger.username });
      await rooms.addMember(owner, secret.id, { username: stranger.username });

      expect(await roomsRepository.memberIds(secret.id)).toEqual([
        owner.id,
        member.id,
        stranger.id,
      ]);
      expect(events.published).toEqual([
        { event: 'joined', roomId: secret.id, userId: stranger.id },
      ]);
    });

    it('refuses a member who is not the owner with not_room_owner', async () => {
      const error = await rejection(
        rooms.addMember(member, secret.id, { username: stranger.username }),
      );

      expect(error).toBeInstanceOf(RoomsError);
      expect(error).toMatchObject({ code: ErrorCode.NotRoomOwner });
      expect((await roomsRepository.access(secret.id, stranger.id))?.isMember).toBe(false);
    });

    it('answers others as for no room, before checking ownership', async () => {
      await expectNotFound(
        rooms.addMember(stranger, secret.id, { username: stranger.username }),
        secret.id,
      );
      expect((await roomsRepository.access(secret.id, stranger.id))?.isMember).toBe(false);
    });

    it('refuses anyone but the owner for public rooms, and everyone for general', async () => {
      await rooms.join(stranger, open.id);
      const error = await rejection(
        rooms.addMember(stranger, open.id, { username: member.username }),
      );
      expect(error).toMatchObject({ code: ErrorCode.NotRoomOwner });

      const general = (await rooms.list(null)).find((room) => room.name === 'general')!;
      const onGeneral = await rejection(
        rooms.addMember(owner, general.id, { username: member.username }),
      );
      expect(onGeneral).toMatchObject({ code: ErrorCode.NotRoomOwner });
    });

    it('refuses an unknown username with user_not_found', async () => {
      const error = await rejection(
        rooms.addMember(owner, secret.id, { username: uniqueName('nobody') }),
      );

      expect(error).toBeInstanceOf(UsersError);
      expect(error).toMatchObject({ code: ErrorCode.UserNotFound });
    });
  });

  describe('assertCanSend', () => {
    it('lets a member send', async () => {
      await expect(rooms.assertCanSend(owner, open.id)).resolves.toBeUndefined();
      await expect(rooms.assertCanSend(member, secret.id)).resolves.toBeUndefined();
    });

    it('refuses a non-member of a public room with not_a_member', async () => {
      const error = await rejection(rooms.assertCanSend(stranger, open.id));

      expect(error).toBeInstanceOf(RoomsError);
      expect(error).toMatchObject({ code: ErrorCode.NotAMember });
    });

    it('answers a non-member of a private room as for no room', async () => {
      await expectNotFound(rooms.assertCanSend(stranger, secret.id), secret.id);
      await expectNotFound(rooms.assertCanSend(stranger, missingId()), missingId());
    });
  });
});
