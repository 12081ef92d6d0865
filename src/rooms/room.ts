export interface Room {
  id: number;
  name: string;
  description: string;
  isPrivate: boolean;
  /** null for rooms the server made itself, such as `general`. */
  createdBy: number | null;
  createdAt: Date;
  memberCount: number;
}

/** What a user may do with a room: whether it is private, whether they are a member, its owner. */
export interface RoomAccess {
  isPrivate: boolean;
  isMember: boolean;
  /** null for rooms the server made. */
  ownerId: number | null;
}

export interface NewRoom {
  name: string;
  description: string;
  isPrivate: boolean;
  /** Its owner and first member; null for a room the server makes, which starts empty. */
  createdBy: number | null;
}

/** The room every fresh store holds, so a new user has somewhere to talk. */
export const DEFAULT_ROOM = { name: 'general', description: 'A room for everyone' } as const;
