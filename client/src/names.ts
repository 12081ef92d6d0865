import type { User } from '../../src/contract/objects';

/**
 * Someone as the server describes them: the username is the handle (mentions, direct messages),
 * the display name what people read. Read defensively: an empty or missing one falls back to the username.
 */
export type Person = Pick<User, 'id' | 'username'> & { display_name?: string | null };

/** What to call someone on screen: their display name, or their username when they have none. */
export function displayName(person: Pick<Person, 'username' | 'display_name'>): string {
  const name = typeof person.display_name === 'string' ? person.display_name.trim() : '';
  return name || person.username;
}

/**
 * The display names the client knows, by user id: from the user list and member lists, then
 * from `user_updated` events. Unknown people are called by their username.
 */
export class Names {
  private readonly names = new Map<number, string>();
  /** Bumped on every change, so that a view drawn from it knows to redraw. */
  version = 0;

  set(people: readonly Person[]): void {
    for (const person of people) this.update(person);
  }

  /** Takes one person's current name; returns whether it changed. */
  update(person: Person): boolean {
    const name = displayName(person);
    if (this.names.get(person.id) === name) return false;
    this.names.set(person.id, name);
    this.version += 1;
    return true;
  }

  /** The display name of user `id`, or `username` while it is not known. */
  of(id: number, username: string): string {
    return this.names.get(id) ?? username;
  }
}
