import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';

export class UsersError extends AppError<
  ErrorCode.UsernameTaken | ErrorCode.UserNotFound | ErrorCode.Unauthorized
> {
  static usernameTaken(username: string): UsersError {
    return new UsersError(ErrorCode.UsernameTaken, `username "${username}" is already taken`);
  }

  static notFound(username: string): UsersError {
    return new UsersError(ErrorCode.UserNotFound, `user "${username}" does not exist`);
  }

  static notFoundById(id: number): UsersError {
    return new UsersError(ErrorCode.UserNotFound, `user ${id} does not exist`);
  }

  /** The caller's token is valid, but its account is gone: answered as any unusable token. */
  static accountGone(): UsersError {
    return new UsersError(ErrorCode.Unauthorized, 'a valid access token is required');
  }
}
