import { ValidationPipe } from '@nestjs/common';
import { RequestError } from '../errors/app-error';
import { validationErrorDetails } from './validation-error-details';

/** Strict DTO validation: unknown fields refused, values transformed, contract error on failure. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => RequestError.validation(validationErrorDetails(errors)),
  });
}
