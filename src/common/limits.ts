/** Input limits of the wire contract. */
export const LIMITS = {
  username: { min: 3, max: 32, pattern: /^[A-Za-z0-9_.-]+$/ },
  password: { min: 8, max: 128 },
  displayName: { min: 1, max: 64 },
  roomName: { min: 1, max: 64 },
  roomDescription: { max: 500 },
  messageContent: { min: 1, max: 4000 },
  clientMsgId: { min: 1, max: 128 },
  /** A raw WebSocket frame's `request_id`, when a string. */
  requestId: { min: 1, max: 128 },
  history: { min: 1, max: 200, default: 50 },
  /** A search's `q`, after trimming; its `limit` is history's. */
  searchQuery: { min: 1, max: 200 },
  /** Distinct emoji a message's reactions may hold. */
  reactionsPerMessage: 20,
  /** Largest real-time frame (Socket.IO packet or raw WebSocket message). */
  frameBytes: 64 * 1024,
  /** Largest HTTP body; larger ones are refused with 413 before they are read in full. */
  bodyBytes: 64 * 1024,
} as const;
