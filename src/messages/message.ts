export interface Message {
  id: number;
  roomId: number;
  userId: number;
  username: string;
  content: string;
  createdAt: Date;
  clientMsgId: string | null;
}

export interface NewMessage {
  roomId: number;
  userId: number;
  /** The sender's name, carried along so the stored message can be answered without a lookup. */
  username: string;
  content: string;
  clientMsgId: string | null;
}

/** A page of a room's history. Without before/after: the newest `limit`. */
export interface HistoryPage {
  limit: number;
  /** Only messages with a smaller id. */
  before?: number;
  /** Only messages with a greater id, the oldest `limit` of them. */
  after?: number;
}
