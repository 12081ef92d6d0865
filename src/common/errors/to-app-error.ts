import type { Logger } from '@nestjs/common';
import { isStorageUnavailable } from './storage-errors';
import { AppError, ServerError, StorageUnavailableError } from './app-error';
import type { ErrorCode } from './error-code';

/** Any thrown value as a contract error; what is not one of ours is logged and hidden. */
export function toAppError(exception: unknown, logger: Logger): AppError {
  if (exception instanceof AppError) return exception as AppError<ErrorCode>;
  if (isStorageUnavailable(exception)) {
    logger.warn(`storage unavailable: ${(exception as Error).message}`);
    return new StorageUnavailableError();
  }
  logger.error(exception instanceof Error ? exception.stack : String(exception));
  return new ServerError();
}
