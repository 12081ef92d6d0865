import { Injectable, PipeTransform } from '@nestjs/common';
import { RequestError } from '../errors/app-error';

/** Largest id of a user or room (a PostgreSQL integer). */
export const MAX_ENTITY_ID = 2_147_483_647;

/** Parses a path id; anything but a positive integer is a validation error. */
@Injectable()
export class IdParamPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    const id = /^[1-9]\d{0,9}$/.test(value) ? Number(value) : NaN;
    if (!(id <= MAX_ENTITY_ID)) {
      throw RequestError.validation([{ field: 'id', message: 'must be a positive integer' }]);
    }
    return id;
  }
}
