import type { Message, Reaction, Room } from '../../src/contract/objects';
import { moderates, type Viewer } from './moderation';

/**
 * The rules of changing messages, as the client applies them: who may edit or delete what, which
 * copy of a message is the newer, and how reactions read. State only, no page and no network.
 */

/** A message's latest change; 0 from a server that does not number changes. */
export function changeOf(message: Message): number {
  return typeof message.change_id === 'number' ? message.change_id : 0;
}

/**
 * Whether `candidate` is a later state of the message than `known`: a higher change_id, or the
 * deletion of the same state (a tombstone made here after a delete answered without a body).
 */
export function isNewer(candidate: Message, known: Message): boolean {
  const a = changeOf(candidate);
  const b = changeOf(known);
  return a > b || (a === b && candidate.deleted === true && known.deleted !== true);
}

/** Only the author edits a message, and not once it is deleted. */
export function canEdit(message: Message, meId: number): boolean {
  return message.user_id === meId && !message.deleted;
}

/** The author deletes a message, and so do moderators: the room's owner and admins, server admins. */
export function canDelete(message: Message, viewer: Viewer, room: Pick<Room, 'role'>): boolean {
  return !message.deleted && (message.user_id === viewer.id || moderates(room, viewer));
}

/** The user's newest message that can still be edited (what the Up arrow edits), if any. */
export function lastEditable(messages: readonly Message[], meId: number): Message | undefined {
  for (let index = messages.length - 1; index >= 0; index -= 1) {
    if (canEdit(messages[index], meId)) return messages[index];
  }
  return undefined;
}

/** What a deleted message becomes, as the server answers it: same id and place, nothing said. */
export function tombstone(message: Message): Message {
  return { ...message, content: '', reactions: [], deleted: true };
}

/** Whether the user is among those who reacted with this emoji. */
export function reactedByMe(reaction: Reaction, meId: number): boolean {
  return reaction.user_ids.includes(meId);
}

/**
 * Who reacted, for a tooltip: "You, alice and bob"; users whose name is not known here are
 * counted ("alice and 2 others").
 */
export function reactorNames(
  reaction: Reaction,
  meId: number,
  names: ReadonlyMap<number, string>,
): string {
  const known: string[] = [];
  let unknown = Math.max(0, reaction.count - reaction.user_ids.length);
  for (const id of reaction.user_ids) {
    const name = id === meId ? 'You' : names.get(id);
    if (name === undefined) unknown += 1;
    else known.push(name);
  }
  // "You" first, as people look for themselves.
  known.sort((a, b) => Number(b === 'You') - Number(a === 'You'));
  if (unknown > 0) {
    known.push(
      known.length === 0 ? plural(unknown) : `${unknown} other${unknown === 1 ? '' : 's'}`,
    );
  }
  if (known.length <= 1) return known[0] ?? '';
  return `${known.slice(0, -1).join(', ')} and ${known[known.length - 1]}`;
}

function plural(count: number): string {
  return count === 1 ? '1 person' : `${count} people`;
}
