import type { Type } from '@nestjs/common';
import { CONTROL_CHARACTERS, isTextOfLength } from './text';

/**
 * A cheap check of a DTO's common case: the value the DTO's validation would produce, or
 * undefined when it cannot tell (the full validation then decides, and words the error).
 */
export type QuickCheck<T> = (value: unknown) => T | undefined;

const quickChecks = new WeakMap<Type<unknown>, QuickCheck<unknown>>();

/**
 * Gives a hot DTO a quick check that AppValidationPipe tries first. It must accept only what
 * the DTO's decorators accept and return what they would (its spec compares the two).
 */
export function registerQuickCheck<T>(dto: Type<T>, check: QuickCheck<T>): void {
  quickChecks.set(dto, check);
}

export function quickCheckOf(dto: Type<unknown> | undefined): QuickCheck<unknown> | undefined {
  return dto && quickChecks.get(dto);
}

/** A plain object with no fields but these. */
export function isObjectWithOnly(
  value: unknown,
  fields: ReadonlySet<string>,
): value is Record<string, unknown> {
  // `for in` skips non-enumerable own fields and sees inherited ones: only plain JSON objects pass.
  return isQueryWithOnly(value, fields) && Object.getPrototypeOf(value) === Object.prototype;
}

/**
 * A parsed query string with no fields but these. The parser's objects have a prototype of their
 * own without fields; `for in` would see any field one inherited.
 */
export function isQueryWithOnly(
  value: unknown,
  fields: ReadonlySet<string>,
): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  for (const key in value) {
    if (!fields.has(key)) return false;
  }
  return true;
}

/** A query value of 1 to 16 plain digits within [min, max], as a number; else undefined. */
export function queryIntegerIn(value: unknown, min: number, max: number): number | undefined {
  if (typeof value !== 'string' || !/^\d{1,16}$/.test(value)) return undefined;
  const number = Number(value);
  return number >= min && number <= max ? number : undefined;
}

export function isIntegerIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/**
 * Well-formed text of `min` to `max` code points without control characters (what TextLength,
 * NoControlCharacters and the input shape check accept together).
 */
export function isPlainTextIn(value: unknown, min: number, max: number): value is string {
  return isTextOfLength(value, min, max) && !CONTROL_CHARACTERS.test(value) && value.isWellFormed();
}

/** Query values arrive as strings; only plain digits become numbers, anything else fails @IsInt. */
export const digitsToNumber = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : value;
