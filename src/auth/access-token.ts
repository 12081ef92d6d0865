import { AuthError } from './auth.error';

/**
 * The token of an `Authorization: Bearer <token>` header: undefined when there is no header,
 * unauthorized when there is one of another form.
 */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw AuthError.unauthorized();
  return match[1];
}

/**
 * A real-time connection's token: the one the client gave in the handshake (Socket.IO's
 * `auth.token`, the raw WebSocket's `?token=`), else its Authorization header, read as HTTP reads it.
 */
export function connectionToken(given: unknown, authorization: string | undefined): string {
  if (typeof given === 'string' && given !== '') return given;
  return bearerToken(authorization) ?? '';
}
