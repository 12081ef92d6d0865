import { ArgumentMetadata, Injectable, ValidationPipe } from '@nestjs/common';
import { RequestError } from '../errors/app-error';
import { inputShapeError } from './input-shape';
import { quickCheckOf } from './quick-check';
import { validationErrorDetails } from './validation-error-details';

/**
 * Strict DTO validation for HTTP bodies and queries and for real-time payloads alike: unknown
 * fields refused, values transformed, the contract's error on failure. A body or payload must be
 * a JSON object. DTOs on hot paths are first given a quick check of their common case; anything
 * else is checked for its shape (inputShapeError) before class-transformer sees it.
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
    // Path parameters are left to their own pipes (IdParamPipe): converting them here first
    // would read `0x3`, `3e0` and ` 3` as 3. Sockets and the like are not input.
    if (metadata.type !== 'body' && metadata.type !== 'query') return value;
    const checked = quickCheckOf(metadata.metatype)?.(value);
    if (checked !== undefined) return checked;
    const shapeError = inputShapeError(value);
    if (shapeError) throw RequestError.validation([shapeError]);
    const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
    if (metadata.type === 'body' && metadata.metatype && !isObject) {
      throw RequestError.validation([{ field: 'body', message: 'must be a JSON object' }]);
    }
    return super.transform(value, metadata);
  }
}
