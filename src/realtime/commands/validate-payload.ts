import type { Type } from '@nestjs/common';
import { AppValidationPipe } from '../../common/validation/validation.pipe';

const validation = new AppValidationPipe();

/**
 * Validates and converts a command's payload against its DTO exactly as HTTP bodies are (quick
 * checks first, then class-validator); refuses with `validation_failed`.
 */
export async function validatePayload<T extends object>(
  dto: Type<T>,
  payload: unknown,
): Promise<T> {
  return (await validation.transform(payload, { type: 'body', metatype: dto })) as T;
}
