import { PipeTransform } from '@nestjs/common';
import { RequestError } from '../errors/app-error';

/** Largest id of a user or room (a PostgreSQL integer). */
export const MAX_ENTITY_ID = 2_147_483_647;
/** Largest message id (a PostgreSQL bigint, read as a JavaScript number). */
export const MAX_MESSAGE_ID = Number.MAX_SAFE_INTEGER;

/** Parses a path id; anything but a positive integer up to `max` is a validation error. */
export class IdParamPipe implements PipeTransform<string, number> {
  private readonly digits: RegExp;

  constructor(
    private readonly field = 'id',
    private readonly max = MAX_ENTITY_ID,
  ) {
    this.digits = new RegExp(`^[1-9]\\d{0,${String(max).length - 1}}$`);
  }

  transform(value: string): number {
    const id = this.digits.test(value) ? Number(value) : NaN;
    if (!(id <= this.max)) {
      throw RequestError.validation([{ field: this.field, message: 'must be a positive integer' }]);
    }
    return id;
  }
}

/** A message id in a path (`:message_id`). */
export const messageIdParam = new IdParamPipe('message_id', MAX_MESSAGE_ID);
