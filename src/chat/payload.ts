import type { Type } from '@nestjs/common';
import { AppValidationPipe } from '../common/validation/validation.pipe';

const validation = new AppValidationPipe();

/** Validates a raw WebSocket frame against its DTO exactly as HTTP bodies are validated. */
export async function parsePayload<T extends object>(dto: Type<T>, payload: unknown): Promise<T> {
  return (await validation.transform(payload, { type: 'body', metatype: dto })) as T;
}
