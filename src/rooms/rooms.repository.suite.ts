import { uniqueName } from '../../test/factories/users.factory';
import {
  createRoom,
  createUser,
  MISSING_ID,
  RepositoriesSetup,
} from '../database/repositories.suite';
import type { MessagesRepository } from '../messages/messages.repository';
import type { UsersRepository } from '../users/users.repository';
import type { User } from '../users/user';
import { DEFAULT_ROOM, Room, type RoomRole } from './room';
import type { RoomsRepository } from './rooms.repository';

/** The contract of RoomsRepository, run against every store. */
export function describeRoomsRepository(setup: RepositoriesSetup): void {
  describe('RoomsRepository', () => {
    let users: UsersRepository;
    let rooms: RoomsRepository;
    let messages: MessagesRepository;

    beforeEach(async () => {
      ({ users, rooms, messages } = await setup());
    });

    const ids = (list: readonly Room[]) => list.map((room) => room.id);

    describe('a fresh store', () => {
      it('holds the public room general, made by the server', async () => {
        const general = (await rooms.listVisibleTo(null)).filter(
          (room) => room.name.toLowerCase() === DEFAULT_ROOM.name,
        );

        expect(general).toHaveLength(1);
        expect(general[0]).toMatchObject({
          name: DEFAULT_ROOM.name,
          isPrivate: false,
          createdBy: null,
        });
        expect(await rooms.findById(general[0].id)).toEqual(general[0]);
      });
    });

    describe('create', () => {
      it('stores the room with its creator as first and only member', async () => {
        const creator = await createUser(users);
        const name = uniqueName('Room');

        const room = await rooms.create({
          name,
          description: 'about things',
          isPrivate: false,
          createdBy: creator.id,
        });

        expect(room).toMatchObject({
          name,
          description: 'about things',
          isPrivate: false,
          createdBy: creator.id,
          memberCount: 1,
        });
        expect(room!.id).toBeGreaterThan(0);
        expect(room!.createdAt).toBeInstanceOf(Date);
        expect(await rooms.findById(room!.id)).toEqual(room);
        expect(await rooms.memberIds(room!.id)).toEqual([creator.id]);
        expect((await rooms.access(room!.id, creator.id))?.isMember).toBe(true);
        expect(await rooms.roomIdsOf(creator.id)).toEqual([room!.id]);
      });

      it('stores private rooms as private', async () => {
        const creator = await createUser(users);

        const room = await createRoom(rooms, creator, { isPrivate: true });

        expect(room.isPrivate).toBe(true);
        expect(await rooms.findById(room.id)).toMatchObject({ isPrivate: true, memberCount: 1 });
      });

      it("answers null for a public room's name in another case, for public and private rooms", async () => {
        const creator = await createUser(users);
        const other = await createUser(users);
        const room = await createRoom(rooms, creator);

        for (const isPrivate of [false, true]) {
          const again = await rooms.create({
            name: room.name.toUpperCase(),
            description: '',
            isPrivate,
            createdBy: other.id,
          });
          expect(again).toBeNull();
        }
        expect(await rooms.roomIdsOf(other.id)).toEqual([]);
        expect(await rooms.findById(room.id)).toEqual(room);
      });

      it("lets any room take a private room's name: it blocks nothing", async () => {
        const [first, second, third] = await Promise.all([1, 2, 3].map(() => createUser(users)));
        const secret = await createRoom(rooms, first, { isPrivate: true });
        const named = (user: User, isPrivate: boolean) =>
          rooms.create({
            name: secret.name.toUpperCase(),
            description: '',
            isPrivate,
            createdBy: user.id,
          });

        const alsoPrivate = await named(second, true);
        const isPublic = await named(third, false);

        expect(alsoPrivate).toMatchObject({ isPrivate: true, createdBy: second.id });
        expect(isPublic).toMatchObject({ isPrivate: false, createdBy: third.id });
        // Now the name is a public room's: taken for every other room.
        expect(await named(first, true)).toBeNull();
        expect(await named(second, false)).toBeNull();
      });

      it('answers null for the name general', async () => {
        const creator = await createUser(users);

        expect(
          await rooms.create({
            name: 'GENERAL',
            description: '',
            isPrivate: false,
            createdBy: creator.id,
          }),
        ).toBeNull();
      });

      it('lets exactly one of 10 concurrent creations of one name succeed', async () => {
        const creators = await Promise.all(Array.from({ length: 10 }, () => createUser(users)));
        const name = uniqueName('race');

        const results = await Promise.all(
          creators.map((creator, i) =>
            rooms.create({
              name: i % 2 === 0 ? name : name.toUpperCase(),
              description: '',
              isPrivate: false,
              createdBy: creator.id,
            }),
          ),
        );

        const created = results.filter((room) => room !== null);
        expect(created).toHaveLength(1);
        const named = (await rooms.listVisibleTo(null)).filter(
          (room) => room.name.toLowerCase() === name.toLowerCase(),
        );
        expect(ids(named)).toEqual([created[0].id]);
        expect(await rooms.memberIds(created[0].id)).toEqual([created[0].createdBy]);
      });
    });

    describe('findById', () => {
      it('answers null for an unknown id', async () => {
        expect(await rooms.findById(MISSING_ID)).toBeNull();
      });
    });

    describe('findByIds', () => {
      it('answers the rooms that exist, by id, once each', async () => {
        const owner = await createUser(users);
        const [one, two] = [await createRoom(rooms, owner), await createRoom(rooms, owner)];

        expect(await rooms.findByIds([two.id, MISSING_ID, one.id, two.id])).toEqual([one, two]);
        expect(await rooms.findByIds([])).toEqual([]);
      });
    });

    describe('listVisibleTo', () => {
      let owner: Awaited<ReturnType<typeof createUser>>;
      let stranger: Awaited<ReturnType<typeof createUser>>;
      let open: Room;
      let secret: Room;

      beforeEach(async () => {
        owner = await createUser(users);
        stranger = await createUser(users);
        open = await createRoom(rooms, owner);
        secret = await createRoom(rooms, owner, { isPrivate: true });
      });

      it('answers public rooms only to the anonymous, ordered by id', async () => {
        const listed = await rooms.listVisibleTo(null);

        expect(ids(listed)).toContain(open.id);
        expect(ids(listed)).not.toContain(secret.id);
        expect(listed.every((room) => !room.isPrivate)).toBe(true);
        expect(ids(listed)).toEqual([...ids(listed)].sort((a, b) => a - b));
        expect(listed.find((room) => room.id === open.id)).toEqual(open);
      });

      it('answers public rooms and her own private rooms to a member', async () => {
        const listed = await rooms.listVisibleTo(owner.id);

        expect(ids(listed)).toEqual(expect.arrayContaining([open.id, secret.id]));
        expect(listed.find((room) => room.id === secret.id)).toEqual(secret);
        expect(ids(listed)).toEqual([...ids(listed)].sort((a, b) => a - b));
        expect(listed.filter((room) => room.isPrivate)).toEqual([secret]);
      });

      it("does not answer others' private rooms", async () => {
        const listed = await rooms.listVisibleTo(stranger.id);

        expect(ids(listed)).toContain(open.id);
        expect(ids(listed)).not.toContain(secret.id);
        expect(listed.filter((room) => room.isPrivate)).toEqual([]);
      });

      it('answers a private room once the user is added to it, and not after leaving', async () => {
        await rooms.addMember(secret.id, stranger.id, 0);
        expect(ids(await rooms.listVisibleTo(stranger.id))).toContain(secret.id);

        await rooms.removeMember(secret.id, stranger.id);
        expect(ids(await rooms.listVisibleTo(stranger.id))).not.toContain(secret.id);
      });
    });

    describe('membership', () => {
      let owner: Awaited<ReturnType<typeof createUser>>;
      let room: Room;

      beforeEach(async () => {
        owner = await createUser(users);
        room = await createRoom(rooms, owner);
      });

      it('answers access: private or not, membership (none for an anonymous caller), role', async () => {
        const user = await createUser(users);
        const secret = await createRoom(rooms, owner, { isPrivate: true });
        const access = (isPrivate: boolean, role: RoomRole | null) => ({
          isPrivate,
          isMember: role !== null,
          role,
          kind: 'channel',
        });

        expect(await rooms.access(room.id, owner.id)).toEqual(access(false, 'owner'));
        expect(await rooms.access(room.id, user.id)).toEqual(access(false, null));
        expect(await rooms.access(room.id, null)).toEqual(access(false, null));
        expect(await rooms.access(secret.id, owner.id)).toEqual(access(true, 'owner'));
        expect(await rooms.access(secret.id, user.id)).toEqual(access(true, null));
        await rooms.addMember(room.id, user.id, 0);
        expect(await rooms.access(room.id, user.id)).toEqual(access(false, 'member'));
      });

      it('makes a room of the server with no member, and finds public rooms by name in any case', async () => {
        const name = `Lobby-${room.id}`;
        const made = await rooms.create({
          name,
          description: '',
          isPrivate: false,
          createdBy: null,
        });
        const secret = await createRoom(rooms, owner, { isPrivate: true });

        expect(made).toMatchObject({ name, createdBy: null, memberCount: 0 });
        expect(await rooms.findPublicByName(name.toUpperCase())).toEqual(made);
        expect(await rooms.findPublicByName(secret.name)).toBeNull();
        expect(await rooms.findPublicByName('no such room anywhere')).toBeNull();
      });

      it('adds a member once: true, then false', async () => {
        const user = await createUser(users);

        expect((await rooms.access(room.id, user.id))?.isMember).toBe(false);
        expect(await rooms.addMember(room.id, user.id, 0)).toBe(true);
        expect(await rooms.addMember(room.id, user.id, 0)).toBe(false);
        expect((await rooms.access(room.id, user.id))?.isMember).toBe(true);
        expect(await rooms.memberIds(room.id)).toEqual([owner.id, user.id]);
        expect((await rooms.findById(room.id))!.memberCount).toBe(2);
      });

      it('removes a member once: true, then false', async () => {
        const user = await createUser(users);
        await rooms.addMember(room.id, user.id, 0);

        expect(await rooms.removeMember(room.id, user.id)).toBe(true);
        expect(await rooms.removeMember(room.id, user.id)).toBe(false);
        expect((await rooms.access(room.id, user.id))?.isMember).toBe(false);
        expect(await rooms.memberIds(room.id)).toEqual([owner.id]);
        expect((await rooms.findById(room.id))!.memberCount).toBe(1);
      });

      it('answers false when removing someone who never was a member', async () => {
        const user = await createUser(users);

        expect(await rooms.removeMember(room.id, user.id)).toBe(false);
        expect((await rooms.findById(room.id))!.memberCount).toBe(1);
      });

      it('lets the creator leave, and the count follows', async () => {
        expect(await rooms.removeMember(room.id, owner.id)).toBe(true);

        expect(await rooms.memberIds(room.id)).toEqual([]);
        expect(await rooms.findById(room.id)).toMatchObject({
          memberCount: 0,
          createdBy: owner.id,
        });
      });

      it('answers member ids in joining order, whatever the user ids', async () => {
        const older = await createUser(users);
        const newer = await createUser(users);

        await rooms.addMember(room.id, newer.id, 0);
        await rooms.addMember(room.id, older.id, 0);

        expect(await rooms.memberIds(room.id)).toEqual([owner.id, newer.id, older.id]);
        const listed = (await rooms.listVisibleTo(null)).find((r) => r.id === room.id);
        expect(listed!.memberCount).toBe(3);
      });

      it('answers the rooms a user is a member of', async () => {
        const user = await createUser(users);
        const other = await createRoom(rooms, owner, { isPrivate: true });
        expect(await rooms.roomIdsOf(user.id)).toEqual([]);

        await rooms.addMember(other.id, user.id, 0);
        await rooms.addMember(room.id, user.id, 0);
        expect([...(await rooms.roomIdsOf(user.id))].sort((a, b) => a - b)).toEqual([
          room.id,
          other.id,
        ]);

        await rooms.removeMember(other.id, user.id);
        expect(await rooms.roomIdsOf(user.id)).toEqual([room.id]);
      });

      it('answers no members for an unknown room', async () => {
        const user = await createUser(users);

        expect(await rooms.memberIds(MISSING_ID)).toEqual([]);
        expect(await rooms.access(MISSING_ID, user.id)).toBeNull();
        expect(await rooms.removeMember(MISSING_ID, user.id)).toBe(false);
      });
    });

    describe('direct rooms', () => {
      it('makes the room of a pair once, private to both, with no owner and no name', async () => {
        const [ann, ben] = [await createUser(users), await createUser(users)];
        const pair = [ann.id, ben.id];

        const made = await rooms.findOrCreateDirect(pair);
        const again = await rooms.findOrCreateDirect(pair);

        expect(made.created).toBe(true);
        expect(again).toEqual({ room: made.room, created: false });
        expect(made.room).toMatchObject({
          kind: 'direct',
          directUserIds: pair,
          isPrivate: true,
          createdBy: null,
          memberCount: 2,
        });
        expect(await rooms.memberIds(made.room.id)).toEqual(expect.arrayContaining(pair));
        expect(await rooms.access(made.room.id, ann.id)).toMatchObject({
          isMember: true,
          kind: 'direct',
          role: 'member',
        });
        const outsider = await createUser(users);
        expect(ids(await rooms.listVisibleTo(outsider.id))).not.toContain(made.room.id);
        expect(ids(await rooms.listVisibleTo(ann.id))).toContain(made.room.id);
      });

      it('makes one room when both ask at once, and one for a user alone', async () => {
        const [ann, ben] = [await createUser(users), await createUser(users)];
        const answers = await Promise.all([
          rooms.findOrCreateDirect([ann.id, ben.id]),
          rooms.findOrCreateDirect([ann.id, ben.id]),
        ]);
        expect(answers.map((answer) => answer.created).sort()).toEqual([false, true]);
        expect(answers[0].room.id).toBe(answers[1].room.id);

        const notes = await rooms.findOrCreateDirect([ann.id]);
        expect(notes.room).toMatchObject({ directUserIds: [ann.id], memberCount: 1 });
      });
    });

    describe('roles', () => {
      it("makes a channel's creator its owner and others members, and changes members' roles", async () => {
        const owner = await createUser(users);
        const [ann, ben] = [await createUser(users), await createUser(users)];
        const room = await createRoom(rooms, owner);
        await rooms.addMember(room.id, ann.id, 0);
        await rooms.addMember(room.id, ben.id, 0);

        expect(await rooms.setRole(room.id, ann.id, 'admin')).toBe(true);
        await rooms.saveReadMarks([{ roomId: room.id, userId: ben.id, lastReadId: 7 }]);
        expect(await rooms.membersOf(room.id)).toEqual([
          { userId: owner.id, role: 'owner', lastReadId: 0 },
          { userId: ann.id, role: 'admin', lastReadId: 0 },
          { userId: ben.id, role: 'member', lastReadId: 7 },
        ]);
        expect(await rooms.membership(room.id, ann.id)).toEqual({
          roomId: room.id,
          role: 'admin',
          lastReadId: 0,
        });
        expect((await rooms.access(room.id, ann.id))?.role).toBe('admin');

        expect(await rooms.setRole(room.id, ann.id, 'member')).toBe(true);
        expect((await rooms.access(room.id, ann.id))?.role).toBe('member');
        const outsider = await createUser(users);
        expect(await rooms.setRole(room.id, outsider.id, 'admin')).toBe(false);
        expect(await rooms.membership(room.id, outsider.id)).toBeNull();
      });

      it('starts a member who leaves and comes back as a member again', async () => {
        const owner = await createUser(users);
        const ann = await createUser(users);
        const room = await createRoom(rooms, owner);
        await rooms.addMember(room.id, ann.id, 0);
        await rooms.setRole(room.id, ann.id, 'admin');
        await rooms.removeMember(room.id, ann.id);
        await rooms.addMember(room.id, ann.id, 0);
        expect((await rooms.access(room.id, ann.id))?.role).toBe('member');
      });

      it('gives the creator back the ownership when they come back', async () => {
        const owner = await createUser(users);
        const room = await createRoom(rooms, owner);
        await rooms.removeMember(room.id, owner.id);
        expect(await rooms.addMember(room.id, owner.id, 0)).toBe(true);
        expect((await rooms.access(room.id, owner.id))?.role).toBe('owner');
        expect(await rooms.addMember(MISSING_ID, owner.id, 0)).toBe(false);
      });
    });

    describe('bans', () => {
      it('removes a banned member, keeps them out until unbanned, and lists the bans latest first', async () => {
        const owner = await createUser(users);
        const [ann, ben] = [await createUser(users), await createUser(users)];
        const room = await createRoom(rooms, owner);
        await rooms.addMember(room.id, ann.id, 0);

        expect(await rooms.ban(room.id, ann.id, owner.id)).toBe(true);
        expect(await rooms.ban(room.id, ben.id, owner.id)).toBe(false);
        expect(await rooms.ban(room.id, ben.id, owner.id)).toBe(false);
        expect(await rooms.memberIds(room.id)).toEqual([owner.id]);
        expect(await rooms.isBanned(room.id, ann.id)).toBe(true);
        expect(await rooms.isBanned(room.id, owner.id)).toBe(false);
        expect(await rooms.addMember(room.id, ann.id, 0)).toBe(false);
        expect(await rooms.addMember(room.id, ben.id, 0)).toBe(false);
        expect((await rooms.bannedIds(room.id)).sort()).toEqual([ann.id, ben.id].sort());

        expect(await rooms.unban(room.id, ann.id)).toBe(true);
        expect(await rooms.unban(room.id, ann.id)).toBe(false);
        expect(await rooms.bannedIds(room.id)).toEqual([ben.id]);
        expect(await rooms.addMember(room.id, ann.id, 0)).toBe(true);
      });

      it('bans from one room only', async () => {
        const owner = await createUser(users);
        const ann = await createUser(users);
        const [banning, other] = [await createRoom(rooms, owner), await createRoom(rooms, owner)];
        await rooms.ban(banning.id, ann.id, owner.id);
        expect(await rooms.addMember(other.id, ann.id, 0)).toBe(true);
        expect(await rooms.bannedIds(other.id)).toEqual([]);
      });
    });

    describe('updating and deleting', () => {
      it('renames a room and changes its description, keeping what is left out', async () => {
        const owner = await createUser(users);
        const room = await createRoom(rooms, owner);
        const name = uniqueName('renamed');

        const renamed = await rooms.update(room.id, { name });
        expect(renamed).toEqual({
          kind: 'updated',
          room: { ...room, name, memberCount: 1 },
        });
        const described = await rooms.update(room.id, { description: 'plans' });
        expect(described).toMatchObject({ kind: 'updated', room: { name, description: 'plans' } });
        expect(await rooms.findPublicByName(name.toUpperCase())).toMatchObject({ id: room.id });
        expect(await rooms.findPublicByName(room.name)).toBeNull();
        expect(await rooms.update(MISSING_ID, { name: uniqueName('none') })).toEqual({
          kind: 'not_found',
        });
      });

      it("refuses a public room's name to every other room, in any case; private names block nothing", async () => {
        const owner = await createUser(users);
        const [room, other] = [await createRoom(rooms, owner), await createRoom(rooms, owner)];
        const secret = await createRoom(rooms, owner, { isPrivate: true });

        expect(await rooms.update(room.id, { name: other.name.toUpperCase() })).toEqual({
          kind: 'name_taken',
        });
        expect(await rooms.update(secret.id, { name: other.name })).toEqual({ kind: 'name_taken' });
        const secretName = uniqueName('secret');
        expect(await rooms.update(secret.id, { name: secretName })).toMatchObject({
          kind: 'updated',
        });
        expect(await rooms.update(other.id, { name: secretName.toUpperCase() })).toMatchObject({
          kind: 'updated',
        });
        expect(await rooms.update(room.id, { name: room.name.toUpperCase() })).toMatchObject({
          kind: 'updated',
          room: { name: room.name.toUpperCase() },
        });
        // The old name is free once a room has given it up.
        expect(await rooms.update(room.id, { name: other.name })).toMatchObject({
          kind: 'updated',
        });
      });

      it('deletes a room with its members, bans and messages, and answers who were members', async () => {
        const owner = await createUser(users);
        const [ann, ben] = [await createUser(users), await createUser(users)];
        const room = await createRoom(rooms, owner);
        await rooms.addMember(room.id, ann.id, 0);
        await rooms.ban(room.id, ben.id, owner.id);
        const sent = await messages.create({
          roomId: room.id,
          userId: ann.id,
          username: ann.username,
          content: 'soon gone',
          clientMsgId: 'gone-1',
          replyTo: null,
          mentions: [],
        });

        expect((await rooms.delete(room.id)).sort()).toEqual([owner.id, ann.id].sort());
        await messages.forgetRoom(room.id);

        expect(await rooms.findById(room.id)).toBeNull();
        expect(await rooms.access(room.id, ann.id)).toBeNull();
        expect(await rooms.roomIdsOf(ann.id)).not.toContain(room.id);
        expect(await rooms.bannedIds(room.id)).toEqual([]);
        expect(await rooms.findPublicByName(room.name)).toBeNull();
        expect(await messages.findInRoom(room.id, sent!.message.id)).toBeNull();
        expect(await messages.findByClientMsgId(ann.id, 'gone-1')).toBeNull();
        expect(await messages.list(room.id, { limit: 50 })).toEqual([]);
        expect(await rooms.delete(room.id)).toEqual([]);
        // Its name is free again.
        expect(
          await rooms.create({
            name: room.name,
            description: '',
            isPrivate: false,
            createdBy: owner.id,
          }),
        ).not.toBeNull();
      });
    });

    describe('read positions', () => {
      it('starts a member where told, moves forward only, and forgets them when they leave', async () => {
        const owner = await createUser(users);
        const reader = await createUser(users);
        const room = await createRoom(rooms, owner);
        await rooms.addMember(room.id, reader.id, 40);

        expect(await rooms.readPosition(room.id, reader.id)).toBe(40);
        expect(await rooms.readPosition(room.id, owner.id)).toBe(0);
        await rooms.saveReadMarks([
          { roomId: room.id, userId: reader.id, lastReadId: 30 },
          { roomId: room.id, userId: owner.id, lastReadId: 55 },
          { roomId: room.id, userId: owner.id, lastReadId: 50 },
        ]);
        expect(await rooms.readPosition(room.id, reader.id)).toBe(40);
        expect(await rooms.readPosition(room.id, owner.id)).toBe(55);
        expect(await rooms.readPositions(owner.id)).toContainEqual({
          roomId: room.id,
          role: 'owner',
          lastReadId: 55,
        });

        await rooms.removeMember(room.id, reader.id);
        await rooms.saveReadMarks([{ roomId: room.id, userId: reader.id, lastReadId: 90 }]);
        expect(await rooms.readPosition(room.id, reader.id)).toBeNull();
        expect(await rooms.addMember(room.id, reader.id, 70)).toBe(true);
        expect(await rooms.readPosition(room.id, reader.id)).toBe(70);
      });

      it('stores marks of two writers at once without losing the further one', async () => {
        const owner = await createUser(users);
        const room = await createRoom(rooms, owner);
        await Promise.all([
          rooms.saveReadMarks([{ roomId: room.id, userId: owner.id, lastReadId: 9 }]),
          rooms.saveReadMarks([{ roomId: room.id, userId: owner.id, lastReadId: 12 }]),
          rooms.saveReadMarks([]),
        ]);
        expect(await rooms.readPosition(room.id, owner.id)).toBe(12);
      });
    });
  });
}
