import { Injectable } from '@nestjs/common';
import {
  DEFAULT_ROOM,
  type NewRoom,
  type ReadMark,
  type ReadPosition,
  type Room,
  type RoomAccess,
} from './room';
import { RoomsRepository, type DirectRoom } from './rooms.repository';

type StoredRoom = Omit<Room, 'memberCount'>;

@Injectable()
export class RoomsMemoryRepository extends RoomsRepository {
  private readonly rooms = new Map<number, StoredRoom>();
  /** Names of the public rooms, lower-cased: private rooms' names block nothing. */
  private readonly publicNames = new Set<string>();
  /** Direct rooms by their pair, "low:high". */
  private readonly directRooms = new Map<string, number>();
  /** Members per room, in joining order, with the newest message each has read. */
  private readonly members = new Map<number, Map<number, number>>();
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
    if (room.createdBy !== null) this.members.get(stored.id)!.set(room.createdBy, 0);
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
    for (const userId of userIds) this.members.get(stored.id)!.set(userId, 0);
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

  async access(roomId: number, userId: number | null): Promise<RoomAccess | null> {
    const room = this.rooms.get(roomId);
    if (!room) return null;
    return {
      isPrivate: room.isPrivate,
      isMember: userId !== null && this.members.get(roomId)!.has(userId),
      ownerId: room.createdBy,
      kind: room.kind,
    };
  }

  async addMember(roomId: number, userId: number, lastReadId: number): Promise<boolean> {
    const members = this.members.get(roomId);
    if (!members || members.has(userId)) return false;
    members.set(userId, lastReadId);
    return true;
  }

  async removeMember(roomId: number, userId: number): Promise<boolean> {
    return this.members.get(roomId)?.delete(userId) ?? false;
  }

  async memberIds(roomId: number): Promise<number[]> {
    return [...(this.members.get(roomId)?.keys() ?? [])];
  }

  async roomIdsOf(userId: number): Promise<number[]> {
    return [...this.members].filter(([, members]) => members.has(userId)).map(([id]) => id);
  }

  async readPosition(roomId: number, userId: number): Promise<number | null> {
    return this.members.get(roomId)?.get(userId) ?? null;
  }

  async readPositions(userId: number): Promise<ReadPosition[]> {
    const positions: ReadPosition[] = [];
    for (const [roomId, members] of this.members) {
      const lastReadId = members.get(userId);
      if (lastReadId !== undefined) positions.push({ roomId, lastReadId });
    }
    return positions;
  }

  async saveReadMarks(marks: readonly ReadMark[]): Promise<void> {
    for (const { roomId, userId, lastReadId } of marks) {
      const members = this.members.get(roomId);
      const current = members?.get(userId);
      if (current !== undefined && lastReadId > current) members!.set(userId, lastReadId);
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
