import { NO_MENTIONS, NO_REACTIONS, type Message, type Reaction } from './message';

/** A message as the PostgreSQL store selects it (MESSAGE_COLUMNS). */
export interface MessageRow {
  /** bigint, read as a string by pg. */
  id: string;
  room_id: number;
  user_id: number;
  username: string;
  content: string;
  created_at: Date;
  client_msg_id: string | null;
  /** bigint, read as a string by pg. */
  reply_to: string | null;
  edited_at: Date | null;
  deleted: boolean;
  /** bigint, read as a string by pg. */
  change_id: string;
  /** [emoji, user_id] in order of the emoji's place, then of reacting; null without any. */
  reactions: ReactionRow[] | null;
  mentions: number[];
}

export type ReactionRow = [emoji: string, userId: number];

/** The columns of a MessageRow, from `messages m JOIN users u ON u.id = m.user_id`. */
export const MESSAGE_COLUMNS = `m.id, m.room_id, m.user_id, u.username, m.content, m.created_at,
  m.client_msg_id, m.reply_to, m.edited_at, m.deleted, m.change_id, m.mentions,
  (SELECT json_agg(json_build_array(r.emoji, r.user_id) ORDER BY r.position, r.seq)
     FROM message_reactions r WHERE r.message_id = m.id) AS reactions`;

export function toMessage(row: MessageRow): Message {
  return {
    id: Number(row.id),
    roomId: row.room_id,
    userId: row.user_id,
    username: row.username,
    content: row.content,
    createdAt: row.created_at,
    clientMsgId: row.client_msg_id,
    replyTo: row.reply_to === null ? null : Number(row.reply_to),
    editedAt: row.edited_at,
    deleted: row.deleted,
    reactions: row.reactions === null ? NO_REACTIONS : reactionsOf(row.reactions),
    changeId: Number(row.change_id),
    mentions: row.mentions.length === 0 ? NO_MENTIONS : row.mentions,
  };
}

/** Groups reaction rows, which come grouped by emoji in the emoji's order. */
function reactionsOf(rows: readonly ReactionRow[]): Reaction[] {
  const reactions: { emoji: string; userIds: number[] }[] = [];
  for (const [emoji, userId] of rows) {
    const last = reactions[reactions.length - 1];
    if (last?.emoji === emoji) last.userIds.push(userId);
    else reactions.push({ emoji, userIds: [userId] });
  }
  return reactions;
}
