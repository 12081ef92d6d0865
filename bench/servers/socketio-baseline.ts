/**
 * Baseline: the same job as our server's Socket.IO side in plain `socket.io` (the same version
 * the app uses), no framework, in memory. Handshake `auth: {token}` (HS256 JWT, verified with
 * jsonwebtoken as @nestjs/jwt does, user looked up), sockets subscribed to their users' rooms,
 * presence on first connect/last disconnect, `join_room` and `chat_message` with the contract's
 * acks, validation and `client_msg_id` de-duplication, and `chat_message` broadcast to the room,
 * with the contract's v2 message shape (`reply_to`, `edited_at`, `deleted`, `reactions`,
 * `change_id`, `mentions`), so every broadcast carries what ours does.
 * On `node:http` alone, the REST routes the REST scenario asks, with the contract's answers:
 * `GET /api/rooms`, `GET /api/rooms/:id/messages?limit=&before=&after=` and
 * `POST /api/rooms/:id/messages`, each with a bearer token.
 */
import { createSecretKey } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';
import { Server, Socket } from 'socket.io';
import { seededContent, type SeedPlan, type SeedResult } from '../lib/protocol';
import { env, serveIpc } from './common';

interface User {
  id: number;
  username: string;
}
interface Room {
  id: number;
  name: string;
  description: string;
  isPrivate: boolean;
  createdBy: number | null;
  createdAt: Date;
  members: Set<number>;
}
interface Message {
  type: 'chat_message';
  id: number;
  room_id: number;
  user_id: number;
  username: string;
  content: string;
  created_at: string;
  client_msg_id: string | null;
  reply_to: number | null;
  edited_at: string | null;
  deleted: boolean;
  reactions: { emoji: string; count: number; user_ids: number[] }[];
  change_id: number;
  mentions: number[];
}
type Ack = (response: unknown) => void;

// A key object, as the app gives jsonwebtoken: with a string, each verify derives a key (~0.5 ms).
const secret = createSecretKey(Buffer.from(env('JWT_SECRET'), 'utf8'));
const users = new Map<number, User>();
const rooms = new Map<number, Room>();
const roomsOf = new Map<number, Set<number>>();
const history = new Map<number, Message[]>();
const byClientMsgId = new Map<string, Message>();
const online = new Map<number, number>();
let lastUserId = 0;
let lastRoomId = 0;
let lastMessageId = 0;
/** The rooms' change counter: a send is a change (the baseline has no other kind). */
let lastChangeId = 0;

const roomChannel = (id: number) => `room:${id}`;
const userChannel = (id: number) => `user:${id}`;

const http = createServer((request, response) => handleRest(request, response));
const io = new Server(http, {
  path: '/socket.io',
  transports: ['websocket', 'polling'],
  maxHttpBufferSize: 64 * 1024,
});

io.use((socket, next) => {
  const token: unknown = (socket.handshake.auth as Record<string, unknown> | undefined)?.token;
  if (typeof token !== 'string' || token === '') return next(new Error('unauthorized'));
  jwt.verify(token, secret, { algorithms: ['HS256'] }, (error, payload) => {
    const sub = error ? undefined : (payload as { sub?: unknown }).sub;
    const user = typeof sub === 'number' ? users.get(sub) : undefined;
    if (!user) return next(new Error('unauthorized'));
    socket.data.user = user;
    const ids = [...(roomsOf.get(user.id) ?? [])];
    socket.data.roomIds = ids;
    void socket.join([userChannel(user.id), ...ids.map(roomChannel)]);
    next();
  });
});

io.on('connection', (socket: Socket) => {
  const user = socket.data.user as User;
  const count = (online.get(user.id) ?? 0) + 1;
  online.set(user.id, count);
  if (count === 1) presence(user, true, socket.data.roomIds as number[]);

  socket.on('join_room', (payload: unknown, ack?: Ack) => {
    const reply = typeof ack === 'function' ? ack : () => undefined;
    const roomId = roomIdOf(payload);
    if (roomId === null) return reply(failure('validation_failed', 'room_id must be an integer'));
    const room = rooms.get(roomId);
    if (!room || (room.isPrivate && !room.members.has(user.id))) {
      return reply(failure('room_not_found', `room ${roomId} does not exist`));
    }
    if (!room.members.has(user.id)) {
      addMember(room, user.id);
      io.in(userChannel(user.id)).socketsJoin(roomChannel(roomId));
      io.to(roomChannel(roomId)).emit('user_joined', {
        room_id: roomId,
        user_id: user.id,
        username: user.username,
      });
    }
    reply({ ok: true, room: roomResponse(room) });
  });

  socket.on('chat_message', (payload: unknown, ack?: Ack) => {
    const reply = typeof ack === 'function' ? ack : () => undefined;
    const input = parseChatMessage(payload);
    if (typeof input === 'string') return reply(failure('validation_failed', input));
    const room = rooms.get(input.roomId);
    if (!room || (room.isPrivate && !room.members.has(user.id))) {
      return reply(failure('room_not_found', `room ${input.roomId} does not exist`));
    }
    if (!room.members.has(user.id)) {
      return reply(failure('not_a_member', `join room ${input.roomId} first`));
    }
    reply({ ok: true, message: store(user, room, input.content, input.clientMsgId).message });
  });

  socket.on('disconnect', () => {
    const left = (online.get(user.id) ?? 1) - 1;
    if (left > 0) return void online.set(user.id, left);
    online.delete(user.id);
    presence(user, false, [...(roomsOf.get(user.id) ?? [])]);
  });
});

/** Stores a message once per client_msg_id and delivers it to the room. */
function store(
  user: User,
  room: Room,
  content: string,
  clientMsgId: string | null,
): { message: Message; created: boolean } {
  const key = clientMsgId === null ? null : `${user.id}:${clientMsgId}`;
  const existing = key === null ? undefined : byClientMsgId.get(key);
  if (existing) return { message: existing, created: false };
  const message: Message = {
    type: 'chat_message',
    id: ++lastMessageId,
    room_id: room.id,
    user_id: user.id,
    username: user.username,
    content,
    created_at: new Date().toISOString(),
    client_msg_id: clientMsgId,
    reply_to: null,
    edited_at: null,
    deleted: false,
    reactions: [],
    change_id: ++lastChangeId,
    mentions: [],
  };
  const stored = history.get(room.id) ?? [];
  stored.push(message);
  history.set(room.id, stored);
  if (key !== null) byClientMsgId.set(key, message);
  io.to(roomChannel(room.id)).emit('chat_message', message);
  return { message, created: true };
}

function presence(user: User, isOnline: boolean, roomIds: number[]): void {
  if (roomIds.length === 0) return;
  io.to(roomIds.map(roomChannel))
    .except(userChannel(user.id))
    .emit('presence', { user_id: user.id, username: user.username, online: isOnline });
}

function failure(code: string, message: string) {
  return { ok: false, error: { code, message } };
}

function roomIdOf(payload: unknown): number | null {
  const roomId = (payload as { room_id?: unknown } | null)?.room_id;
  return Number.isSafeInteger(roomId) && (roomId as number) >= 1 ? (roomId as number) : null;
}

const CHAT_FIELDS = new Set(['type', 'room_id', 'content', 'client_msg_id']);

/** The contract's rules for a chat_message payload; a string is the validation error. */
function parseChatMessage(
  payload: unknown,
): { roomId: number; content: string; clientMsgId: string | null } | string {
  if (typeof payload !== 'object' || payload === null) return 'payload must be an object';
  for (const field of Object.keys(payload)) {
    if (!CHAT_FIELDS.has(field)) return `${field} is not allowed`;
  }
  const { type, content, client_msg_id: clientMsgId } = payload as Record<string, unknown>;
  const roomId = roomIdOf(payload);
  if (roomId === null) return 'room_id must be a positive integer';
  if (type !== undefined && type !== 'chat_message') return 'type must be chat_message';
  if (typeof content !== 'string') return 'content must be a string';
  const trimmed = content.trim();
  if (trimmed.length < 1 || trimmed.length > 4000) return 'content must be 1 to 4000 characters';
  if (clientMsgId !== undefined && clientMsgId !== null) {
    if (typeof clientMsgId !== 'string' || clientMsgId.length < 1 || clientMsgId.length > 128) {
      return 'client_msg_id must be 1 to 128 characters';
    }
  }
  return { roomId, content: trimmed, clientMsgId: (clientMsgId as string | undefined) ?? null };
}

function roomResponse(room: Room) {
  return {
    id: room.id,
    name: room.name,
    description: room.description,
    is_private: room.isPrivate,
    created_by: room.createdBy,
    created_at: room.createdAt.toISOString(),
    member_count: room.members.size,
  };
}

function addMember(room: Room, userId: number): void {
  room.members.add(userId);
  const mine = roomsOf.get(userId) ?? new Set<number>();
  mine.add(room.id);
  roomsOf.set(userId, mine);
}

async function seed(plan: SeedPlan): Promise<SeedResult> {
  const seeded = Array.from({ length: plan.users }, (_, i) => {
    const user = { id: ++lastUserId, username: `${plan.prefix}${i}` };
    users.set(user.id, user);
    return user;
  });
  const roomIds = plan.rooms.map((spec, r) => {
    const room: Room = {
      id: ++lastRoomId,
      name: `${plan.prefix}room${r}`,
      description: '',
      isPrivate: false,
      createdBy: seeded[spec.members[0]].id,
      createdAt: new Date(),
      members: new Set(),
    };
    rooms.set(room.id, room);
    for (const member of spec.members) addMember(room, seeded[member].id);
    return room.id;
  });
  const messageIds = plan.rooms.map((spec, r) => {
    if (!spec.messages) return null;
    const room = rooms.get(roomIds[r])!;
    const first = lastMessageId + 1;
    for (let i = 0; i < spec.messages; i++) {
      store(seeded[spec.members[i % spec.members.length]], room, seededContent(i), null);
    }
    return { min: first, max: lastMessageId };
  });
  return { users: seeded, roomIds, messageIds };
}

// ---------------------------------------------------------------- REST

const ROOM_MESSAGES = /^\/api\/rooms\/([1-9]\d{0,9})\/messages$/;
const DIGITS = /^\d{1,16}$/;
const HISTORY_QUERY = new Set(['limit', 'before', 'after']);
const BODY_LIMIT = 64 * 1024;

function handleRest(request: IncomingMessage, response: ServerResponse): void {
  const [path, query = ''] = (request.url ?? '/').split('?');
  const user = userOf(request.headers.authorization);
  const answer = (status: number, body: unknown) => {
    const text = JSON.stringify(body);
    response.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
    });
    response.end(text);
  };
  const fail = (status: number, code: string, message: string) =>
    answer(status, { status_code: status, code, message });
  if (path === '/api/rooms' && request.method === 'GET') {
    if (!user) return fail(401, 'unauthorized', 'a valid access token is required');
    const visible = [...rooms.values()].filter(
      (room) => !room.isPrivate || room.members.has(user.id),
    );
    return answer(
      200,
      visible.map((room) => ({ ...roomResponse(room), is_member: room.members.has(user.id) })),
    );
  }
  const matched = ROOM_MESSAGES.exec(path);
  if (!matched) return fail(404, 'not_found', 'no such route');
  if (!user) return fail(401, 'unauthorized', 'a valid access token is required');
  const roomId = Number(matched[1]);
  const room = rooms.get(roomId);
  if (!room || (room.isPrivate && !room.members.has(user.id))) {
    return fail(404, 'room_not_found', `room ${roomId} does not exist`);
  }
  if (request.method === 'GET') {
    const params = new URLSearchParams(query);
    const values: Record<string, number> = {};
    for (const [name, value] of params) {
      if (!HISTORY_QUERY.has(name) || !DIGITS.test(value)) {
        return fail(400, 'validation_failed', `${name} is not allowed here`);
      }
      values[name] = Number(value);
    }
    const limit = values.limit ?? 50;
    if (limit < 1 || limit > 200) return fail(400, 'validation_failed', 'limit must be 1 to 200');
    return answer(200, page(history.get(room.id) ?? [], limit, values.before, values.after));
  }
  if (request.method !== 'POST') return fail(404, 'not_found', 'no such route');
  if (!room.members.has(user.id)) return fail(403, 'not_a_member', `join room ${roomId} first`);
  let body = '';
  let size = 0;
  request.setEncoding('utf8');
  request.on('data', (chunk: string) => {
    size += chunk.length;
    if (size <= BODY_LIMIT) body += chunk;
  });
  request.on('end', () => {
    if (size > BODY_LIMIT) return fail(413, 'payload_too_large', 'request body is too large');
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return fail(400, 'validation_failed', 'body is not valid JSON');
    }
    if (typeof parsed !== 'object' || parsed === null || 'room_id' in parsed) {
      return fail(400, 'validation_failed', 'body must be a JSON object of content, client_msg_id');
    }
    const input = parseChatMessage({ ...parsed, room_id: roomId });
    if (typeof input === 'string') return fail(400, 'validation_failed', input);
    const { message, created } = store(user, room, input.content, input.clientMsgId);
    answer(created ? 201 : 200, message);
  });
}

function userOf(authorization: string | undefined): User | undefined {
  const token = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
  if (!token) return undefined;
  try {
    const { sub } = jwt.verify(token, secret, { algorithms: ['HS256'] }) as { sub?: unknown };
    return typeof sub === 'number' ? users.get(sub) : undefined;
  } catch {
    return undefined;
  }
}

/** The contract's page: newest `limit`, those before `before`, or the oldest `limit` after `after`. */
function page(messages: Message[], limit: number, before?: number, after?: number): Message[] {
  // Ids grow with the array: binary searches find the bounds.
  const firstAtLeast = (id: number) => {
    let low = 0;
    let high = messages.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (messages[middle].id < id) low = middle + 1;
      else high = middle;
    }
    return low;
  };
  const end = before === undefined ? messages.length : firstAtLeast(before);
  if (after !== undefined) {
    const start = firstAtLeast(after + 1);
    return messages.slice(start, Math.min(end, start + limit));
  }
  return messages.slice(Math.max(0, end - limit), end);
}

http.listen(0, '127.0.0.1', () => {
  const ipc = serveIpc({
    name: 'socketio',
    seed,
    stop: () => new Promise<void>((resolve) => void io.close(() => resolve())),
  });
  ipc.emit('ready', { port: (http.address() as AddressInfo).port, pid: process.pid });
});
