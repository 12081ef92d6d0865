import type {
  Membership,
  NewRoom,
  ReadMark,
  Room,
  RoomAccess,
  RoomChanges,
  RoomMember,
  RoomRole,
} from './room';

/** A direct room as found or made. */
export interface DirectRoom {
  room: Room;
  /** True when this call made it. */
  created: boolean;
}

/** What an update came to: the room as it now is, or why not. */
export type RoomUpdate = { kind: 'updated'; room: Room } | { kind: 'name_taken' | 'not_found' };

/**
 * Port of the room and membership store. A public room's name (case-insensitive) is taken for
 * every other room; a private room's name blocks nothing, so a name never reveals one. A pair
 * of users has one direct room at most, however many ask at once.
 */
export abstract class RoomsRepository {
  /**
   * Creates the channel with its creator (if any) as first member and owner; null when the name is
   * taken.
   */
  abstract create(room: NewRoom): Promise<Room | null>;
  /** The direct room of the pair (see directPair), made with both as members when missing. */
  abstract findOrCreateDirect(userIds: readonly number[]): Promise<DirectRoom>;
  abstract findById(id: number): Promise<Room | null>;
  /** The rooms of these ids that exist, by id. */
  abstract findByIds(ids: readonly number[]): Promise<Room[]>;
  /** The public room of this name, in any letter case. */
  abstract findPublicByName(name: string): Promise<Room | null>;
  /** Public rooms and the private rooms the user is a member of (public only when null), by id. */
  abstract listVisibleTo(userId: number | null): Promise<Room[]>;
  /** Renames a channel or changes its description, under the same name rule as `create`. */
  abstract update(roomId: number, changes: RoomChanges): Promise<RoomUpdate>;
  /**
   * Deletes the room with its memberships and bans, at once; answers the ids of the members it
   * had (none when there was no such room). Its messages go with it through RoomActivity.
   */
  abstract delete(roomId: number): Promise<number[]>;
  /** Null when the room does not exist; isMember is false for a null user. One cheap lookup. */
  abstract access(roomId: number, userId: number | null): Promise<RoomAccess | null>;
  /**
   * Adds the member, who has read up to `lastReadId`: as `member`, or as `owner` for the room's
   * creator coming back. Returns false when the user was a member already (their role and read
   * position stay), is banned from the room, or there is no such room.
   */
  abstract addMember(roomId: number, userId: number, lastReadId: number): Promise<boolean>;
  /** Returns false when the user was not a member. */
  abstract removeMember(roomId: number, userId: number): Promise<boolean>;
  /** Member ids in the order they joined. */
  abstract memberIds(roomId: number): Promise<number[]>;
  /** Members with their roles and read positions, in the order they joined. */
  abstract membersOf(roomId: number): Promise<RoomMember[]>;
  /** Gives a member another role; false when the user is not a member. */
  abstract setRole(roomId: number, userId: number, role: RoomRole): Promise<boolean>;
  /**
   * Bars the user from the room (by `bannedBy`), removing them if a member, at once; answers
   * whether they were a member. Banning twice keeps the first ban.
   */
  abstract ban(roomId: number, userId: number, bannedBy: number): Promise<boolean>;
  /** Lifts the ban; false when the user was not banned. */
  abstract unban(roomId: number, userId: number): Promise<boolean>;
  abstract isBanned(roomId: number, userId: number): Promise<boolean>;
  /** Ids of the users banned from the room, the latest ban first. */
  abstract bannedIds(roomId: number): Promise<number[]>;
  /** Ids of the rooms the user is a member of. */
  abstract roomIdsOf(userId: number): Promise<number[]>;
  /** The member's read position in the room; null when not a member. */
  abstract readPosition(roomId: number, userId: number): Promise<number | null>;
  /** The user's role and read position in the room; null when not a member. */
  abstract membership(roomId: number, userId: number): Promise<Membership | null>;
  /** The user's roles and read positions in the rooms they are a member of, by room id. */
  abstract readPositions(userId: number): Promise<Membership[]>;
  /** Moves read positions forward (never back); marks of users no longer members are dropped. */
  abstract saveReadMarks(marks: readonly ReadMark[]): Promise<void>;
}
