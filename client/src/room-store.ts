import type { ReadEvent } from '../../src/contract/events';
import type { Message, Room } from '../../src/contract/objects';
import type { Timer } from './clock';
import { mentionsMe } from './mentions';
import { changeOf, isNewer } from './message-changes';
import type { Member } from './moderation';
import { isDirect } from './people';
import type { UserMemory } from './storage';

/** What the client knows of one room. */
export interface RoomState {
  room: Room;
  joined: boolean;
  /** Confirmed messages, in id order, once the history has been loaded. */
  messages: Message[];
  loaded: boolean;
  loading: boolean;
  hasOlder: boolean;
  loadingOlder: boolean;
  /** The newest message id seen in this room (0: none). */
  lastId: number;
  /**
   * The highest change_id the client has followed in this room (0: none): every send, edit,
   * deletion and reaction up to it is known, so catching up asks for the changes after it.
   */
  changeId: number;
  /**
   * Messages not read: the server's count (the room list, a `read` event), plus the others' new
   * messages received since while the room was not on screen.
   */
  unread: number;
  /** The same, mentioning the viewer. */
  mentions: number;
  /** The newest message the viewer has read, as far as this client knows (0: none). */
  lastReadId: number;
  /**
   * Where the "New messages" divider goes while the room is on screen: after this id, the read
   * position as it was when the room was entered with unread messages; null for none.
   */
  dividerAfter: number | null;
  members: Member[] | null;
  /** Who is typing, each until their timer ends it (see Activity). */
  typing: Map<number, { username: string; timer: Timer }>;
  /** What the composer held when the user last left the room. */
  draft: string;
  /** The message the next send answers, chosen with its Reply action. */
  replyingTo: Message | null;
}

/** Where a message came from: a live event, a page of `sync`, or the answer to a request. */
export type Source = 'live' | 'sync' | 'ack';

/** What `record` did with a message; undefined when its room is not listed. */
export interface Recorded {
  state: RoomState;
  /** Newer than any message the room had seen. */
  isNew: boolean;
  /** The loaded history now shows it (added, or replaced by this later state). */
  shown: boolean;
}

/**
 * The rooms the user can see and what the client knows of each, with the room on screen: state
 * only, no page and no network, so that it runs anywhere.
 */
export class RoomStore {
  private readonly rooms = new Map<number, RoomState>();
  /** The room on screen. */
  current: number | null = null;
  /** The message being edited in place, if any (one at a time). */
  editing: { roomId: number; messageId: number } | null = null;
  /** Whether the room list has been loaded once. */
  listed = false;
  /** The room opened last, opened first on the next visit. */
  private lastOpened: number | null;
  /** Per room, what was last saved: the newest id seen and the change followed. */
  private remembered: UserMemory['rooms'];

  /** `saved`: what an earlier visit remembered (see `memory`). */
  constructor(
    private readonly meId: number,
    saved: Pick<UserMemory, 'lastRoomId' | 'rooms'>,
  ) {
    this.lastOpened = saved.lastRoomId;
    this.remembered = saved.rooms;
  }

  get(roomId: number): RoomState | undefined {
    return this.rooms.get(roomId);
  }

  all(): RoomState[] {
    return [...this.rooms.values()];
  }

  currentState(): RoomState | null {
    return this.current === null ? null : (this.rooms.get(this.current) ?? null);
  }

  /** The channels the user is in, by name. */
  joined(): RoomState[] {
    return byName(this.all().filter((state) => state.joined && !isDirect(state.room)));
  }

  /** The user's direct rooms, by name (the other person's). */
  directs(): RoomState[] {
    return byName(this.all().filter((state) => state.joined && isDirect(state.room)));
  }

  /** The public rooms the user is not in, by name. */
  others(): RoomState[] {
    return byName(this.all().filter((state) => !state.joined));
  }

  /** The room to open first: the one opened last if the user is still in it, else the first. */
  firstRoom(): number | null {
    const last = this.lastOpened;
    return (
      (last !== null && this.rooms.get(last)?.joined && last) ||
      this.joined()[0]?.room.id ||
      this.directs()[0]?.room.id ||
      null
    );
  }

  /** Unread messages over the rooms the user is in (channels and direct rooms). */
  unreadTotal(): number {
    return this.all().reduce((sum, state) => sum + (state.joined ? state.unread : 0), 0);
  }

  /**
   * Takes the server's room list: known rooms are updated (their history and members kept), new
   * ones start from what an earlier visit saw, rooms no longer listed are dropped. Read state is
   * the server's, unless this client has read further than it knows yet (a `mark_read` on its way).
   */
  update(list: Room[]): void {
    const seen = new Set<number>();
    for (const room of list) {
      seen.add(room.id);
      const known = this.rooms.get(room.id);
      if (known) {
        known.room = room;
        known.joined = room.is_member;
        takeReadState(known, room);
      } else {
        this.rooms.set(room.id, this.fresh(room));
      }
    }
    for (const id of [...this.rooms.keys()]) {
      if (!seen.has(id)) this.rooms.delete(id);
    }
    this.listed = true;
  }

  /** A room the user just created: joined, and with no history to load. */
  addCreated(room: Room): void {
    this.rooms.set(room.id, { ...emptyState(room, true), loaded: true, hasOlder: false });
  }

  /**
   * A room the user can now read (`room_added`, or a direct room they opened): added as joined,
   * or updated in place when known. Returns its state.
   */
  add(room: Room): RoomState {
    const joinedRoom = { ...room, is_member: true };
    const known = this.rooms.get(room.id);
    if (known) {
      known.room = joinedRoom;
      known.joined = true;
      takeReadState(known, joinedRoom);
      return known;
    }
    const state = this.fresh(joinedRoom);
    this.rooms.set(room.id, state);
    return state;
  }

  /** A room first listed in this visit: from what an earlier visit saw, and the server's read state. */
  private fresh(room: Room): RoomState {
    const remembered = this.remembered[room.id];
    const state: RoomState = {
      ...emptyState(room, room.is_member),
      lastId: remembered?.lastId ?? 0,
      changeId: remembered?.changeId ?? 0,
    };
    takeReadState(state, room);
    return state;
  }

  /**
   * The user's read position moved in another tab (`read`): its counts are the server's, unless
   * this client has read further already.
   */
  applyRead(event: ReadEvent): RoomState | undefined {
    const state = this.rooms.get(event.room_id);
    if (!state || event.last_read_id < state.lastReadId) return state;
    state.lastReadId = event.last_read_id;
    state.unread = event.unread_count;
    state.mentions = event.mention_count;
    return state;
  }

  /** The user has seen the room up to `lastReadId` (everything it shows): nothing is unread. */
  markRead(state: RoomState, lastReadId: number): void {
    state.lastReadId = Math.max(state.lastReadId, lastReadId);
    state.unread = 0;
    state.mentions = 0;
  }

  /** The newest confirmed message the room shows (0: none loaded). */
  newestShown(state: RoomState): number {
    return state.loaded ? (state.messages[state.messages.length - 1]?.id ?? 0) : 0;
  }

  /**
   * `room_updated`: the room's own fields (name, description) change, and the viewer's role when
   * the event tells it; their membership and read state stay as this client knows them. Returns
   * the room's state.
   */
  applyRoomUpdate(room: Room): RoomState | undefined {
    const state = this.rooms.get(room.id);
    if (!state) return undefined;
    const { name, description, is_private, member_count, role } = room;
    state.room = {
      ...state.room,
      ...(typeof name === 'string' && { name }),
      ...(typeof description === 'string' && { description }),
      ...(typeof is_private === 'boolean' && { is_private }),
      ...(typeof member_count === 'number' && { member_count }),
      ...(typeof role === 'string' && state.joined && { role }),
    };
    return state;
  }

  remove(roomId: number): void {
    this.rooms.delete(roomId);
  }

  /**
   * Puts a room on screen. With unread messages, the "New messages" divider goes after the read
   * position as it is now; their counts are cleared while the page is visible (the app tells the
   * server what was read once the messages are shown).
   */
  open(roomId: number, pageHidden = false): RoomState | undefined {
    const state = this.rooms.get(roomId);
    if (!state) return undefined;
    if (this.current !== roomId) {
      state.dividerAfter = state.joined && state.unread > 0 ? state.lastReadId : null;
    }
    this.current = roomId;
    this.lastOpened = roomId;
    if (!pageHidden) {
      state.unread = 0;
      state.mentions = 0;
    }
    return state;
  }

  /** The user left a room: a private one is gone from their list (and from the screen). */
  left(state: RoomState): void {
    state.joined = false;
    state.unread = 0;
    state.mentions = 0;
    if (state.room.is_private) {
      this.rooms.delete(state.room.id);
      this.current = null;
    }
  }

  /**
   * Records a confirmed message, new or a later state of one (edited, deleted, reacted to): into
   * the room's history once it is loaded, replacing an older state of it, and as unread (and as a
   * mention, when it names the viewer) when it is someone else's new message received live and
   * the room is not on screen or the page is hidden. Messages caught up on are not counted: the
   * room list fetched on reconnecting counts them already.
   *
   * Live events and sync pages move the room's change cursor; answers to the user's own requests
   * (`ack`) do not, since one may overtake events still on their way (a REST answer while the
   * connection is down): their changes come again as events or in the next catch-up.
   */
  record(message: Message, pageHidden: boolean, source: Source = 'live'): Recorded | undefined {
    const state = this.rooms.get(message.room_id);
    if (!state) return undefined;
    const isNew = message.id > state.lastId;
    const shown = state.loaded && merge(state, message, false);
    if (source !== 'ack') state.changeId = Math.max(state.changeId, changeOf(message));
    if (isNew) {
      state.lastId = message.id;
      const viewing = state.room.id === this.current;
      const unread =
        source === 'live' &&
        state.joined &&
        message.user_id !== this.meId &&
        !message.deleted &&
        message.id > state.lastReadId;
      if (unread && (!viewing || pageHidden)) {
        state.unread += 1;
        if (mentionsMe(message, this.meId)) state.mentions += 1;
      }
    }
    this.follow(state, message);
    return { state, isNew, shown };
  }

  /** The reply being written and the edit under way follow the message they are about. */
  private follow(state: RoomState, message: Message): void {
    const replying = state.replyingTo;
    if (replying?.id === message.id && isNewer(message, replying)) {
      state.replyingTo = message.deleted ? null : message;
    }
    const editing = this.editing;
    if (
      message.deleted &&
      editing?.roomId === message.room_id &&
      editing.messageId === message.id
    ) {
      this.editing = null;
    }
  }

  /** A loaded message of a room, by id; undefined when it is not in the loaded history. */
  find(roomId: number, messageId: number): Message | undefined {
    const list = this.rooms.get(roomId)?.messages ?? [];
    const index = position(list, messageId);
    return list[index]?.id === messageId ? list[index] : undefined;
  }

  /**
   * The newest page of a room's history; `pageSize` tells whether there are older ones. It shows
   * the latest state of the newest messages, so the change cursor starts from it at the latest:
   * changes after it are those of messages that are not loaded, or later ones.
   */
  addLatest(state: RoomState, page: Message[], pageSize: number): void {
    state.hasOlder = page.length === pageSize;
    state.loaded = true;
    for (const message of page) {
      merge(state, message, true);
      state.changeId = Math.max(state.changeId, changeOf(message));
    }
  }

  /**
   * A page of messages older than the room's oldest. It does not move the change cursor: loaded
   * while the connection is down, a later change in it would hide earlier ones missed meanwhile.
   */
  addOlder(state: RoomState, page: Message[], pageSize: number): void {
    state.hasOlder = page.length === pageSize;
    for (const message of page) merge(state, message, true);
  }

  /**
   * The page around a message (a search hit, a reply's parent): it becomes the loaded history
   * unless it joins the history on hand, which keeps its newer part. The newer messages up to the
   * newest are then to be added with `addNewer`; like `addOlder`, neither moves the change cursor.
   * Returns whether newer pages are to be loaded (the page did not join the history).
   */
  addAround(state: RoomState, page: Message[]): boolean {
    const list = state.messages;
    const first = page[0];
    const last = page[page.length - 1];
    const joins =
      state.loaded &&
      list.length > 0 &&
      first !== undefined &&
      last !== undefined &&
      last.id >= list[0].id;
    if (!joins) {
      state.messages = [];
      state.hasOlder = page.length > 0;
    } else if (first.id < list[0].id) {
      state.hasOlder = true;
    }
    state.loaded = true;
    for (const message of page) merge(state, message, true);
    return !joins;
  }

  /** A page of messages newer than the oldest loaded (after `addAround`). */
  addNewer(state: RoomState, page: Message[]): void {
    for (const message of page) merge(state, message, true);
  }

  /** The message to edit in place, or none; returns the message when it can be edited. */
  startEditing(roomId: number, messageId: number): Message | undefined {
    const message = this.find(roomId, messageId);
    this.editing = message && !message.deleted ? { roomId, messageId } : null;
    return this.editing ? message : undefined;
  }

  /** The message being edited in the room on screen, if any. */
  editingHere(): number | null {
    const editing = this.editing;
    return editing && editing.roomId === this.current ? editing.messageId : null;
  }

  /**
   * What to remember until the next visit: the room opened last, and how far the user got in each
   * room they are in. A room listed again later in this visit starts from it too.
   */
  memory(): Pick<UserMemory, 'lastRoomId' | 'rooms'> {
    const rooms: UserMemory['rooms'] = {};
    for (const state of this.rooms.values()) {
      if (state.joined && state.lastId > 0) {
        rooms[state.room.id] = {
          lastId: state.lastId,
          ...(state.changeId > 0 && { changeId: state.changeId }),
        };
      }
    }
    this.remembered = rooms;
    return { lastRoomId: this.lastOpened, rooms };
  }
}

function emptyState(room: Room, joined: boolean): RoomState {
  return {
    room,
    joined,
    messages: [],
    loaded: false,
    loading: false,
    hasOlder: true,
    loadingOlder: false,
    lastId: 0,
    changeId: 0,
    unread: 0,
    mentions: 0,
    lastReadId: 0,
    dividerAfter: null,
    members: null,
    typing: new Map(),
    draft: '',
    replyingTo: null,
  };
}

/**
 * The server's read state of a room the viewer is in, unless this client has read further than
 * it says (a position on its way to the server): then its own zero counts stay.
 */
function takeReadState(state: RoomState, room: Room): void {
  if (!room.is_member || room.last_read_id === null || room.last_read_id === undefined) {
    if (!room.is_member) {
      state.unread = 0;
      state.mentions = 0;
    }
    return;
  }
  if (room.last_read_id < state.lastReadId) return;
  state.lastReadId = room.last_read_id;
  state.unread = room.unread_count ?? 0;
  state.mentions = room.mention_count ?? 0;
}

function byName(states: RoomState[]): RoomState[] {
  return states.sort((a, b) => a.room.name.localeCompare(b.room.name));
}

/**
 * Adds a message to the history in id order, once, or replaces the older state of one it has.
 * Outside a page of history (`fromPage` false), a message older than the loaded history is left
 * out while there is older history to load: it is shown when its page is. Returns whether the
 * history changed.
 */
function merge(state: RoomState, message: Message, fromPage: boolean): boolean {
  const list = state.messages;
  const last = list[list.length - 1];
  let changed = true;
  if (!last || last.id < message.id) {
    list.push(message);
  } else {
    const index = position(list, message.id);
    const known = list[index];
    if (known?.id === message.id) {
      changed = isNewer(message, known);
      if (changed) list[index] = message;
    } else if (index === 0 && state.hasOlder && !fromPage) {
      changed = false;
    } else {
      list.splice(index, 0, message);
    }
  }
  if (message.id > state.lastId) state.lastId = message.id;
  return changed;
}

/** Where `id` is, or would go, in a list in id order (binary search). */
function position(list: Message[], id: number): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (list[middle].id < id) low = middle + 1;
    else high = middle;
  }
  return low;
}
