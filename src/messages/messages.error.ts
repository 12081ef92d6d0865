import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';

export class MessagesError extends AppError<
  ErrorCode.ClientMsgIdConflict | ErrorCode.MessageNotFound
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
}
