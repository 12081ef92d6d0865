/**
 * Runs one connection's commands one after another, in the order they arrived, so that a join
 * followed by a send, or two sends, take effect in that order.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/**
 * A Socket.IO socket's command queue, kept on the socket so that the handlers bound by
 * ChatIoAdapter and the gateway's direct ones share it.
 */
export function commandsOf(socket: { data: unknown }): SerialQueue {
  const data = socket.data as { commands?: SerialQueue };
  return (data.commands ??= new SerialQueue());
}
