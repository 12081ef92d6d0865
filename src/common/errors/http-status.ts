import { HttpStatus } from '@nestjs/common';
import { ErrorCode } from './error-code';

export function httpStatusFor(code: ErrorCode): HttpStatus {
  switch (code) {
    case ErrorCode.ValidationFailed:
      return HttpStatus.BAD_REQUEST;
    case ErrorCode.Unauthorized:
    case ErrorCode.InvalidCredentials:
    case ErrorCode.AccountDeactivated:
      return HttpStatus.UNAUTHORIZED;
    case ErrorCode.NotAMember:
    case ErrorCode.NotRoomOwner:
    case ErrorCode.NotMessageAuthor:
    case ErrorCode.Forbidden:
    case ErrorCode.Banned:
      return HttpStatus.FORBIDDEN;
    case ErrorCode.RoomNotFound:
    case ErrorCode.UserNotFound:
    case ErrorCode.MessageNotFound:
    case ErrorCode.SessionNotFound:
    case ErrorCode.NotFound:
      return HttpStatus.NOT_FOUND;
    case ErrorCode.UsernameTaken:
    case ErrorCode.RoomNameTaken:
    case ErrorCode.ClientMsgIdConflict:
      return HttpStatus.CONFLICT;
    case ErrorCode.PayloadTooLarge:
      return HttpStatus.PAYLOAD_TOO_LARGE;
    case ErrorCode.RateLimited:
      return HttpStatus.TOO_MANY_REQUESTS;
    case ErrorCode.StorageUnavailable:
    case ErrorCode.ServerShuttingDown:
      return HttpStatus.SERVICE_UNAVAILABLE;
    case ErrorCode.InternalError:
      return HttpStatus.INTERNAL_SERVER_ERROR;
  }
}
