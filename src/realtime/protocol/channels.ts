/**
 * Names of the subscription channels (Socket.IO rooms, shared across processes by the adapter):
 * one per chat room, one per user (all of that user's connections), one per session (the
 * connections of its tokens; this process's only, to close them when it ends).
 */
export const ROOM_CHANNEL_PREFIX = 'room:';
export const roomChannel = (roomId: number) => `${ROOM_CHANNEL_PREFIX}${roomId}`;
export const userChannel = (userId: number) => `user:${userId}`;
export const sessionChannel = (sessionId: string) => `session:${sessionId}`;
