import type { Response } from 'supertest';

/** A room id that is a valid positive integer but belongs to no room in any test run. */
export const MISSING_ROOM_ID = 2_000_000_000;

/** ISO-8601 UTC, as the contract's `created_at`. */
export const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** Keys an error body may have: `details` with validation_failed, `retry_after_ms` with rate_limited. */
const OPTIONAL_KEYS: Record<string, string> = {
  details: 'validation_failed',
  retry_after_ms: 'rate_limited',
};

/** Signs of internals that must never reach a client: stack frames, SQL, driver and HTML pages. */
const INTERNALS =
  /(\s at \S+ \(|\.(ts|js):\d+|<html|<HTML|<!DOCTYPE|<pre>|SyntaxError|TypeError|QueryFailedError|ECONNREFUSED|SELECT |INSERT |node_modules)/;

/**
 * The contract's error answer: the status, a JSON body `{status_code, code, message}` (plus
 * `details` or `retry_after_ms` where the code has them), and nothing internal.
 */
export function expectError(response: Response, status: number, code: string): void {
  expect({ status: response.status, body: response.body }).toMatchObject({
    status,
    body: { status_code: status, code, message: expect.any(String) },
  });
  expect(response.body.message).not.toHaveLength(0);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  const extra = Object.keys(response.body).filter(
    (key) => !['status_code', 'code', 'message'].includes(key),
  );
  for (const key of extra) expect({ key, code: OPTIONAL_KEYS[key] }).toEqual({ key, code });
  expect(response.text).not.toMatch(INTERNALS);
}

/**
 * Any answer but the server's own failure: a status below 500, and a refusal (4xx) in the
 * contract's error shape, with a snake_case code.
 */
export function expectNoServerFault(response: Response): void {
  if (response.status >= 500) {
    throw new Error(`answered ${response.status}: ${response.text.slice(0, 500)}`);
  }
  if (response.status < 400) return;
  const code: unknown = response.body?.code;
  expect({ status: response.status, code }).toEqual({
    status: response.status,
    code: expect.stringMatching(/^[a-z]+(_[a-z]+)*$/),
  });
  expectError(response, response.status, code as string);
}

/**
 * A 400 `validation_failed` answer whose `details` is a non-empty array of `{field, message}`,
 * naming `field` when given. Returns the details.
 */
export function expectValidationFailed(
  response: Response,
  field?: string,
): { field: string; message: string }[] {
  expectError(response, 400, 'validation_failed');
  const details = response.body.details as { field: string; message: string }[];
  expect(Array.isArray(details)).toBe(true);
  expect(details.length).toBeGreaterThan(0);
  for (const detail of details) {
    expect(detail).toEqual({ field: expect.any(String), message: expect.any(String) });
    expect(detail.message).not.toHaveLength(0);
  }
  if (field !== undefined) {
    expect(details).toContainEqual({ field, message: expect.any(String) });
  }
  return details;
}

/** The error body with the room id in its message replaced, to compare answers about two ids. */
export function withoutRoomId(body: Record<string, unknown>, roomId: number): unknown {
  const message = typeof body.message === 'string' ? body.message : '';
  return { ...body, message: message.replace(new RegExp(`\\b${roomId}\\b`, 'g'), ':id') };
}
