import { Injectable } from '@nestjs/common';

type EndedListener = (sessionIds: readonly string[]) => void;

/**
 * News of ended sessions, for every server process: each drops them from its caches and closes
 * their connections. With Redis it reaches the other processes; alone, this one.
 */
export abstract class SessionRevocations {
  private readonly endedListeners: EndedListener[] = [];
  private readonly missedListeners: (() => void)[] = [];

  /** Tells this process's listeners at once, then the other processes'. */
  abstract publish(sessionIds: readonly string[]): Promise<void>;

  /** Called with the ids of ended sessions, this process's and the others'. */
  onEnded(listener: EndedListener): void {
    this.endedListeners.push(listener);
  }

  /** Called when news may have been lost (Redis was down): what was known live is checked again. */
  onMissed(listener: () => void): void {
    this.missedListeners.push(listener);
  }

  protected notifyEnded(sessionIds: readonly string[]): void {
    for (const listener of this.endedListeners) listener(sessionIds);
  }

  protected notifyMissed(): void {
    for (const listener of this.missedListeners) listener();
  }
}

@Injectable()
export class LocalSessionRevocations extends SessionRevocations {
  async publish(sessionIds: readonly string[]): Promise<void> {
    this.notifyEnded(sessionIds);
  }
}
