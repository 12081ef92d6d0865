import { ErrorCode } from './error-code';

export interface FieldError {
  field: string;
  message: string;
}

/** Base of every feature's error: a contract code and a message safe to show to clients. */
export abstract class AppError<C extends ErrorCode = ErrorCode> extends Error {
  constructor(
    readonly code: C,
    message: string,
    readonly details?: FieldError[],
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Problems with the request itself rather than with a feature's rules. */
export class RequestError extends AppError<
  | ErrorCode.ValidationFailed
  | ErrorCode.RateLimited
  | ErrorCode.PayloadTooLarge
  | ErrorCode.NotFound
> {
  static validation(details: FieldError[]): RequestError {
    const summary = details.map((detail) => `${detail.field}: ${detail.message}`).join('; ');
    return new RequestError(ErrorCode.ValidationFailed, `invalid request: ${summary}`, details);
  }

  static rateLimited(retryAfterMs: number): RequestError {
    return new RequestError(
      ErrorCode.RateLimited,
      `too many requests; retry in ${Math.ceil(retryAfterMs / 1000)} s`,
      undefined,
      retryAfterMs,
    );
  }
}

/** The store could not be reached; the request may succeed later. */
export class StorageUnavailableError extends AppError<ErrorCode.StorageUnavailable> {
  constructor() {
    super(ErrorCode.StorageUnavailable, 'storage is unavailable, try again shortly');
  }
}

/** Anything unexpected; details go to the log, never to the client. */
export class ServerError extends AppError<ErrorCode.InternalError> {
  constructor() {
    super(ErrorCode.InternalError, 'internal error');
  }
}
