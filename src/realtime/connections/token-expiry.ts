import { Injectable, OnModuleDestroy } from '@nestjs/common';

/** How often expired tokens are looked for: a connection outlives its token by less than this. */
export const EXPIRY_SWEEP_MS = 1_000;

/** A pending expiry, the handle to cancel it with. */
export interface ExpiryHandle {
  readonly expiresAt: number;
  readonly end: () => void;
}

/**
 * Ends connections when their access tokens expire, as HTTP would refuse their next request. One
 * sweep a second serves every connection of the process, rather than a timer each.
 */
@Injectable()
export class TokenExpiry implements OnModuleDestroy {
  private readonly pending = new Set<ExpiryHandle>();
  private sweep?: NodeJS.Timeout;

  /** Calls `end` once `expiresAt` (ms since the epoch) has passed, unless cancelled first. */
  schedule(expiresAt: number, end: () => void): ExpiryHandle {
    const handle = { expiresAt, end };
    this.pending.add(handle);
    this.sweep ??= setInterval(() => this.endExpired(), EXPIRY_SWEEP_MS).unref();
    return handle;
  }

  cancel(handle: ExpiryHandle): void {
    this.pending.delete(handle);
    if (this.pending.size === 0) this.stop();
  }

  onModuleDestroy(): void {
    this.pending.clear();
    this.stop();
  }

  private endExpired(): void {
    const now = Date.now();
    for (const handle of this.pending) {
      if (handle.expiresAt > now) continue;
      this.cancel(handle);
      handle.end();
    }
  }

  private stop(): void {
    clearInterval(this.sweep);
    this.sweep = undefined;
  }
}
