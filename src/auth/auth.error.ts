import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';

export class AuthError extends AppError<
  ErrorCode.Unauthorized | ErrorCode.InvalidCredentials | ErrorCode.AccountDeactivated
> {
  static unauthorized(): AuthError {
    return new AuthError(ErrorCode.Unauthorized, 'a valid access token is required');
  }

  static accountDeactivated(): AuthError {
    return new AuthError(ErrorCode.AccountDeactivated, 'this account has been deactivated');
  }

  static invalidCredentials(): AuthError {
    return new AuthError(ErrorCode.InvalidCredentials, 'invalid username or password');
  }
}
