/** Where clients connect: Socket.IO, and the seed-compatible raw WebSocket (JSON text frames). */
export const SOCKET_IO_PATH = '/socket.io';
export const RAW_WS_PATH = '/api/ws';
