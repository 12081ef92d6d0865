import { HttpStatus } from '@nestjs/common';
import { createRoom, CreatedRoom, joinRoom } from '../factories/rooms.factory';
import { registerUser, RegisteredUser } from '../factories/users.factory';
import type { Received } from './realtime-clients';
import { ErrorCode } from '../../src/common/errors/error-code';
import { httpStatusFor } from '../../src/common/errors/http-status';
import type { TestApp } from './test-app';

/** ISO-8601 UTC, as the contract's `created_at`. */
export const ISO_UTC_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** The contract's message object, exactly: `{type, id, room_id, user_id, ...}`. */
export function messageShape(fields: {
  roomId: number;
  user: Pick<RegisteredUser, 'id' | 'username'>;
  content: string;
  clientMsgId?: string | null;
  replyTo?: number | null;
  id?: number;
  edited?: boolean;
  deleted?: boolean;
  reactions?: { emoji: string; count: number; user_ids: number[] }[];
  mentions?: number[];
}): Record<string, unknown> {
  return {
    type: 'chat_message',
    id: fields.id ?? expect.any(Number),
    room_id: fields.roomId,
    user_id: fields.user.id,
    username: fields.user.username,
    content: fields.content,
    created_at: expect.stringMatching(ISO_UTC_PATTERN),
    client_msg_id: fields.clientMsgId ?? null,
    reply_to: fields.replyTo ?? null,
    edited_at: fields.edited ? expect.stringMatching(ISO_UTC_PATTERN) : null,
    deleted: fields.deleted ?? false,
    reactions: fields.reactions ?? [],
    change_id: expect.any(Number),
    mentions: fields.mentions ?? [],
  };
}

/** The contract's room object, exactly. */
export function roomShape(fields: {
  room: CreatedRoom;
  owner: Pick<RegisteredUser, 'id'>;
  isPrivate?: boolean;
  memberCount: number;
  /** The caller's role; `member` unless they own it. */
  role?: 'owner' | 'member';
}): Record<string, unknown> {
  return {
    id: fields.room.id,
    name: fields.room.name,
    description: expect.any(String),
    is_private: fields.isPrivate ?? false,
    created_by: fields.owner.id,
    created_at: expect.stringMatching(ISO_UTC_PATTERN),
    member_count: fields.memberCount,
    is_member: true,
    kind: 'channel',
    role: fields.role ?? 'member',
    last_read_id: expect.any(Number),
    unread_count: expect.any(Number),
    mention_count: expect.any(Number),
  };
}

/** `{room_id, user_id, username}` of user_joined / user_left. */
export function memberEvent(roomId: number, user: RegisteredUser): Record<string, unknown> {
  return { room_id: roomId, user_id: user.id, username: user.username };
}

/** Error codes that refuse a command for what it asks (HTTP 4xx), unlike the server's own failures. */
const REFUSAL_CODES = Object.values(ErrorCode).filter(
  (code) => httpStatusFor(code) < HttpStatus.INTERNAL_SERVER_ERROR,
);

/**
 * An acknowledgement of a command the server did not fail: `{ok: true, ...}`, or
 * `{ok: false, error: {code, message}}` with a refusal's code (never `internal_error`).
 */
export function expectNoServerFaultAck(ack: Received): void {
  if (ack?.ok === true) return;
  expect(ack).toEqual({
    ok: false,
    error: expect.objectContaining({ code: expect.any(String), message: expect.any(String) }),
  });
  expect(REFUSAL_CODES).toContain(ack.error.code);
}

/** A failed acknowledgement with the given code: `{ok: false, error: {code, message, ...}}`. */
export function errorAck(code: string): Record<string, unknown> {
  return { ok: false, error: expect.objectContaining({ code, message: expect.any(String) }) };
}

export interface RoomWithTwo {
  owner: RegisteredUser;
  member: RegisteredUser;
  room: CreatedRoom;
}

/** A fresh public room made by `owner`, with `member` joined through REST. */
export async function roomWithTwoMembers(app: TestApp): Promise<RoomWithTwo> {
  const [owner, member] = await Promise.all([registerUser(app), registerUser(app)]);
  const room = await createRoom(app, owner);
  await joinRoom(app, member, room.id);
  return { owner, member, room };
}

/** GET /api/rooms/:id/messages?after=…&limit=… as the given user; the body. */
export async function historyAfter(
  app: TestApp,
  user: RegisteredUser,
  roomId: number,
  after: number,
  limit = 200,
): Promise<Record<string, Received>[]> {
  const response = await app
    .http()
    .get(`/api/rooms/${roomId}/messages`)
    .query({ after, limit })
    .set('Authorization', user.auth)
    .expect(200);
  return response.body as Record<string, Received>[];
}

/** Ids of the users GET /api/rooms/:id/members lists. */
export async function memberIds(
  app: TestApp,
  user: RegisteredUser,
  roomId: number,
): Promise<number[]> {
  const response = await app
    .http()
    .get(`/api/rooms/${roomId}/members`)
    .set('Authorization', user.auth)
    .expect(200);
  return (response.body as { id: number }[]).map((member) => member.id);
}
