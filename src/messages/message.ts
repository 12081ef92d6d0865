/** A stored message; stores may hand out the very object they keep, so it is never changed. */
export interface Message {
  readonly id: number;
  readonly roomId: number;
  readonly userId: number;
  readonly username: string;
  readonly content: string;
  readonly createdAt: Date;
  readonly clientMsgId: string | null;
  /** The message of the same room this one answers. */
  readonly replyTo: number | null;
}

export interface NewMessage {
  roomId: number;
  userId: number;
  /** The sender's name, carried along so the stored message can be answered without a lookup. */
  username: string;
  content: string;
  clientMsgId: string | null;
  /** A message of the same room (checked before the send is stored). */
  replyTo: number | null;
}

/** A page of a room's history. Without before/after: the newest `limit`. */
export interface HistoryPage {
  limit: number;
  /** Only messages with a smaller id. */
  before?: number;
  /** Only messages with a greater id, the oldest `limit` of them. */
  after?: number;
}
