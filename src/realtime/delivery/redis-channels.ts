import { redisKey } from '../../cluster/redis-connection';
import type { PubSubKind } from '../../metrics/metrics';
import { ROOM_CHANNEL_PREFIX, sessionChannel, userChannel } from '../protocol/channels';

/**
 * The Redis pub/sub channels of real-time delivery between processes. The Socket.IO adapter's
 * are `<SOCKET_IO_PREFIX>#/#` (requests between processes, and events for several rooms), one
 * per adapter for answers, and, for one Socket.IO room `r`, `<SOCKET_IO_PREFIX>#/#r#`. Raw
 * WebSocket frames travel on channels of their own, one per room and per user.
 */
export const SOCKET_IO_PREFIX = redisKey('socket.io');
export const rawRoomChannel = (roomId: number) => redisKey('raw', 'room', roomId);
export const rawUserChannel = (userId: number) => redisKey('raw', 'user', userId);
/** Raw frames for several rooms at once, which every process receives (a client once each). */
export const RAW_ROOMS_CHANNEL = redisKey('raw', 'rooms');

const SOCKET_IO_ROOM = `${SOCKET_IO_PREFIX}#/#`;
const RAW_ROOM = rawRoomChannel(0).slice(0, -1);
const RAW_USER = rawUserChannel(0).slice(0, -1);
const USER = userChannel(0).slice(0, -1);
const SESSION = sessionChannel('');

/** What a channel carries: one room's traffic, one user's or session's, or everyone's. */
export function pubSubKindOf(channel: string): PubSubKind {
  if (channel.startsWith(RAW_ROOM)) return 'room';
  if (channel.startsWith(RAW_USER)) return 'user';
  if (channel.startsWith(SOCKET_IO_ROOM)) {
    const room = channel.slice(SOCKET_IO_ROOM.length);
    if (room.startsWith(ROOM_CHANNEL_PREFIX)) return 'room';
    if (room.startsWith(USER) || room.startsWith(SESSION)) return 'user';
  }
  return 'control';
}
