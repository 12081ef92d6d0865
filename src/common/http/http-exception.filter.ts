import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { Response } from 'express';
import { AuthError } from '../../auth/auth.error';
import { AppError, RequestError } from '../errors/app-error';
import { errorBody } from '../errors/error-body';
import { ErrorCode } from '../errors/error-code';
import { httpStatusFor } from '../errors/http-status';
import { toAppError } from '../errors/to-app-error';
import { Metrics } from '../../metrics/metrics';

/** Maps every error to the contract's error body; nothing internal reaches the client. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  constructor(private readonly metrics: Metrics) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const error = this.toAppError(exception);
    const status = httpStatusFor(error.code);
    this.metrics.errorAnswered(error.code);
    if (error.retryAfterMs !== undefined) {
      response.setHeader('Retry-After', String(Math.ceil(error.retryAfterMs / 1000)));
    }
    response.status(status).json(errorBody(status, error));
  }

  private toAppError(exception: unknown): AppError {
    const status = httpStatusOf(exception);
    switch (status) {
      case HttpStatus.BAD_REQUEST:
        // Only the router (a path that is not valid percent-encoded UTF-8) and body parsing
        // (strict JSON, an object) answer 400 before our validation does.
        return (exception as { cause?: unknown }).cause instanceof URIError
          ? RequestError.validation([{ field: 'path', message: 'is not valid percent-encoding' }])
          : RequestError.validation([{ field: 'body', message: 'is not valid JSON' }]);
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

/** The status of Nest's HTTP exceptions and of body-parser's errors (bad JSON, too large). */
function httpStatusOf(exception: unknown): number | undefined {
  if (exception instanceof HttpException) return exception.getStatus();
  const status = (exception as { status?: unknown; type?: unknown } | null)?.status;
  const fromBodyParser = typeof (exception as { type?: unknown })?.type === 'string';
  return fromBodyParser && typeof status === 'number' ? status : undefined;
}
