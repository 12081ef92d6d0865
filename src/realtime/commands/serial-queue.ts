/**
 * Runs one connection's commands one after another, in the order they arrived, so that a join
 * followed by a send, or two sends, take effect in that order.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;

  run<T>(task: () => Promise<T>): Promise<T> {
    // Nothing queued (the common case): start at once, without waiting a turn for the tail.
    const result = this.pending === 0 ? start(task) : this.tail.then(task, task);
    this.pending += 1;
    const settled = () => {
      this.pending -= 1;
    };
    this.tail = result.then(settled, settled);
    return result;
  }
}

/** The task's promise, also when it throws before returning one. */
function start<T>(task: () => Promise<T>): Promise<T> {
  try {
    return task();
  } catch (error) {
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passed on as thrown
    return Promise.reject(error);
  }
}
