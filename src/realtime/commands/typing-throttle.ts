import { Injectable } from '@nestjs/common';

/**
 * How often a user's "is typing" in one room is passed on: a start at most once per interval
 * (clients repeat it every 3 s while typing, and show it for 6 s), a stop only when it ends a
 * start that was passed on. So a user costs each room at most two typing events per interval,
 * however many they send; the rest are acknowledged and dropped.
 */
export const TYPING_INTERVAL_MS = 2_500;
/** How long a passed-on start is remembered, so that its stop can still be passed on. */
export const TYPING_MEMORY_MS = 30_000;

/** What was last passed on for a user in a room. */
export interface TypingState {
  /** Whether the last event passed on was a start. */
  shown: boolean;
  /** When the last start was passed on (ms). */
  startedAt: number;
}

/** Whether to pass an event on, and the state after it (unchanged when dropped). */
export function typingDecision(
  previous: TypingState | undefined,
  isTyping: boolean,
  now: number,
): { pass: boolean; next: TypingState | undefined } {
  if (isTyping) {
    const pass = previous === undefined || now - previous.startedAt >= TYPING_INTERVAL_MS;
    return { pass, next: pass ? { shown: true, startedAt: now } : previous };
  }
  const pass = previous?.shown === true;
  return { pass, next: pass ? { shown: false, startedAt: previous.startedAt } : previous };
}

/** Decides which typing events reach the room (see TYPING_INTERVAL_MS). */
export abstract class TypingThrottle {
  abstract admit(userId: number, roomId: number, isTyping: boolean): Promise<boolean>;
}

/** The typing state of this process's users. */
@Injectable()
export class LocalTypingThrottle extends TypingThrottle {
  private readonly states = new Map<string, TypingState>();

  async admit(
    userId: number,
    roomId: number,
    isTyping: boolean,
    now = Date.now(),
  ): Promise<boolean> {
    const key = `${userId}:${roomId}`;
    const { pass, next } = typingDecision(this.states.get(key), isTyping, now);
    if (pass) {
      this.states.set(key, next!);
      this.sweep(now);
    }
    return pass;
  }

  /** Forgets states older than TYPING_MEMORY_MS, now and then, so the map stays small. */
  private sweep(now: number): void {
    if (this.states.size < 10_000) return;
    for (const [key, state] of this.states) {
      if (now - state.startedAt > TYPING_MEMORY_MS) this.states.delete(key);
    }
  }
}
