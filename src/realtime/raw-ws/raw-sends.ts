import type { WebSocket } from 'ws';
import type { ConnectionEnd } from '../connections/connection-ends';

/** A close code of the application range: the token stopped working (expired, session ended). */
const UNAUTHORIZED_CLOSE_CODE = 4001;

/** Sends a frame if the connection is still open. */
export function sendFrame(socket: WebSocket, frame: object): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
}

/** Tells the client why in an error frame, then closes the connection with 4001. */
export function endConnection(socket: WebSocket, why: ConnectionEnd): void {
  sendFrame(socket, { type: 'error', ...why.error });
  socket.close(UNAUTHORIZED_CLOSE_CODE, why.reason);
}
