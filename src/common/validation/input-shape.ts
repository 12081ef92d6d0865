import type { FieldError } from '../errors/app-error';

/**
 * How deep a body or payload may nest. Every DTO is flat, so this is generous; it exists because
 * class-transformer recurses, and 5,000 nested arrays (10 KB of JSON) overflow its stack.
 */
export const MAX_INPUT_DEPTH = 8;

/** Keys that class-transformer drops silently; refused as every other unknown field is. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * What makes a parsed JSON value unfit for validation, checked before any transform: nesting
 * beyond MAX_INPUT_DEPTH, text that is not well-formed Unicode (a lone surrogate, which PostgreSQL
 * would store as U+FFFD, so the stored text would differ from the acknowledged one), anywhere,
 * keys included, and prototype keys. Iterative, and stops at the first problem.
 */
export function inputShapeError(value: unknown): FieldError | undefined {
  const pending: { value: unknown; field: string; depth: number }[] = [
    { value, field: 'body', depth: 0 },
  ];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value: current, field, depth } = next;
    if (typeof current === 'string') {
      if (!current.isWellFormed()) return { field, message: 'must be well-formed Unicode text' };
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= MAX_INPUT_DEPTH) {
      return { field, message: `must not nest deeper than ${MAX_INPUT_DEPTH} levels` };
    }
    // Details name the top-level field, as validation errors do.
    const fieldOf = (key: string) => (depth === 0 ? key : field);
    if (Array.isArray(current)) {
      for (const item of current as unknown[]) {
        pending.push({ value: item, field, depth: depth + 1 });
      }
      continue;
    }
    for (const key of Object.keys(current)) {
      if (!key.isWellFormed()) return { field, message: 'must have well-formed Unicode keys' };
      if (PROTOTYPE_KEYS.has(key)) {
        return { field: fieldOf(key), message: `property ${key} should not exist` };
      }
      pending.push({
        value: (current as Record<string, unknown>)[key],
        field: fieldOf(key),
        depth: depth + 1,
      });
    }
  }
  return undefined;
}
