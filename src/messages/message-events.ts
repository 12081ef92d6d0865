import type { MessageResponse } from './dto/message.dto';

/** Where the send path publishes a newly stored message; the real-time module delivers it. */
export abstract class MessageEvents {
  abstract messageCreated(message: MessageResponse): void;
}
