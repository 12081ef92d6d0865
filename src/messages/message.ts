/** The reactions of one emoji to a message. */
export interface Reaction {
  readonly emoji: string;
  /** In the order they reacted; never empty. */
  readonly userIds: readonly number[];
}

/** A stored message; stores may hand out the very object they keep, so it is never changed. */
export interface Message {
  readonly id: number;
  readonly roomId: number;
  readonly userId: number;
  readonly username: string;
  /** Empty once deleted. */
  readonly content: string;
  readonly createdAt: Date;
  readonly clientMsgId: string | null;
  /** The message of the same room this one answers. */
  readonly replyTo: number | null;
  /** The latest edit; null until edited. */
  readonly editedAt: Date | null;
  /** A tombstone: it keeps its id and place, so paging never skips it. */
  readonly deleted: boolean;
  /** In order of first use; an emoji leaves the list when its last reaction goes. */
  readonly reactions: readonly Reaction[];
  /** The room's change counter at this message's latest change (its send, edit, deletion or reaction). */
  readonly changeId: number;
  /** The users it names who could read the room when it was sent or last edited; none once deleted. */
  readonly mentions: readonly number[];
}

/** The mentions of a message that names nobody, shared by all of them. */
export const NO_MENTIONS: readonly number[] = Object.freeze([]);

/** The reactions of a message nobody reacted to, shared by all of them. */
export const NO_REACTIONS: readonly Reaction[] = Object.freeze([]);

export interface NewMessage {
  roomId: number;
  userId: number;
  /** The sender's name, carried along so the stored message can be answered without a lookup. */
  username: string;
  content: string;
  clientMsgId: string | null;
  /** A message of the same room (checked before the send is stored). */
  replyTo: number | null;
  /** The users it names who can read the room (resolved before the send is stored). */
  mentions: readonly number[];
}

/** A page of a room's history. Without before/after: the newest `limit`. */
export interface HistoryPage {
  limit: number;
  /** Only messages with a smaller id. */
  before?: number;
  /** Only messages with a greater id, the oldest `limit` of them. */
  after?: number;
}
