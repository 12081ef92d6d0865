import type { PresenceEvent } from '../../src/contract/events';
import type { Room, User } from '../../src/contract/objects';
import { displayName } from './names';

/** The most people the picker lists at once. */
export const MAX_PICKED = 50;

export function isDirect(room: Pick<Room, 'kind'>): boolean {
  return room.kind === 'direct';
}

/**
 * The people the picker offers for `query`: those whose username or display name contains it (any
 * letter case), those whose username starts with it first, each group by username, at most
 * `limit`; the viewer is left out. `total` tells how many match in all.
 */
export function pickUsers<T extends User>(
  users: readonly T[],
  query: string,
  meId: number,
  limit = MAX_PICKED,
): { users: T[]; total: number } {
  const wanted = query.trim().toLowerCase();
  const others = users.filter((user) => user.id !== meId);
  const matching = others.filter(
    (user) =>
      user.username.toLowerCase().includes(wanted) ||
      displayName(user).toLowerCase().includes(wanted),
  );
  const rank = (user: T) => (user.username.toLowerCase().startsWith(wanted) ? 0 : 1);
  matching.sort((a, b) => rank(a) - rank(b) || a.username.localeCompare(b.username));
  return { users: matching.slice(0, limit), total: matching.length };
}

/**
 * Who is online, by username (a direct room is named after the other person): from the user list,
 * then from `presence` events. Unknown people count as offline.
 */
export class Presence {
  private readonly online = new Map<string, boolean>();
  /** Bumped on every change, so that a view drawn from it knows to redraw. */
  version = 0;

  /** The server's user list (or a room's members): each one's state as it says. */
  set(users: readonly Pick<User, 'username' | 'online'>[]): void {
    for (const user of users) this.put(user.username, user.online);
  }

  update(event: PresenceEvent): void {
    this.put(event.username, event.online);
  }

  isOnline(username: string): boolean {
    return this.online.get(username.toLowerCase()) ?? false;
  }

  private put(username: string, online: boolean): void {
    const key = username.toLowerCase();
    if (this.online.get(key) === online) return;
    this.online.set(key, online);
    this.version += 1;
  }
}
