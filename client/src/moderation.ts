import type { Room, RoomRole, User } from '../../src/contract/objects';

/** A member of a room, as `GET /api/rooms/:id/members` lists them (v2 adds the room role). */
export type Member = User & { room_role?: RoomRole | null };

/** The viewer: v2 accounts carry their server role (`admin` or `user`). */
export type Viewer = Pick<User, 'id'> & Partial<Pick<User, 'role'>>;

/** What the viewer may do to one member, in the room settings. */
export interface MemberRights {
  /** The role the owner may give them instead of the one they have; null: no change offered. */
  makeRole: 'admin' | 'member' | null;
  remove: boolean;
  ban: boolean;
}

export function isServerAdmin(viewer: Viewer): boolean {
  return viewer.role === 'admin';
}

/**
 * The viewer's say in a room: their room role, a server admin having an owner's in every channel
 * (the default rooms have no owner: server admins moderate them).
 */
function rank(room: Pick<Room, 'role'>, viewer: Viewer): RoomRole | null {
  if (isServerAdmin(viewer)) return 'owner';
  return room.role === 'owner' || room.role === 'admin' ? room.role : null;
}

/** Moderators (room owner or admin, server admin) delete others' messages. */
export function moderates(room: Pick<Room, 'role'>, viewer: Viewer): boolean {
  return rank(room, viewer) !== null;
}

/**
 * The room settings (its name, description and people) are for the channel's owner and admins,
 * and for server admins.
 */
export function canManage(room: Pick<Room, 'role' | 'kind'>, viewer: Viewer): boolean {
  return room.kind !== 'direct' && moderates(room, viewer);
}

/** Deleting the room: its owner, or a server admin. */
export function canDeleteRoom(room: Pick<Room, 'role' | 'kind'>, viewer: Viewer): boolean {
  return room.kind !== 'direct' && rank(room, viewer) === 'owner';
}

/**
 * What the viewer may do to `member`: the owner (or a server admin) makes members admins and back,
 * and removes and bans anyone but the owner; admins remove and ban plain members only. Nobody acts
 * on themselves here.
 */
export function memberRights(
  room: Pick<Room, 'role'>,
  viewer: Viewer,
  member: Pick<Member, 'id' | 'room_role'>,
): MemberRights {
  const actor = rank(room, viewer);
  const target = member.room_role ?? 'member';
  if (actor === null || member.id === viewer.id || target === 'owner') {
    return { makeRole: null, remove: false, ban: false };
  }
  const over = actor === 'owner' || target === 'member';
  return {
    makeRole: actor === 'owner' ? (target === 'admin' ? 'member' : 'admin') : null,
    remove: over,
    ban: over,
  };
}

const ROLE_WORDS: Record<RoomRole, string> = { owner: 'Owner', admin: 'Admin', member: '' };

/** The word shown beside a member's name for their room role (none for plain members). */
export function roleWord(role: RoomRole | null | undefined): string {
  return role ? ROLE_WORDS[role] : '';
}
