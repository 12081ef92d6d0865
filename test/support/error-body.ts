import type { Response } from 'supertest';

const ERROR_BODY_KEYS = ['status_code', 'code', 'message', 'details', 'retry_after_ms'];

/** Signs of internals that must never reach a client: stack frames, SQL, driver and HTML pages. */
const INTERNALS =
  /(\s at \S+ \(|\.(ts|js):\d+|<html|<HTML|<!DOCTYPE|<pre>|SyntaxError|TypeError|QueryFailedError|ECONNREFUSED|SELECT |INSERT |node_modules)/;

/**
 * Asserts the contract's error answer: the status, a JSON body `{status_code, code, message}` with
 * optional `details` and `retry_after_ms` only, and nothing internal.
 */
export function expectErrorBody(response: Response, status: number, code: string): void {
  expect({ status: response.status, body: response.body }).toMatchObject({
    status,
    body: { status_code: status, code },
  });
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  expect(typeof response.body.message).toBe('string');
  expect(response.body.message.length).toBeGreaterThan(0);
  for (const key of Object.keys(response.body)) expect(ERROR_BODY_KEYS).toContain(key);
  expect(response.text).not.toMatch(INTERNALS);
}

/** A validation error: 400 `validation_failed` with a non-empty `details` of `{field, message}`. */
export function expectValidationError(response: Response): { field: string; message: string }[] {
  expectErrorBody(response, 400, 'validation_failed');
  const details = response.body.details as { field: string; message: string }[];
  expect(Array.isArray(details)).toBe(true);
  expect(details.length).toBeGreaterThan(0);
  for (const detail of details) {
    expect(Object.keys(detail).sort()).toEqual(['field', 'message']);
    expect(typeof detail.field).toBe('string');
    expect(typeof detail.message).toBe('string');
    expect(detail.message.length).toBeGreaterThan(0);
  }
  return details;
}
