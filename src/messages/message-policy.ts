import type { RoomAccess } from '../rooms/room';

/**
 * Who moderates a room's messages: the one place that says so. Until rooms have roles and the
 * server has admins, a room's owner is its only moderator.
 */
export function moderates(userId: number, room: RoomAccess): boolean {
  return room.ownerId === userId;
}
