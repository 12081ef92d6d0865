import type { Clock, Timer } from './clock';

/** How long read positions are gathered before they are told to the server. */
export const READ_DELAY_MS = 1_000;

export interface ReadMarkerOptions {
  clock: Clock;
  /** Tells the server how far the user read in a room (`mark_read`, or REST). */
  send(roomId: number, lastReadId: number): Promise<void>;
}

/**
 * Tells the server how far the user has read, sparingly: positions are gathered for a moment
 * (messages arriving in an open room make one `mark_read`, not one each), never told twice, and
 * never moved back. `flush` tells at once (the page is hidden, the user leaves the room).
 */
export class ReadMarker {
  /** The position each room should be told, waiting for the timer. */
  private readonly pending = new Map<number, number>();
  /** The furthest position told (or known to the server) per room. */
  private readonly told = new Map<number, number>();
  private timer?: Timer;
  private stopped = false;

  constructor(private readonly options: ReadMarkerOptions) {}

  /** The server knows the user read `roomId` up to `lastReadId` (the room list, a `read` event). */
  known(roomId: number, lastReadId: number): void {
    if (lastReadId > (this.told.get(roomId) ?? 0)) this.told.set(roomId, lastReadId);
    const waiting = this.pending.get(roomId);
    if (waiting !== undefined && waiting <= lastReadId) this.pending.delete(roomId);
  }

  /** The user has seen `roomId` up to `lastReadId`: told within READ_DELAY_MS, unless known. */
  read(roomId: number, lastReadId: number): void {
    if (this.stopped || lastReadId <= 0) return;
    if (lastReadId <= (this.told.get(roomId) ?? 0)) return;
    if (lastReadId <= (this.pending.get(roomId) ?? 0)) return;
    this.pending.set(roomId, lastReadId);
    this.timer ??= this.options.clock.setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, READ_DELAY_MS);
  }

  /** Tells every waiting position now. */
  flush(): void {
    this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
    for (const [roomId, lastReadId] of [...this.pending]) {
      this.pending.delete(roomId);
      const before = this.told.get(roomId) ?? 0;
      if (lastReadId <= before) continue;
      this.told.set(roomId, lastReadId);
      this.options.send(roomId, lastReadId).catch(() => {
        // Told again by the next read of the room, unless something further was told since.
        if (this.told.get(roomId) === lastReadId) this.told.set(roomId, before);
      });
    }
  }

  /** Whether a position is waiting to be told. */
  get waiting(): boolean {
    return this.pending.size > 0;
  }

  /** Tells what is waiting, then nothing more (the session ends). */
  stop(): void {
    this.flush();
    this.stopped = true;
  }
}
