import { ArgumentMetadata, Injectable, ValidationPipe } from '@nestjs/common';
import { RequestError } from '../errors/app-error';
import { quickCheckOf } from './quick-check';
import { validationErrorDetails } from './validation-error-details';

/**
 * Strict DTO validation for HTTP bodies and queries and for real-time payloads alike: unknown
 * fields refused, values transformed, the contract's error on failure. A body or payload must be
 * a JSON object. DTOs on hot paths are first given a quick check of their common case.
 */
@Injectable()
export class AppValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      stopAtFirstError: true,
      transform: true,
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => RequestError.validation(validationErrorDetails(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const checked = quickCheckOf(metadata.metatype)?.(value);
    if (checked !== undefined) return checked;
    const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
    if (metadata.type === 'body' && metadata.metatype && !isObject) {
      throw RequestError.validation([{ field: 'body', message: 'must be a JSON object' }]);
    }
    return super.transform(value, metadata);
  }
}
