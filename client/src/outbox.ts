import { ErrorCode } from '../../src/common/errors/error-code';
import type { Message } from '../../src/contract/objects';
import type { Clock, Timer } from './clock';
import { errorText } from './error-text';
import { ApiError, NotConnectedError } from './errors';
import type { StoredPending } from './storage';

/** Errors a resend cannot fix. */
const PERMANENT: ReadonlySet<ApiError['code']> = new Set([
  ErrorCode.ValidationFailed,
  ErrorCode.NotAMember,
  ErrorCode.RoomNotFound,
  ErrorCode.Unauthorized,
  ErrorCode.PayloadTooLarge,
  // The message replied to is not in the room (or no longer exists).
  ErrorCode.MessageNotFound,
]);
/** Why a message failed after its last attempt; a new connection tries such messages again. */
const NO_ANSWER = 'the server did not answer';
const MAX_ATTEMPTS = 6;

/** A message of the user's on its way: pending until the server has it, or failed. */
export interface Pending extends StoredPending {
  state: 'pending' | 'failed';
  error?: string;
  attempts: number;
  inFlight: boolean;
  timer?: Timer;
}

export interface OutboxOptions {
  /** The signed-in user, whose messages settle their pending copies. */
  userId: number;
  /** Sends one message with its client_msg_id; resolves with the message as stored. */
  send(pending: StoredPending): Promise<Message>;
  /** The server acknowledged a send with the stored message. */
  delivered(message: Message): void;
  /** A message's state changed (what is shown). */
  changed(): void;
  /** A message was added or removed (what is stored until the next visit). */
  saved(): void;
  newId(): string;
  clock: Clock;
}

/**
 * The messages the user sent that the server has not confirmed. Each is sent with its own
 * client_msg_id, the same on every resend, so that a resend after a lost acknowledgement stores
 * nothing twice; failures that may pass are retried with backoff, and the unsent ones are kept
 * (see `stored`) so that the next visit sends them.
 */
export class Outbox {
  private readonly pending = new Map<string, Pending>();
  private stopped = false;

  /** `stored`: what an earlier visit left unsent, sent again on `flush`. */
  constructor(
    stored: StoredPending[],
    private readonly options: OutboxOptions,
  ) {
    for (const message of stored) {
      this.pending.set(message.cid, { ...message, state: 'pending', attempts: 0, inFlight: false });
    }
  }

  /** The room's messages on their way, oldest first. */
  inRoom(roomId: number): Pending[] {
    return [...this.pending.values()].filter((pending) => pending.roomId === roomId);
  }

  /** What to keep for the next visit. */
  stored(): StoredPending[] {
    return [...this.pending.values()].map(({ cid, roomId, content, createdAt, replyTo }) => ({
      cid,
      roomId,
      content,
      createdAt,
      ...(typeof replyTo === 'number' && { replyTo }),
    }));
  }

  /** Queues a message (answering `replyTo` if given) and sends it. */
  add(roomId: number, content: string, replyTo: number | null = null): void {
    const pending: Pending = {
      cid: this.options.newId(),
      roomId,
      content,
      replyTo,
      createdAt: new Date(this.options.clock.now()).toISOString(),
      state: 'pending',
      attempts: 0,
      inFlight: false,
    };
    this.pending.set(pending.cid, pending);
    this.options.saved();
    this.options.changed();
    void this.attempt(pending);
  }

  /** A message from the server (acknowledged, live or caught up): its pending copy is done. */
  settle(message: Message): void {
    if (!message.client_msg_id || message.user_id !== this.options.userId) return;
    const pending = this.pending.get(message.client_msg_id);
    if (!pending) return;
    this.options.clock.clearTimeout(pending.timer);
    this.pending.delete(message.client_msg_id);
    this.options.saved();
  }

  /** After a (re)connect: sends what is waiting; failures that a connection may fix are retried. */
  flush(includeFailed: boolean): void {
    for (const pending of this.pending.values()) {
      if (pending.inFlight) continue;
      if (pending.state === 'failed' && !includeFailed) continue;
      if (pending.state === 'failed' && pending.error !== NO_ANSWER) continue;
      pending.attempts = 0;
      void this.attempt(pending);
    }
  }

  retry(cid: string): void {
    const pending = this.pending.get(cid);
    if (!pending) return;
    pending.attempts = 0;
    void this.attempt(pending);
  }

  discard(cid: string): void {
    const pending = this.pending.get(cid);
    if (!pending) return;
    this.options.clock.clearTimeout(pending.timer);
    this.pending.delete(cid);
    this.options.saved();
    this.options.changed();
  }

  /** Stops sending; `forget` drops the unsent messages too (an explicit sign-out). */
  stop(forget: boolean): void {
    this.stopped = true;
    for (const pending of this.pending.values()) this.options.clock.clearTimeout(pending.timer);
    if (forget) this.pending.clear();
  }

  private async attempt(pending: Pending): Promise<void> {
    if (pending.inFlight || !this.pending.has(pending.cid) || this.stopped) return;
    this.options.clock.clearTimeout(pending.timer);
    pending.inFlight = true;
    pending.state = 'pending';
    pending.error = undefined;
    this.options.changed();
    try {
      const message = await this.options.send(pending);
      pending.inFlight = false;
      this.options.delivered(message);
    } catch (error) {
      pending.inFlight = false;
      if (!this.pending.has(pending.cid) || this.stopped) return;
      pending.attempts += 1;
      if (error instanceof ApiError && PERMANENT.has(error.code)) {
        this.fail(pending, errorText(error));
      } else if (pending.attempts >= MAX_ATTEMPTS) {
        this.fail(pending, NO_ANSWER);
      } else {
        this.retryLater(pending, error);
      }
    }
  }

  private retryLater(pending: Pending, error: unknown): void {
    const backoff = Math.min(1_000 * 2 ** (pending.attempts - 1), 8_000);
    const retryAfter = error instanceof ApiError ? error.retryAfterMs : undefined;
    // With no connection at all, the reconnect flushes the outbox; this is the fallback.
    const offline =
      error instanceof NotConnectedError ||
      (error instanceof ApiError && error.code === 'network_error');
    pending.timer = this.options.clock.setTimeout(
      () => void this.attempt(pending),
      Math.max(retryAfter ?? backoff, offline ? 2_000 : 0),
    );
  }

  private fail(pending: Pending, error: string): void {
    pending.state = 'failed';
    pending.error = error;
    this.options.changed();
  }
}
