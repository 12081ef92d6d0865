import type { Response } from 'supertest';

/** A room id that is a valid positive integer but belongs to no room in any test run. */
export const MISSING_ROOM_ID = 2_000_000_000;

/** ISO-8601 UTC, as the contract's `created_at`. */
export const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** The contract's error answer: the status and exactly `{status_code, code, message}`. */
export function expectError(response: Response, status: number, code: string): void {
  expect({ status: response.status, body: response.body }).toEqual({
    status,
    body: { status_code: status, code, message: expect.any(String) },
  });
  expect(response.body.message).not.toHaveLength(0);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
}

/**
 * A 400 `validation_failed` answer whose `details` is a non-empty array of `{field, message}`,
 * naming `field` when given.
 */
export function expectValidationFailed(response: Response, field?: string): void {
  expect({ status: response.status, body: response.body }).toEqual({
    status: 400,
    body: {
      status_code: 400,
      code: 'validation_failed',
      message: expect.any(String),
      details: expect.any(Array),
    },
  });
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  const details = response.body.details as unknown[];
  expect(details.length).toBeGreaterThan(0);
  for (const detail of details) {
    expect(detail).toEqual({ field: expect.any(String), message: expect.any(String) });
  }
  if (field !== undefined) {
    expect(details).toContainEqual({ field, message: expect.any(String) });
  }
}

/** The error body with the room id in its message replaced, to compare answers about two ids. */
export function withoutRoomId(body: Record<string, unknown>, roomId: number): unknown {
  const message = typeof body.message === 'string' ? body.message : '';
  return { ...body, message: message.replace(new RegExp(`\\b${roomId}\\b`, 'g'), ':id') };
}
