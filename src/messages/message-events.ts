import type { MessageResponse } from './dto/message.dto';

/** Where the message paths publish what they stored; the real-time module delivers it. */
export abstract class MessageEvents {
  abstract messageCreated(message: MessageResponse): void;
  /** An edit, a deletion (the tombstone) or a reaction. */
  abstract messageUpdated(message: MessageResponse): void;
  /** To the users a message names, on all their connections, whatever room they look at. */
  abstract mentioned(userIds: readonly number[], message: MessageResponse): void;
}
