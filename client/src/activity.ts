import type { PresenceEvent, TypingEvent } from '../../src/contract/events';
import type { Clock, Timer } from './clock';
import type { RoomState, RoomStore } from './room-store';

/** How long someone shows as typing without a new notice. */
const TYPING_SHOWN_MS = 6_000;
/** How often the user's typing is told again while it goes on, and when it counts as stopped. */
const TYPING_REPEAT_MS = 3_000;
const TYPING_IDLE_MS = 4_000;

export interface ActivityOptions {
  userId: number;
  store: RoomStore;
  clock: Clock;
  /** Tells the room the user is typing or stopped (dropped while disconnected). */
  notifyTyping(roomId: number, isTyping: boolean): void;
  changed(): void;
}

/** Who is typing and who is online: the others' as events tell, and the user's own typing. */
export class Activity {
  /** The room told that the user is typing, and when. */
  private typingRoom: number | null = null;
  private typingSentAt = 0;
  private typingIdle?: Timer;

  constructor(private readonly options: ActivityOptions) {}

  onTyping(event: TypingEvent): void {
    const state = this.options.store.get(event.room_id);
    if (!state || event.user_id === this.options.userId) return;
    this.clearTyping(state, event.user_id);
    if (event.is_typing) {
      const timer = this.options.clock.setTimeout(() => {
        state.typing.delete(event.user_id);
        this.options.changed();
      }, TYPING_SHOWN_MS);
      state.typing.set(event.user_id, { username: event.username, timer });
    }
    this.options.changed();
  }

  /** Someone stopped typing without saying so: they sent their message, or left. */
  clearTyping(state: RoomState, userId: number): void {
    const typing = state.typing.get(userId);
    if (!typing) return;
    this.options.clock.clearTimeout(typing.timer);
    state.typing.delete(userId);
  }

  onPresence(event: PresenceEvent): void {
    for (const state of this.options.store.all()) {
      const member = state.members?.find((user) => user.id === event.user_id);
      if (member) member.online = event.online;
    }
    this.options.changed();
  }

  /** The user's draft in the room on screen changed. */
  composing(text: string): void {
    const state = this.options.store.currentState();
    if (!state || !state.joined) return;
    if (text.trim().length === 0) {
      this.stopTyping();
      return;
    }
    const { clock } = this.options;
    const now = clock.now();
    const roomId = state.room.id;
    if (this.typingRoom !== roomId || now - this.typingSentAt > TYPING_REPEAT_MS) {
      if (this.typingRoom !== null && this.typingRoom !== roomId) this.stopTyping();
      this.options.notifyTyping(roomId, true);
      this.typingRoom = roomId;
      this.typingSentAt = now;
    }
    clock.clearTimeout(this.typingIdle);
    this.typingIdle = clock.setTimeout(() => this.stopTyping(), TYPING_IDLE_MS);
  }

  stopTyping(): void {
    this.options.clock.clearTimeout(this.typingIdle);
    if (this.typingRoom === null) return;
    this.options.notifyTyping(this.typingRoom, false);
    this.typingRoom = null;
  }

  /** Tells the room the user stopped typing, and ends every timer. */
  stop(): void {
    this.stopTyping();
    for (const state of this.options.store.all()) {
      for (const typing of state.typing.values()) this.options.clock.clearTimeout(typing.timer);
    }
  }
}
