import type { NewRoom, Room, RoomAccess } from './room';

/**
 * Port of the room and membership store. A public room's name (case-insensitive) is taken for
 * every other room; a private room's name blocks nothing, so a name never reveals one.
 */
export abstract class RoomsRepository {
  /** Creates the room with its creator (if any) as first member; null when the name is taken. */
  abstract create(room: NewRoom): Promise<Room | null>;
  abstract findById(id: number): Promise<Room | null>;
  /** The public room of this name, in any letter case. */
  abstract findPublicByName(name: string): Promise<Room | null>;
  /** Public rooms and the private rooms the user is a member of (public only when null), by id. */
  abstract listVisibleTo(userId: number | null): Promise<Room[]>;
  /** Null when the room does not exist; isMember is false for a null user. One cheap lookup. */
  abstract access(roomId: number, userId: number | null): Promise<RoomAccess | null>;
  /** Returns false when the user was a member already. */
  abstract addMember(roomId: number, userId: number): Promise<boolean>;
  /** Returns false when the user was not a member. */
  abstract removeMember(roomId: number, userId: number): Promise<boolean>;
  /** Member ids in the order they joined. */
  abstract memberIds(roomId: number): Promise<number[]>;
  /** Ids of the rooms the user is a member of. */
  abstract roomIdsOf(userId: number): Promise<number[]>;
}
