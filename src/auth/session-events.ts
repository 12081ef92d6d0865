/**
 * Ended sessions, for the real-time module to close their connections: called on every server
 * process as it learns of them, for that process's own connections, before any later event of the
 * process can reach them.
 */
export abstract class SessionEvents {
  abstract sessionsEnded(sessionIds: readonly string[]): void;
}
