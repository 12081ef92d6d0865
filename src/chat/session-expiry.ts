import { ErrorCode } from '../common/errors/error-code';
import type { ErrorEvent } from './chat-events';

/** setTimeout's longest delay; longer waits are made of several. */
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
  let timer: NodeJS.Timeout;
  const arm = () => {
    const delay = expiresAt - Date.now();
    timer = setTimeout(
      delay > MAX_DELAY_MS ? arm : end,
      Math.min(Math.max(0, delay), MAX_DELAY_MS),
    );
    timer.unref();
  };
  arm();
  return () => clearTimeout(timer);
}
