import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';

export class MessagesError extends AppError<
  | ErrorCode.ClientMsgIdConflict
  | ErrorCode.MessageNotFound
  | ErrorCode.NotMessageAuthor
  | ErrorCode.Forbidden
> {
  static clientMsgIdConflict(clientMsgId: string, roomId: number): MessagesError {
    return new MessagesError(
      ErrorCode.ClientMsgIdConflict,
      `client_msg_id "${clientMsgId}" was already used for a message to room ${roomId}`,
    );
  }

  static notFound(messageId: number, roomId: number): MessagesError {
    return new MessagesError(
      ErrorCode.MessageNotFound,
      `message ${messageId} does not exist in room ${roomId}`,
    );
  }

  static notAuthor(messageId: number): MessagesError {
    return new MessagesError(
      ErrorCode.NotMessageAuthor,
      `only the author of message ${messageId} can edit it`,
    );
  }

  static mayNotDelete(messageId: number): MessagesError {
    return new MessagesError(
      ErrorCode.Forbidden,
      `message ${messageId} can be deleted by its author or a moderator of its room only`,
    );
  }
}
