import type { RoomRole } from './room';

/** What an owner or admin may do to a channel or its people. */
export type RoomModeration =
  | 'update_room'
  | 'delete_room'
  | 'set_role'
  | 'remove_member'
  | 'ban'
  | 'unban'
  | 'list_bans'
  /** Someone else's message. */
  | 'delete_message';

/** The one who acts: their role in the room (null when not a member), and whether they run the server. */
export interface Moderator {
  role: RoomRole | null;
  serverAdmin: boolean;
}

/** Who may take each action, by role. */
const ALLOWED: Record<RoomModeration, readonly RoomRole[]> = {
  update_room: ['owner', 'admin'],
  delete_room: ['owner'],
  set_role: ['owner'],
  remove_member: ['owner', 'admin'],
  ban: ['owner', 'admin'],
  unban: ['owner', 'admin'],
  list_bans: ['owner', 'admin'],
  delete_message: ['owner', 'admin'],
};

/**
 * Who may moderate a channel: the one place that says so. A server admin acts with an owner's
 * authority in every channel (the default rooms have no owner: server admins moderate them).
 * Acting on a person (`target`: their role, null when not a member) also needs rank: nobody acts
 * on the owner, and only the owner on an admin.
 */
export function mayModerate(
  moderator: Moderator,
  action: RoomModeration,
  target?: RoomRole | null,
): boolean {
  const role = moderator.serverAdmin ? 'owner' : moderator.role;
  if (role === null || !ALLOWED[action].includes(role)) return false;
  if (target === 'owner') return false;
  return target !== 'admin' || role === 'owner';
}
