import type { Message } from '../../src/contract/objects';

/** The most names the completion list offers at once. */
export const MAX_SUGGESTIONS = 8;

/** The characters of a username (LIMITS.username.pattern), one at a time. */
const NAME_CHAR = /[A-Za-z0-9_.-]/;

/** An `@name` being typed: where its `@` is and what follows it up to the caret. */
export interface MentionQuery {
  /** The index of the `@`. */
  start: number;
  /** What was typed after the `@` (possibly nothing). */
  prefix: string;
}

/**
 * The `@name` the caret is at the end of, if any: an `@` at the start of the text or after a
 * space or an opening bracket, followed by username characters only up to the caret. An address
 * (`ada@example.com`) is not one.
 */
export function mentionAt(text: string, caret: number): MentionQuery | null {
  let index = caret;
  while (index > 0 && NAME_CHAR.test(text.charAt(index - 1))) index -= 1;
  const at = index - 1;
  if (at < 0 || text.charAt(at) !== '@') return null;
  const before = at === 0 ? '' : text.charAt(at - 1);
  if (before !== '' && !/[\s([{"'“‘]/.test(before)) return null;
  return { start: at, prefix: text.slice(index, caret) };
}

/**
 * The usernames to offer for `prefix`: those starting with it (any letter case) first, then those
 * containing it, each group by name; the viewer is left out (one does not mention oneself).
 */
export function suggestions(
  usernames: readonly string[],
  prefix: string,
  me: string,
  limit = MAX_SUGGESTIONS,
): string[] {
  const wanted = prefix.toLowerCase();
  const unique = [...new Set(usernames)].filter((name) => name.toLowerCase() !== me.toLowerCase());
  const byName = (a: string, b: string) => a.localeCompare(b);
  const starts = unique.filter((name) => name.toLowerCase().startsWith(wanted)).sort(byName);
  const contains = wanted
    ? unique
        .filter((name) => !name.toLowerCase().startsWith(wanted))
        .filter((name) => name.toLowerCase().includes(wanted))
        .sort(byName)
    : [];
  return [...starts, ...contains].slice(0, limit);
}

/** The text with the `@prefix` at `query` replaced by `@username `, and where the caret goes. */
export function complete(
  text: string,
  query: MentionQuery,
  caret: number,
  username: string,
): { text: string; caret: number } {
  const after = text.slice(caret);
  const inserted = `@${username}${after.startsWith(' ') ? '' : ' '}`;
  const next = text.slice(0, query.start) + inserted + after;
  return { text: next, caret: query.start + inserted.length + (after.startsWith(' ') ? 1 : 0) };
}

/** Whether a message names the viewer (`mentions`, as the server found them). */
export function mentionsMe(message: Pick<Message, 'mentions'>, meId: number): boolean {
  return Array.isArray(message.mentions) && message.mentions.includes(meId);
}

/**
 * The state of the completion list under the composer: what it offers for the `@name` being
 * typed, and which option is active (moved with the arrow keys). No page here: the view draws it.
 */
export class MentionMenu {
  query: MentionQuery | null = null;
  options: string[] = [];
  active = 0;

  get open(): boolean {
    return this.query !== null && this.options.length > 0;
  }

  /**
   * The composer's text or caret changed: offers the names for the `@name` at the caret, or
   * closes. The active option stays on the same name while it is still offered.
   */
  update(text: string, caret: number, usernames: readonly string[], me: string): void {
    const query = mentionAt(text, caret);
    const previous = this.options[this.active];
    this.query = query;
    this.options = query ? suggestions(usernames, query.prefix, me) : [];
    const kept = previous === undefined ? -1 : this.options.indexOf(previous);
    this.active = kept >= 0 ? kept : 0;
  }

  /** Moves the active option down (1) or up (-1), wrapping around. */
  move(step: 1 | -1): void {
    if (!this.open) return;
    const count = this.options.length;
    this.active = (this.active + step + count) % count;
  }

  /** The name the active option offers, if the list is open. */
  chosen(): string | null {
    return this.open ? (this.options[this.active] ?? null) : null;
  }

  close(): void {
    this.query = null;
    this.options = [];
    this.active = 0;
  }
}
