import { ErrorCode } from '../../src/common/errors/error-code';
import { LIMITS } from '../../src/common/limits';
import type { Message } from '../../src/contract/objects';
import { ApiError } from './errors';
import { plural } from './format';
import type { RoomState, RoomStore } from './room-store';
import type { Transport } from './transport';

/** The largest page the server answers: catching up takes as few requests as it can. */
const SYNC_PAGE = LIMITS.history.max;
/** Pages per room and catch-up; a room further behind is left to its history's paging. */
const MAX_PAGES = 10;

export interface CatchUpOptions {
  userId: number;
  store: RoomStore;
  transport: Transport;
  /** A message caught up on. */
  receive(message: Message): void;
  /** Tells screen readers. */
  announce(text: string): void;
  /** A room turned out to be gone: the room list is out of date. */
  roomGone(): void;
}

/** Fetches what was missed, after a reconnect or between visits, room by room. */
export class CatchUp {
  private running: Promise<void> | null = null;

  constructor(private readonly options: CatchUpOptions) {}

  /**
   * Where each room's history stood, to be taken the moment a connection opens: from then on live
   * messages move a room's `lastId` past those sent while it was down, which must still be fetched.
   */
  cursors(): Map<number, number> {
    return new Map(this.options.store.all().map((state) => [state.room.id, state.lastId]));
  }

  /**
   * Every room the user is in that has a history to continue, each from its cursor (rooms listed
   * since then from their `lastId`); one run at a time.
   */
  all(cursors: ReadonlyMap<number, number> = this.cursors()): Promise<void> {
    this.running ??= (async () => {
      try {
        const rooms = this.options.store
          .all()
          .filter((state) => state.joined && (state.loaded || state.lastId > 0));
        await Promise.all(
          rooms.map((state) => this.room(state, cursors.get(state.room.id) ?? state.lastId)),
        );
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /** The room's messages after `after` (by default, the newest it has seen). */
  async room(state: RoomState, after = state.lastId): Promise<void> {
    const { transport, userId } = this.options;
    for (let page = 0; page < MAX_PAGES; page += 1) {
      let messages: Message[];
      try {
        messages = await transport.messagesAfter(state.room.id, after, SYNC_PAGE);
      } catch (error) {
        if (error instanceof ApiError && error.code === ErrorCode.RoomNotFound) {
          this.options.roomGone();
        }
        return;
      }
      for (const message of messages) this.options.receive(message);
      after = messages.at(-1)?.id ?? after;
      const fromOthers = messages.filter((message) => message.user_id !== userId).length;
      if (fromOthers > 0) {
        this.options.announce(
          `${plural(fromOthers, 'new message', 'new messages')} in ${state.room.name}`,
        );
      }
      if (messages.length < SYNC_PAGE) return;
    }
  }
}
