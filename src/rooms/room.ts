/** A channel (public or private, with an owner), or the direct room of two users. */
export type RoomKind = 'channel' | 'direct';

/**
 * A member's standing in a channel: its owner (one, its creator), the admins the owner names, and
 * the other members. Both users of a direct room are members.
 */
export type RoomRole = 'owner' | 'admin' | 'member';

export interface Room {
  id: number;
  /** A channel's name; empty for a direct room, which each of its users sees named for the other. */
  name: string;
  description: string;
  isPrivate: boolean;
  kind: RoomKind;
  /** A direct room's users, lower id first (one user for notes to oneself); empty for channels. */
  directUserIds: readonly number[];
  /** null for rooms the server made itself, such as `general`, and for direct rooms. */
  createdBy: number | null;
  createdAt: Date;
  memberCount: number;
}

/** What a user may do with a room: whether it is private, whether they are a member, their role. */
export interface RoomAccess {
  isPrivate: boolean;
  isMember: boolean;
  /** The user's role in the room; null when not a member. */
  role: RoomRole | null;
  kind: RoomKind;
}

/** What an owner or admin may change of a channel; what is left out stays. */
export interface RoomChanges {
  name?: string;
  description?: string;
}

/** A member, their role and read position. */
export interface RoomMember {
  userId: number;
  role: RoomRole;
  lastReadId: number;
}

export interface NewRoom {
  name: string;
  description: string;
  isPrivate: boolean;
  /** Its owner and first member; null for a room the server makes, which starts empty. */
  createdBy: number | null;
}

/** A member's place in a room: the newest message they have read (0 for none). */
export interface ReadPosition {
  roomId: number;
  lastReadId: number;
}

/** A member's role and read position in one of their rooms. */
export interface Membership extends ReadPosition {
  role: RoomRole;
}

/** A read position to store: it only ever moves forward. */
export interface ReadMark extends ReadPosition {
  userId: number;
}

/** The one room of two users, or of one user with themself; a pair is unordered. */
export function directPair(userId: number, otherId: number): readonly number[] {
  if (userId === otherId) return [userId];
  return userId < otherId ? [userId, otherId] : [otherId, userId];
}

/** The room every fresh store holds, so a new user has somewhere to talk. */
export const DEFAULT_ROOM = { name: 'general', description: 'A room for everyone' } as const;
