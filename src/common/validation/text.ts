import { Transform } from 'class-transformer';
import { Matches } from 'class-validator';

/** Trims strings before they are validated; other values pass through to fail their type check. */
export const Trim = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

/**
 * Control characters (NUL among them, which PostgreSQL cannot store) other than tab, line feed
 * and carriage return.
 */
const CONTROL_CHARACTER_CLASS = '\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F';

export const CONTROL_CHARACTERS = new RegExp(`[${CONTROL_CHARACTER_CLASS}]`);

/** Refuses CONTROL_CHARACTERS. */
export const NoControlCharacters = () =>
  Matches(new RegExp(`^[^${CONTROL_CHARACTER_CLASS}]*$`), {
    message: 'must not contain control characters',
  });
