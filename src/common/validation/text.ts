import { Transform } from 'class-transformer';
import { Matches } from 'class-validator';

/** Trims strings before they are validated; other values pass through to fail their type check. */
export const Trim = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

/**
 * Refuses control characters (NUL among them, which PostgreSQL cannot store) other than tab,
 * line feed and carriage return.
 */
export const NoControlCharacters = () =>
  // eslint-disable-next-line no-control-regex
  Matches(/^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]*$/, {
    message: 'must not contain control characters',
  });
