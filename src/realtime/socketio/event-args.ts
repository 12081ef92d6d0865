/** A client event as handlers take it: the payload, and the acknowledgement if the client asked for one. */
export interface EventArgs {
  payload: unknown;
  ack?: (answer: unknown) => void;
}

/**
 * Splits a Socket.IO event's arguments as Nest's IoAdapter does: a trailing function is the
 * acknowledgement; the payload is the one argument before it, or all of them.
 */
export function eventArgs(args: readonly unknown[]): EventArgs {
  const last = args[args.length - 1];
  const ack = typeof last === 'function' ? (last as (answer: unknown) => void) : undefined;
  const data = ack ? args.slice(0, -1) : args;
  return { payload: data.length === 1 ? data[0] : data.length === 0 ? undefined : data, ack };
}
