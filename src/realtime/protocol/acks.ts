import type { MessageResponse } from '../../messages/dto/message.dto';
import type { RoomResponse } from '../../rooms/dto/room.dto';
import type { ErrorEvent } from './events';

/**
 * The answer to a client's command: the Socket.IO acknowledgement, and the fields of the raw
 * WebSocket's `{type: 'ack', request_id}` frame.
 */
export type Ack<T extends object = object> = ({ ok: true } & T) | FailedAck;
export interface FailedAck {
  ok: false;
  error: ErrorEvent;
}
export type RoomAck = Ack<{ room: RoomResponse }>;
export type MessageAck = Ack<{ message: MessageResponse }>;
export type MessagesAck = Ack<{ messages: MessageResponse[] }>;
