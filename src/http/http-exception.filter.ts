import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { AuthError } from '../auth/auth.error';
import { AppError, RequestError } from '../common/errors/app-error';
import { errorBody } from '../common/errors/error-body';
import { ErrorCode } from '../common/errors/error-code';
import { httpStatusFor } from '../common/errors/http-status';
import { toAppError } from '../common/errors/to-app-error';
import { Metrics } from '../metrics/metrics';

const JSON_TYPE = 'application/json; charset=utf-8';

/** Maps every error to the contract's error body; nothing internal reaches the client. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  constructor(private readonly metrics: Metrics) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const error = this.toAppError(exception);
    const status = httpStatusFor(error.code);
    this.metrics.errorAnswered(error.code);
    if (error.retryAfterMs !== undefined) {
      void reply.header('Retry-After', String(Math.ceil(error.retryAfterMs / 1000)));
    }
    // The route may have declared another type for its success (the metrics' text).
    void reply.status(status).type(JSON_TYPE).send(errorBody(status, error));
  }

  private toAppError(exception: unknown): AppError {
    const status = httpStatusOf(exception);
    switch (status) {
      case HttpStatus.UNAUTHORIZED:
        return AuthError.unauthorized();
      case HttpStatus.NOT_FOUND:
      case HttpStatus.METHOD_NOT_ALLOWED:
        return new RequestError(ErrorCode.NotFound, 'no such route');
      case HttpStatus.PAYLOAD_TOO_LARGE:
        return new RequestError(ErrorCode.PayloadTooLarge, 'request body is too large');
      case undefined:
        break;
      default:
        if (status < 500) return new RequestError(ErrorCode.ValidationFailed, 'bad request');
    }
    return toAppError(exception, this.logger);
  }
}

/** The status of Nest's HTTP exceptions and of Fastify's own errors (a body too large). */
function httpStatusOf(exception: unknown): number | undefined {
  if (exception instanceof HttpException) return exception.getStatus();
  const { code, statusCode } = (exception ?? {}) as { code?: unknown; statusCode?: unknown };
  const fromFastify = typeof code === 'string' && code.startsWith('FST_');
  return fromFastify && typeof statusCode === 'number' ? statusCode : undefined;
}
