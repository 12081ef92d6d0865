import { SESSION_ENDED_MESSAGE } from '../../auth/auth.error';
import { ErrorCode } from '../../common/errors/error-code';
import type { ErrorPayload } from '../../contract/events';

/** Why the server closes a connection: the `error` the client is told, and the raw close reason. */
export interface ConnectionEnd {
  error: ErrorPayload;
  /** The close frame's reason on the raw WebSocket (its code is 4001 for every end). */
  reason: string;
}

export const TOKEN_EXPIRED: ConnectionEnd = {
  error: {
    code: ErrorCode.Unauthorized,
    message: 'the access token has expired; sign in again and reconnect',
  },
  reason: 'access token expired',
};

export const SESSION_ENDED: ConnectionEnd = {
  error: { code: ErrorCode.Unauthorized, message: SESSION_ENDED_MESSAGE },
  reason: 'session ended',
};
