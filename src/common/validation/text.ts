import { Transform } from 'class-transformer';
import { Matches, ValidateBy, ValidationOptions } from 'class-validator';

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

/**
 * Refuses format characters (Unicode category Cf: zero-width spaces and joiners, bidi overrides),
 * which make two names look alike or turn the text around them. For names only: message content
 * keeps them, since emoji sequences need the zero-width joiner.
 */
export const NoFormatCharacters = () =>
  Matches(/^\P{Cf}*$/u, { message: 'must not contain invisible or text-direction characters' });

/**
 * Length in code points, as PostgreSQL counts a `varchar(n)` (validator.js discounts variation
 * selectors, and JavaScript counts UTF-16 units). For well-formed text.
 */
export function codePointLength(text: string): number {
  let pairs = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) pairs += 1;
  }
  return text.length - pairs;
}

export function isTextOfLength(value: unknown, min: number, max: number): value is string {
  if (typeof value !== 'string') return false;
  // A string's code points are at most its UTF-16 units and at least half of them.
  if (value.length <= max && value.length >= min * 2) return true;
  const length = codePointLength(value);
  return length >= min && length <= max;
}

/** A string of `min` to `max` code points (see codePointLength). */
export const TextLength = (min: number, max: number, options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'textLength',
      constraints: [min, max],
      validator: {
        validate: (value: unknown) => isTextOfLength(value, min, max),
        defaultMessage: () =>
          min === 0
            ? `must be at most ${max} characters long`
            : `must be ${min} to ${max} characters long`,
      },
    },
    options,
  );
