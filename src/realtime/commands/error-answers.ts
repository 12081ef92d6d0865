import { Logger } from '@nestjs/common';
import { errorPayload } from '../../common/errors/error-body';
import { toAppError } from '../../common/errors/to-app-error';
import type { ErrorPayload } from '../../contract/events';

const logger = new Logger('RealtimeErrors');

/**
 * Any error of a real-time command or handshake as the contract's payload; one that is not the
 * application's is logged and answered as `internal_error`, without its details.
 */
export function errorEventOf(exception: unknown): ErrorPayload {
  return errorPayload(toAppError(exception, logger));
}
