import { ErrorCode } from '../../src/common/errors/error-code';
import { LIMITS } from '../../src/common/limits';
import type { Message } from '../../src/contract/objects';
import { ApiError } from './errors';
import { plural } from './format';
import { changeOf } from './message-changes';
import type { RoomState, RoomStore } from './room-store';
import type { Transport } from './transport';

/** The largest page the server answers: catching up takes as few requests as it can. */
const SYNC_PAGE = LIMITS.history.max;
/** Pages per room and catch-up; a room further behind is left to its history's paging. */
const MAX_PAGES = 10;

/** Where a room's history stood: its newest message id and the highest change_id followed. */
export interface Cursor {
  lastId: number;
  changeId: number;
}

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
   * events move a room's `lastId` and `changeId` past what was sent or changed while it was down,
   * which must still be fetched.
   */
  cursors(): Map<number, Cursor> {
    return new Map(this.options.store.all().map((state) => [state.room.id, cursorOf(state)]));
  }

  /**
   * Every room the user is in that has a history to continue, each from its cursor (rooms listed
   * since then from where they stand); one run at a time.
   */
  all(cursors: ReadonlyMap<number, Cursor> = this.cursors()): Promise<void> {
    this.running ??= (async () => {
      try {
        const rooms = this.options.store
          .all()
          .filter((state) => state.joined && (state.loaded || state.lastId > 0));
        await Promise.all(
          rooms.map((state) => this.room(state, cursors.get(state.room.id) ?? cursorOf(state))),
        );
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /**
   * What the room missed since `cursor` (by default, where it stands): every change after its
   * change_id (sends, edits, deletions, reactions, oldest change first) once it has followed one,
   * else the messages after its newest id. Pages on while full pages come back.
   */
  async room(state: RoomState, cursor: Cursor = cursorOf(state)): Promise<void> {
    const { transport, userId } = this.options;
    const byChange = cursor.changeId > 0;
    let after = byChange ? cursor.changeId : cursor.lastId;
    for (let page = 0; page < MAX_PAGES; page += 1) {
      let messages: Message[];
      try {
        messages = byChange
          ? await transport.changesAfter(state.room.id, after, SYNC_PAGE)
          : await transport.messagesAfter(state.room.id, after, SYNC_PAGE);
      } catch (error) {
        if (error instanceof ApiError && error.code === ErrorCode.RoomNotFound) {
          this.options.roomGone();
        }
        return;
      }
      for (const message of messages) this.options.receive(message);
      const last = messages.at(-1);
      if (last) after = Math.max(after, byChange ? changeOf(last) : last.id);
      // Edits of messages seen before are not news; new messages from the others are.
      const fromOthers = messages.filter(
        (message) => message.id > cursor.lastId && message.user_id !== userId && !message.deleted,
      ).length;
      if (fromOthers > 0) {
        this.options.announce(
          `${plural(fromOthers, 'new message', 'new messages')} in ${state.room.name}`,
        );
      }
      if (messages.length < SYNC_PAGE) return;
    }
  }
}

function cursorOf(state: RoomState): Cursor {
  return { lastId: state.lastId, changeId: state.changeId };
}
