import type { ErrorEvent } from './chat-events';
import { ErrorCode } from '../common/errors/error-code';

/** setTimeout's longest delay; a token living longer is simply not timed. */
const MAX_DELAY_MS = 2 ** 31 - 1;

export const SESSION_EXPIRED: ErrorEvent = {
  code: ErrorCode.Unauthorized,
  message: 'the access token has expired; sign in again and reconnect',
};

/**
 * Ends a connection when its access token expires, as HTTP would refuse its next request.
 * Returns the function that cancels it, for when the connection closes first.
 */
export function expireSessionAt(expiresAt: number, end: () => void): () => void {
  const delay = expiresAt - Date.now();
  if (delay > MAX_DELAY_MS) return () => undefined;
  const timer = setTimeout(end, Math.max(0, delay));
  timer.unref();
  return () => clearTimeout(timer);
}
