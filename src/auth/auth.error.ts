import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';

export class AuthError extends AppError<
  | ErrorCode.Unauthorized
  | ErrorCode.InvalidCredentials
  | ErrorCode.AccountDeactivated
  | ErrorCode.SessionNotFound
> {
  static unauthorized(): AuthError {
    return new AuthError(ErrorCode.Unauthorized, 'a valid access token is required');
  }

  static accountDeactivated(): AuthError {
    return new AuthError(ErrorCode.AccountDeactivated, 'this account has been deactivated');
  }

  /** The token is genuine, but its session was ended (signed out, or by the account's owner). */
  static sessionEnded(): AuthError {
    return new AuthError(ErrorCode.Unauthorized, SESSION_ENDED_MESSAGE);
  }

  static invalidCredentials(): AuthError {
    return new AuthError(ErrorCode.InvalidCredentials, 'invalid username or password');
  }

  static sessionNotFound(id: string): AuthError {
    return new AuthError(ErrorCode.SessionNotFound, `session ${id} does not exist`);
  }
}

/** What clients are told, on every transport, when their session has ended. */
export const SESSION_ENDED_MESSAGE = 'the session has ended; sign in again';
