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
