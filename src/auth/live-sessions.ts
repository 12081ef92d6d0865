/** How long a session confirmed live is taken as live before the store is asked (and told) again. */
export const CONFIRM_INTERVAL_MS = 60_000;
/** How many confirmed sessions a process remembers. */
const DEFAULT_CAPACITY = 10_000;

/**
 * What this process knows of sessions, so that checking one costs no query per request: those the
 * store confirmed live in the last CONFIRM_INTERVAL_MS (with their user), and those known to have
 * ended. An ended session stays marked so for `endedFor` ms (the tokens' lifetime, after which its
 * tokens are refused anyway): a confirmation from the store that was read before the session
 * ended, and arrives after, must not bring it back.
 */
export class LiveSessions {
  private readonly confirmed = new Map<string, { userId: number; at: number }>();
  /** Ended session ids and until when they are remembered, oldest first. */
  private readonly ended = new Map<string, number>();

  constructor(
    private readonly endedFor: number,
    private readonly capacity = DEFAULT_CAPACITY,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** The session's user, when it was confirmed live recently and has not ended since. */
  userOf(id: string): number | undefined {
    const entry = this.confirmed.get(id);
    if (entry === undefined || this.now() - entry.at >= CONFIRM_INTERVAL_MS) return undefined;
    return entry.userId;
  }

  hasEnded(id: string): boolean {
    return this.ended.has(id);
  }

  /**
   * Remembers that the store has just answered the session live (or, if it has ended in the
   * meantime, does not, and answers false).
   */
  confirm(id: string, userId: number): boolean {
    if (this.ended.has(id)) return false;
    this.confirmed.delete(id);
    if (this.confirmed.size >= this.capacity) {
      this.confirmed.delete(this.confirmed.keys().next().value!);
    }
    this.confirmed.set(id, { userId, at: this.now() });
    return true;
  }

  end(ids: readonly string[]): void {
    const now = this.now();
    for (const [id, until] of this.ended) {
      if (until > now) break;
      this.ended.delete(id);
    }
    for (const id of ids) {
      this.confirmed.delete(id);
      this.ended.delete(id);
      this.ended.set(id, now + this.endedFor);
    }
  }

  /** Forgets every confirmation, as when news of ended sessions may have been missed. */
  forgetConfirmed(): void {
    this.confirmed.clear();
  }
}
