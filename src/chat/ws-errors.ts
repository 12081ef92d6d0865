import { ArgumentsHost, Catch, ExceptionFilter, Injectable, Logger } from '@nestjs/common';
import type { Socket } from 'socket.io';
import { errorPayload } from '../common/errors/error-body';
import { toAppError } from '../common/errors/to-app-error';
import { Metrics } from '../metrics/metrics';
import type { ErrorEvent } from './chat-events';

const logger = new Logger('WsExceptionFilter');

/** Any error in a real-time handler as the contract's payload: through the ack when given. */
export function errorEventOf(exception: unknown): ErrorEvent {
  return errorPayload(toAppError(exception, logger));
}

/**
 * Answers a failed Socket.IO event with `{ok: false, error}` through its acknowledgement, or with an
 * `error` event when the client sent none. The connection stays up.
 */
export function answerFailure(
  exception: unknown,
  socket: Socket,
  ack: ((answer: unknown) => void) | undefined,
  metrics: Metrics,
): void {
  const error = errorEventOf(exception);
  metrics.errorAnswered(error.code);
  if (ack) ack({ ok: false, error });
  else socket.emit('error', error);
}

/** answerFailure for the gateway's decorated handlers. */
@Catch()
@Injectable()
export class WsExceptionFilter implements ExceptionFilter {
  constructor(private readonly metrics: Metrics) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ack = host
      .getArgs()
      .find((arg): arg is (answer: unknown) => void => typeof arg === 'function');
    answerFailure(exception, host.switchToWs().getClient<Socket>(), ack, this.metrics);
  }
}
