import type { ErrorCode } from '../../src/common/errors/error-code';

/** Failures with no error answer of the server: it could not be reached, or sent no error body. */
export type ClientErrorCode = 'network_error' | 'http_error';

/** An error answer of the API or of an acknowledgement, or a failure to get one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | ClientErrorCode,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** Thrown by `Realtime.request` when there is no connection to send on. */
export class NotConnectedError extends Error {
  constructor() {
    super('not connected');
  }
}
