import type { RawData } from 'ws';
import { RequestError } from '../../common/errors/app-error';
import { LIMITS } from '../../common/limits';
import { isPlainTextIn } from '../../common/validation/quick-check';
import { COMMAND_NAMES } from '../commands/realtime-commands';

/** A client's frame, read: its `type`, its `request_id` and the rest, the command's payload. */
export interface ClientFrame {
  type: unknown;
  requestId: string | number | undefined;
  payload: Record<string, unknown>;
}

/**
 * Reads a frame: a JSON object in a text frame with a valid `request_id`, if any. Throws
 * `validation_failed` otherwise (answered with an error frame, the request id being unknown).
 */
export function readFrame(data: RawData, isBinary: boolean): ClientFrame {
  const frame = jsonObjectOf(data, isBinary);
  const { type, request_id: _, ...payload } = frame;
  return { type, requestId: requestIdOf(frame), payload };
}

/** The refusal of a frame whose `type` names no command. */
export const unknownCommand = () =>
  RequestError.validation([
    { field: 'type', message: `must be one of ${COMMAND_NAMES.join(', ')}` },
  ]);

function jsonObjectOf(data: RawData, isBinary: boolean): Record<string, unknown> {
  let frame: unknown;
  try {
    frame = isBinary ? undefined : JSON.parse((data as Buffer).toString('utf8'));
  } catch {
    frame = undefined;
  }
  if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) {
    throw RequestError.validation([
      { field: 'frame', message: 'must be a JSON object in a text frame' },
    ]);
  }
  return frame as Record<string, unknown>;
}

/**
 * The frame's `request_id`, echoed in its ack: a short string or a number, so that the echo stays
 * small and serialisable (JSON.stringify overflows its stack on a few thousand nested arrays).
 * Anything else is refused, with an error frame.
 */
function requestIdOf(frame: Record<string, unknown>): string | number | undefined {
  const id = frame.request_id;
  const { min, max } = LIMITS.requestId;
  if (id === undefined || isPlainTextIn(id, min, max)) return id;
  if (typeof id === 'number' && Number.isFinite(id)) return id;
  throw RequestError.validation([
    { field: 'request_id', message: `must be a number or a string of ${min} to ${max} characters` },
  ]);
}
