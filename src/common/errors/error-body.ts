import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AppError } from './app-error';
import { ErrorCode } from './error-code';
import type { ErrorPayload } from '../../contract/events';
import type * as Contract from '../../contract/objects';

export class FieldErrorBody implements Contract.FieldError {
  @ApiProperty({ example: 'username' })
  field!: string;

  @ApiProperty({ example: 'must be 3 to 32 characters of A-Z, a-z, 0-9, _ . -' })
  message!: string;
}

/** The error body of every HTTP answer that is not a success. */
export class ErrorBody implements Contract.ErrorBody {
  @ApiProperty({ example: 404 })
  status_code!: number;

  @ApiProperty({ enum: ErrorCode, example: ErrorCode.RoomNotFound })
  code!: ErrorCode;

  @ApiProperty({ example: 'room 42 does not exist' })
  message!: string;

  @ApiPropertyOptional({ type: [FieldErrorBody] })
  details?: FieldErrorBody[];

  @ApiPropertyOptional({ example: 4000, description: 'with rate_limited' })
  retry_after_ms?: number;
}

export function errorPayload(error: AppError): ErrorPayload {
  return {
    code: error.code,
    message: error.message,
    ...(error.details && { details: error.details }),
    ...(error.retryAfterMs !== undefined && { retry_after_ms: error.retryAfterMs }),
  };
}

export function errorBody(status: number, error: AppError): ErrorBody {
  return { status_code: status, ...errorPayload(error) };
}
