import { ErrorCode } from '../../src/common/errors/error-code';
import { ApiError } from './errors';

/** What to tell the user about a failed request. */
export function errorText(error: unknown): string {
  if (!(error instanceof ApiError)) return 'Something went wrong. Please try again.';
  const { code } = error;
  if (code === 'network_error') return 'The server cannot be reached. Check your connection.';
  if (code === ErrorCode.RoomNameTaken) return 'A room with this name exists already.';
  if (code === ErrorCode.NotRoomOwner) return 'Only the owner of the room can invite people.';
  if (code === ErrorCode.RateLimited) {
    return `Slow down a little: try again in ${Math.ceil((error.retryAfterMs ?? 1000) / 1000)} s.`;
  }
  if (code === ErrorCode.StorageUnavailable) {
    return 'The server cannot store messages right now. Try again shortly.';
  }
  // Codes of the message changes, compared as text: older servers do not know them.
  const text = String(code);
  if (text === 'not_message_author') return 'Only the author of a message can edit it.';
  if (text === 'forbidden') return 'You are not allowed to do that.';
  if (text === 'banned') return 'You are banned from this room.';
  if (code === ErrorCode.MessageNotFound) return 'This message does not exist any more.';
  return error.message;
}
