import type { IncomingMessage } from 'node:http';
import type { AppConfig } from '../../config/app-config';

/**
 * Whether a WebSocket or polling handshake may proceed. Browsers always send Origin, so checking it
 * stops other sites from opening connections (cross-site WebSocket hijacking); clients that are
 * not browsers send none and are let through. Allowed: CORS_ORIGINS (or any with "*"), and the
 * server's own origin.
 */
export function isOriginAllowed(request: IncomingMessage, config: AppConfig): boolean {
  const origin = request.headers.origin;
  if (origin === undefined || config.corsOrigins.includes('*')) return true;
  if (config.corsOrigins.includes(origin)) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}
