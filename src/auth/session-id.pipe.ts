import { PipeTransform } from '@nestjs/common';
import { RequestError } from '../common/errors/app-error';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Parses a session id in a path: a UUID, in lower case as stored; else a validation error. */
export class SessionIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!UUID.test(value)) {
      throw RequestError.validation([{ field: 'id', message: 'must be a session id (a UUID)' }]);
    }
    return value.toLowerCase();
  }
}
