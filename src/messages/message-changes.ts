import { LIMITS } from '../common/limits';
import type { Message, Reaction } from './message';
import type { RoomAccess } from '../rooms/room';
import { mayModerate } from '../rooms/room-policy';

interface ChangeOf<K extends string> {
  kind: K;
  roomId: number;
  messageId: number;
  /** Who makes the change. */
  userId: number;
}

/** A change to a stored message, as a user asks for it. */
export type MessageChange =
  | (ChangeOf<'edit'> & { content: string; mentions: readonly number[] })
  /** A server admin may delete any message of any room, private rooms they are not in too. */
  | (ChangeOf<'delete'> & { serverAdmin?: boolean })
  | (ChangeOf<'react'> & { emoji: string; on: boolean });

/** Why a change was not made; the service turns each into the contract's error. */
export type ChangeRefusal =
  | 'room_not_found'
  | 'not_a_member'
  | 'message_not_found'
  | 'not_message_author'
  | 'forbidden'
  | 'too_many_reactions';

/** The message's fields a change sets; the store gives the changed message its change_id. */
export type ChangedFields = Pick<
  Message,
  'content' | 'editedAt' | 'deleted' | 'reactions' | 'mentions'
>;

export type ChangeDecision =
  | { kind: 'changed'; fields: ChangedFields }
  /** Nothing to change (a repeated reaction or deletion, an edit to the same text). */
  | { kind: 'unchanged' }
  | { kind: 'refused'; refusal: ChangeRefusal };

/** What a change met in the store; `message` is null when the room holds no message of that id. */
export interface ChangeTarget {
  /** The room as the user making the change stands in it; null when it does not exist. */
  room: RoomAccess | null;
  message: Message | null;
}

const UNCHANGED: ChangeDecision = { kind: 'unchanged' };
const refused = (refusal: ChangeRefusal): ChangeDecision => ({ kind: 'refused', refusal });

/**
 * The rules of changing a message, the same for every store: access to the room first (a private
 * room answers outsiders as if it did not exist), then the message, then who may change it.
 * Stores call it where nothing else can change the message in between.
 */
export function decideChange(
  change: MessageChange,
  { room, message }: ChangeTarget,
  now: Date,
): ChangeDecision {
  const serverAdmin = change.kind === 'delete' && change.serverAdmin === true;
  if (!room || (room.isPrivate && !room.isMember && !serverAdmin)) return refused('room_not_found');
  if (change.kind === 'react' && !room.isMember) return refused('not_a_member');
  if (!message) return refused('message_not_found');
  switch (change.kind) {
    case 'edit':
      if (message.deleted) return refused('message_not_found');
      if (message.userId !== change.userId) return refused('not_message_author');
      if (message.content === change.content) return UNCHANGED;
      return changed(message, {
        content: change.content,
        editedAt: now,
        mentions: change.mentions,
      });
    case 'delete':
      if (
        message.userId !== change.userId &&
        !mayModerate({ role: room.role, serverAdmin }, 'delete_message')
      ) {
        return refused('forbidden');
      }
      if (message.deleted) return UNCHANGED;
      return changed(message, { content: '', deleted: true, reactions: [], mentions: [] });
    case 'react':
      if (message.deleted) return refused('message_not_found');
      return react(message, change.userId, change.emoji, change.on);
  }
}

function changed(message: Message, fields: Partial<ChangedFields>): ChangeDecision {
  return {
    kind: 'changed',
    fields: {
      content: fields.content ?? message.content,
      editedAt: fields.editedAt ?? message.editedAt,
      deleted: fields.deleted ?? message.deleted,
      reactions: fields.reactions ?? message.reactions,
      mentions: fields.mentions ?? message.mentions,
    },
  };
}

/** Adds or takes back one user's reaction; an emoji's group keeps its place while it lasts. */
function react(message: Message, userId: number, emoji: string, on: boolean): ChangeDecision {
  const { reactions } = message;
  const index = reactions.findIndex((reaction) => reaction.emoji === emoji);
  const group = index < 0 ? undefined : reactions[index];
  const reacted = group?.userIds.includes(userId) ?? false;
  if (reacted === on) return UNCHANGED;
  if (on) {
    if (!group) {
      if (reactions.length >= LIMITS.reactionsPerMessage) return refused('too_many_reactions');
      return changed(message, { reactions: [...reactions, { emoji, userIds: [userId] }] });
    }
    return changed(message, {
      reactions: replaced(reactions, index, { emoji, userIds: [...group.userIds, userId] }),
    });
  }
  const userIds = group!.userIds.filter((id) => id !== userId);
  return changed(message, {
    reactions: replaced(reactions, index, userIds.length > 0 ? { emoji, userIds } : null),
  });
}

function replaced(
  reactions: readonly Reaction[],
  index: number,
  reaction: Reaction | null,
): Reaction[] {
  const next = [...reactions];
  if (reaction) next[index] = reaction;
  else next.splice(index, 1);
  return next;
}
