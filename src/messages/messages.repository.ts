import { RoomActivity } from '../rooms/room-activity';
import type { HistoryPage, Message, NewMessage } from './message';
import type { ChangeRefusal, MessageChange } from './message-changes';
import type { SearchQuery } from './message-search';

export interface StoredMessage {
  message: Message;
  /** False when the sender's client_msg_id was seen before and the earlier message is answered. */
  created: boolean;
}

/** What a change came to: the message as it now is, or why nothing was changed. */
export type ChangeResult =
  { kind: 'changed' | 'unchanged'; message: Message } | { kind: 'refused'; refusal: ChangeRefusal };

/** A search of some rooms' messages (see message-search.ts for the rule). */
export interface MessageSearch {
  /** The rooms searched; none finds nothing. */
  roomIds: readonly number[];
  query: SearchQuery;
  /** Only messages with a smaller id (paging back). */
  before?: number;
  limit: number;
}

/**
 * Port of the message store. Within a room, ids follow commit order, so a reader paging with
 * `after` never skips a message; (user, client_msg_id) is unique, so a resent message is stored
 * once. Every change to a room's messages (a send, an edit, a deletion, a reaction) takes the next
 * change_id, in commit order too, so a reader paging with `changedAfter` never skips a change.
 */
export abstract class MessagesRepository extends RoomActivity {
  /**
   * Stores the message if its sender is a member of the room; the store checks membership as it
   * writes, so a send needs no access query of its own. A repeated (user, client_msg_id) answers
   * the stored message, whatever room either names. Null when nothing was stored because the room
   * does not exist or the sender is not a member: the caller tells which.
   */
  abstract create(message: NewMessage): Promise<StoredMessage | null>;
  /**
   * Applies the change by the rules of `decideChange`, which it calls where no other change to
   * the room can come in between; a change that changes something takes the next change_id.
   */
  abstract change(change: MessageChange): Promise<ChangeResult>;
  /** The message a user sent with this client_msg_id, if any. */
  abstract findByClientMsgId(userId: number, clientMsgId: string): Promise<Message | null>;
  /** The message of this id if it is in this room. */
  abstract findInRoom(roomId: number, id: number): Promise<Message | null>;
  /** Oldest first. */
  abstract list(roomId: number, page: HistoryPage): Promise<Message[]>;
  /** The oldest `limit` messages whose change_id is greater than `changedAfter`, in change order. */
  abstract listChanged(roomId: number, changedAfter: number, limit: number): Promise<Message[]>;
  /**
   * The newest `limit` messages of the rooms that match the query, newest first (by id); never a
   * deleted one.
   */
  abstract search(search: MessageSearch): Promise<Message[]>;
}
