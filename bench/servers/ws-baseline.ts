/**
 * Ceiling: a plain `ws` server doing the least that still is the job: token checked before the
 * upgrade, sockets subscribed to their users' rooms, `join_room` and `chat_message` JSON frames
 * answered with `{type: "ack", request_id, ok, ...}` (as our /api/ws does), and each message
 * serialized once and written to every socket of the room. No validation beyond the basics.
 */
import { createServer, IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import jwt from 'jsonwebtoken';
import { RawData, WebSocket, WebSocketServer } from 'ws';
import type { SeedPlan, SeedResult } from '../lib/protocol';
import { env, serveIpc } from './common';

interface User {
  id: number;
  username: string;
}
interface Client {
  socket: WebSocket;
  user: User;
  rooms: Set<number>;
}

const secret = env('JWT_SECRET');
const users = new Map<number, User>();
const members = new Map<number, Set<number>>();
const roomsOf = new Map<number, Set<number>>();
const subscribers = new Map<number, Set<Client>>();
let lastUserId = 0;
let lastRoomId = 0;
let lastMessageId = 0;
/** The rooms' change counter: a send is a change (the ceiling has no other kind). */
let lastChangeId = 0;

const http = createServer((_request, response) => response.writeHead(404).end());
const wss = new WebSocketServer({
  noServer: true,
  maxPayload: 64 * 1024,
  perMessageDeflate: false,
});

http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
  socket.on('error', () => socket.destroy());
  const token = new URL(request.url ?? '/', 'http://localhost').searchParams.get('token') ?? '';
  jwt.verify(token, secret, { algorithms: ['HS256'] }, (error, payload) => {
    const sub = error ? undefined : (payload as { sub?: unknown }).sub;
    const user = typeof sub === 'number' ? users.get(sub) : undefined;
    if (!user) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => accept(ws, user));
  });
});

function accept(socket: WebSocket, user: User): void {
  const client: Client = { socket, user, rooms: new Set() };
  for (const roomId of roomsOf.get(user.id) ?? []) subscribe(client, roomId);
  socket.on('message', (data: RawData) => onFrame(client, data));
  socket.on('error', () => socket.terminate());
  socket.on('close', () => {
    for (const roomId of client.rooms) subscribers.get(roomId)?.delete(client);
  });
}

function subscribe(client: Client, roomId: number): void {
  client.rooms.add(roomId);
  let set = subscribers.get(roomId);
  if (!set) subscribers.set(roomId, (set = new Set()));
  set.add(client);
}

function onFrame(client: Client, data: RawData): void {
  let frame: Record<string, unknown>;
  try {
    const text = Buffer.isBuffer(data)
      ? data.toString()
      : Array.isArray(data)
        ? Buffer.concat(data).toString()
        : Buffer.from(data).toString();
    frame = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return send(client, { type: 'error', code: 'validation_failed', message: 'not JSON' });
  }
  const requestId = frame.request_id;
  const roomId = frame.room_id;
  const answer = (body: Record<string, unknown>) => {
    if (requestId !== undefined) send(client, { type: 'ack', request_id: requestId, ...body });
  };
  if (typeof roomId !== 'number' || !members.has(roomId)) {
    return answer({ ok: false, error: { code: 'room_not_found', message: 'no such room' } });
  }
  if (frame.type === 'join_room') {
    members.get(roomId)!.add(client.user.id);
    if (!client.rooms.has(roomId)) subscribe(client, roomId);
    return answer({ ok: true, room: { id: roomId } });
  }
  if (frame.type === 'chat_message') {
    const content = typeof frame.content === 'string' ? frame.content.trim() : '';
    if (content.length < 1 || content.length > 4000) {
      return answer({ ok: false, error: { code: 'validation_failed', message: 'content' } });
    }
    if (!members.get(roomId)!.has(client.user.id)) {
      return answer({ ok: false, error: { code: 'not_a_member', message: 'join first' } });
    }
    const message = {
      type: 'chat_message',
      id: ++lastMessageId,
      room_id: roomId,
      user_id: client.user.id,
      username: client.user.username,
      content,
      created_at: new Date().toISOString(),
      client_msg_id: typeof frame.client_msg_id === 'string' ? frame.client_msg_id : null,
      reply_to: null,
      edited_at: null,
      deleted: false,
      reactions: [],
      change_id: ++lastChangeId,
      mentions: [],
    };
    // One serialization per broadcast, one buffer shared by every socket of the room.
    const bytes = Buffer.from(JSON.stringify(message));
    for (const member of subscribers.get(roomId) ?? []) {
      if (member.socket.readyState === WebSocket.OPEN) member.socket.send(bytes, { binary: false });
    }
    return answer({ ok: true, message });
  }
  answer({ ok: false, error: { code: 'validation_failed', message: 'unknown type' } });
}

function send(client: Client, body: Record<string, unknown>): void {
  if (client.socket.readyState === WebSocket.OPEN) client.socket.send(JSON.stringify(body));
}

async function seed(plan: SeedPlan): Promise<SeedResult> {
  const seeded = Array.from({ length: plan.users }, (_, i) => {
    const user = { id: ++lastUserId, username: `${plan.prefix}${i}` };
    users.set(user.id, user);
    return user;
  });
  const roomIds = plan.rooms.map((spec) => {
    const roomId = ++lastRoomId;
    members.set(roomId, new Set(spec.members.map((member) => seeded[member].id)));
    for (const member of spec.members) {
      const mine = roomsOf.get(seeded[member].id) ?? new Set<number>();
      mine.add(roomId);
      roomsOf.set(seeded[member].id, mine);
    }
    return roomId;
  });
  return { users: seeded, roomIds, messageIds: roomIds.map(() => null) };
}

http.listen(0, '127.0.0.1', () => {
  const ipc = serveIpc({
    name: 'ws',
    seed,
    stop: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  });
  ipc.emit('ready', { port: (http.address() as AddressInfo).port, pid: process.pid });
});
