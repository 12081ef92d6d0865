/**
 * Names of the subscription channels (Socket.IO rooms, shared across processes by the adapter):
 * one per chat room, one per user (all of that user's connections).
 */
export const ROOM_CHANNEL_PREFIX = 'room:';
export const roomChannel = (roomId: number) => `${ROOM_CHANNEL_PREFIX}${roomId}`;
export const userChannel = (userId: number) => `user:${userId}`;
