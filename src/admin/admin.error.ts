import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';

export class AdminError extends AppError<ErrorCode.Forbidden> {
  static notAdmin(): AdminError {
    return new AdminError(ErrorCode.Forbidden, 'only a server admin may do this');
  }

  /** An admin locking themself out could leave the server with no admin. */
  static ownAccount(): AdminError {
    return new AdminError(ErrorCode.Forbidden, 'you cannot deactivate your own account');
  }
}
