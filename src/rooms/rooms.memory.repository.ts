import { Injectable } from '@nestjs/common';
import {
  DEFAULT_ROOM,
  type Membership,
  type NewRoom,
  type ReadMark,
  type Room,
  type RoomAccess,
  type RoomChanges,
  type RoomMember,
  type RoomRole,
} from './room';
import { RoomsRepository, type DirectRoom, type RoomUpdate } from './rooms.repository';

type StoredRoom = Omit<Room, 'memberCount'>;

/** A member's standing in a room. */
interface StoredMember {
  role: RoomRole;
  /** The newest message they have read. */
  lastReadId: number;
}

@Injectable()
export class RoomsMemoryRepository extends RoomsRepository {
  private readonly rooms = new Map<number, StoredRoom>();
  /** Names of the public rooms, lower-cased: private rooms' names block nothing. */
  private readonly publicNames = new Set<string>();
  /** Direct rooms by their pair, "low:high". */
  private readonly directRooms = new Map<string, number>();
  /** Members per room, in joining order. */
  private readonly members = new Map<number, Map<number, StoredMember>>();
  /** Banned users per room, in the order they were banned. */
  private readonly bans = new Map<number, Set<number>>();
  private lastId = 0;

  constructor() {
    super();
    this.insert({
      ...DEFAULT_ROOM,
      isPrivate: false,
      kind: 'channel',
      directUserIds: [],
      createdBy: null,
    });
  }

  async create(room: NewRoom): Promise<Room | null> {
    if (this.publicNames.has(room.name.toLowerCase())) return null;
    const stored = this.insert({ ...room, kind: 'channel', directUserIds: [] });
    if (room.createdBy !== null) {
      this.members.get(stored.id)!.set(room.createdBy, { role: 'owner', lastReadId: 0 });
    }
    return this.withCount(stored);
  }

  async findOrCreateDirect(userIds: readonly number[]): Promise<DirectRoom> {
    const key = userIds.join(':');
    const existing = this.directRooms.get(key);
    if (existing !== undefined)
      return { room: this.withCount(this.rooms.get(existing)!), created: false };
    const stored = this.insert({
      name: '',
      description: '',
      isPrivate: true,
      kind: 'direct',
      directUserIds: [...userIds],
      createdBy: null,
    });
    this.directRooms.set(key, stored.id);
    for (const userId of userIds) {
      this.members.get(stored.id)!.set(userId, { role: 'member', lastReadId: 0 });
    }
    return { room: this.withCount(stored), created: true };
  }

  async findPublicByName(name: string): Promise<Room | null> {
    const lower = name.toLowerCase();
    for (const room of this.rooms.values()) {
      if (!room.isPrivate && room.name.toLowerCase() === lower) return this.withCount(room);
    }
    return null;
  }

  async findById(id: number): Promise<Room | null> {
    const room = this.rooms.get(id);
    return room ? this.withCount(room) : null;
  }

  async findByIds(ids: readonly number[]): Promise<Room[]> {
    return [...new Set(ids)]
      .sort((a, b) => a - b)
      .flatMap((id) => {
        const room = this.rooms.get(id);
        return room ? [this.withCount(room)] : [];
      });
  }

  async listVisibleTo(userId: number | null): Promise<Room[]> {
    return [...this.rooms.values()]
      .filter(
        (room) => !room.isPrivate || (userId !== null && this.members.get(room.id)!.has(userId)),
      )
      .map((room) => this.withCount(room));
  }

  async update(roomId: number, changes: RoomChanges): Promise<RoomUpdate> {
    const room = this.rooms.get(roomId);
    if (!room) return { kind: 'not_found' };
    const name = changes.name ?? room.name;
    const renamed = name.toLowerCase() !== room.name.toLowerCase();
    if (renamed && this.publicNames.has(name.toLowerCase())) {
      return { kind: 'name_taken' };
    }
    if (!room.isPrivate) {
      this.publicNames.delete(room.name.toLowerCase());
      this.publicNames.add(name.toLowerCase());
    }
    const updated = { ...room, name, description: changes.description ?? room.description };
    this.rooms.set(roomId, updated);
    return { kind: 'updated', room: this.withCount(updated) };
  }

  async delete(roomId: number): Promise<number[]> {
    const room = this.rooms.get(roomId);
    if (!room) return [];
    const memberIds = [...this.members.get(roomId)!.keys()];
    this.rooms.delete(roomId);
    this.members.delete(roomId);
    this.bans.delete(roomId);
    if (!room.isPrivate) this.publicNames.delete(room.name.toLowerCase());
    return memberIds;
  }

  async access(roomId: number, userId: number | null): Promise<RoomAccess | null> {
    const room = this.rooms.get(roomId);
    if (!room) return null;
    const member = userId === null ? undefined : this.members.get(roomId)!.get(userId);
    return {
      isPrivate: room.isPrivate,
      isMember: member !== undefined,
      role: member?.role ?? null,
      kind: room.kind,
    };
  }

  async addMember(roomId: number, userId: number, lastReadId: number): Promise<boolean> {
    const members = this.members.get(roomId);
    if (!members || members.has(userId) || this.bans.get(roomId)?.has(userId)) return false;
    const role = this.rooms.get(roomId)!.createdBy === userId ? 'owner' : 'member';
    members.set(userId, { role, lastReadId });
    return true;
  }

  async removeMember(roomId: number, userId: number): Promise<boolean> {
    return this.members.get(roomId)?.delete(userId) ?? false;
  }

  async memberIds(roomId: number): Promise<number[]> {
    return [...(this.members.get(roomId)?.keys() ?? [])];
  }

  async membersOf(roomId: number): Promise<RoomMember[]> {
    return [...(this.members.get(roomId) ?? [])].map(([userId, { role, lastReadId }]) => ({
      userId,
      role,
      lastReadId,
    }));
  }

  async setRole(roomId: number, userId: number, role: RoomRole): Promise<boolean> {
    const member = this.members.get(roomId)?.get(userId);
    if (!member) return false;
    member.role = role;
    return true;
  }

  async ban(roomId: number, userId: number): Promise<boolean> {
    const members = this.members.get(roomId);
    if (!members) return false;
    let banned = this.bans.get(roomId);
    if (!banned) this.bans.set(roomId, (banned = new Set()));
    banned.add(userId);
    return members.delete(userId);
  }

  async unban(roomId: number, userId: number): Promise<boolean> {
    return this.bans.get(roomId)?.delete(userId) ?? false;
  }

  async isBanned(roomId: number, userId: number): Promise<boolean> {
    return this.bans.get(roomId)?.has(userId) ?? false;
  }

  async bannedIds(roomId: number): Promise<number[]> {
    return [...(this.bans.get(roomId) ?? [])].reverse();
  }

  async roomIdsOf(userId: number): Promise<number[]> {
    return [...this.members].filter(([, members]) => members.has(userId)).map(([id]) => id);
  }

  async readPosition(roomId: number, userId: number): Promise<number | null> {
    return this.members.get(roomId)?.get(userId)?.lastReadId ?? null;
  }

  async membership(roomId: number, userId: number): Promise<Membership | null> {
    const member = this.members.get(roomId)?.get(userId);
    return member ? { roomId, ...member } : null;
  }

  async readPositions(userId: number): Promise<Membership[]> {
    const memberships: Membership[] = [];
    for (const [roomId, members] of this.members) {
      const member = members.get(userId);
      if (member) memberships.push({ roomId, ...member });
    }
    return memberships;
  }

  async saveReadMarks(marks: readonly ReadMark[]): Promise<void> {
    for (const { roomId, userId, lastReadId } of marks) {
      const member = this.members.get(roomId)?.get(userId);
      if (member && lastReadId > member.lastReadId) member.lastReadId = lastReadId;
    }
  }

  private insert(room: Omit<StoredRoom, 'id' | 'createdAt'>): StoredRoom {
    const stored = { ...room, id: ++this.lastId, createdAt: new Date() };
    this.rooms.set(stored.id, stored);
    if (!room.isPrivate) this.publicNames.add(room.name.toLowerCase());
    this.members.set(stored.id, new Map());
    return stored;
  }

  private withCount(room: StoredRoom): Room {
    return { ...room, memberCount: this.members.get(room.id)!.size };
  }
}
