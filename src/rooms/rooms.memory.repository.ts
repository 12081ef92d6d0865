import { Injectable } from '@nestjs/common';
import { DEFAULT_ROOM, NewRoom, Room, RoomAccess } from './room';
import { RoomsRepository } from './rooms.repository';

type StoredRoom = Omit<Room, 'memberCount'>;

@Injectable()
export class RoomsMemoryRepository extends RoomsRepository {
  private readonly rooms = new Map<number, StoredRoom>();
  /** Names of the public rooms, lower-cased: private rooms' names block nothing. */
  private readonly publicNames = new Set<string>();
  /** Members per room, in joining order. */
  private readonly members = new Map<number, Set<number>>();
  private lastId = 0;

  constructor() {
    super();
    this.insert({ ...DEFAULT_ROOM, isPrivate: false, createdBy: null });
  }

  async create(room: NewRoom): Promise<Room | null> {
    if (this.publicNames.has(room.name.toLowerCase())) return null;
    const stored = this.insert(room);
    if (room.createdBy !== null) this.members.get(stored.id)!.add(room.createdBy);
    return this.withCount(stored);
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
    };
  }

  async addMember(roomId: number, userId: number): Promise<boolean> {
    const members = this.members.get(roomId);
    if (!members || members.has(userId)) return false;
    members.add(userId);
    return true;
  }

  async removeMember(roomId: number, userId: number): Promise<boolean> {
    return this.members.get(roomId)?.delete(userId) ?? false;
  }

  async memberIds(roomId: number): Promise<number[]> {
    return [...(this.members.get(roomId) ?? [])];
  }

  async roomIdsOf(userId: number): Promise<number[]> {
    return [...this.members].filter(([, members]) => members.has(userId)).map(([id]) => id);
  }

  private insert(room: Omit<StoredRoom, 'id' | 'createdAt'>): StoredRoom {
    const stored = { ...room, id: ++this.lastId, createdAt: new Date() };
    this.rooms.set(stored.id, stored);
    if (!room.isPrivate) this.publicNames.add(room.name.toLowerCase());
    this.members.set(stored.id, new Set());
    return stored;
  }

  private withCount(room: StoredRoom): Room {
    return { ...room, memberCount: this.members.get(room.id)!.size };
  }
}
