import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';

export class MessagesError extends AppError<ErrorCode.ClientMsgIdConflict> {
  static clientMsgIdConflict(clientMsgId: string, roomId: number): MessagesError {
    return new MessagesError(
      ErrorCode.ClientMsgIdConflict,
      `client_msg_id "${clientMsgId}" was already used for a message to room ${roomId}`,
    );
  }
}
