import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';

export class AuthError extends AppError<ErrorCode.Unauthorized | ErrorCode.InvalidCredentials> {
  static unauthorized(): AuthError {
    return new AuthError(ErrorCode.Unauthorized, 'a valid access token is required');
  }

  static invalidCredentials(): AuthError {
    return new AuthError(ErrorCode.InvalidCredentials, 'invalid username or password');
  }
}
