import { Injectable } from '@nestjs/common';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import { withTimeout } from '../../common/with-timeout';

class ShuttingDownError extends AppError<ErrorCode.ServerShuttingDown> {
  constructor() {
    super(ErrorCode.ServerShuttingDown, 'the server is restarting; reconnect and retry');
  }
}

/**
 * The real-time commands being run, so that shutdown can wait for them: at shutdown new commands
 * and connections are refused while those already running finish, so a message being stored
 * still gets its ack.
 */
@Injectable()
export class RunningCommands {
  private readonly running = new Set<Promise<unknown>>();
  private closing = false;

  /** Throws when the server is stopping: for new connections. */
  assertAccepting(): void {
    if (this.closing) throw new ShuttingDownError();
  }

  run<T>(command: () => Promise<T>): Promise<T> {
    if (this.closing) return Promise.reject(new ShuttingDownError());
    const promise = command();
    this.running.add(promise);
    const forget = () => this.running.delete(promise);
    promise.then(forget, forget);
    return promise;
  }

  /** Refuses new commands and waits (at most timeoutMs) for the running ones. */
  async drain(timeoutMs: number): Promise<void> {
    this.closing = true;
    await withTimeout(Promise.allSettled([...this.running]), timeoutMs, []);
  }
}
