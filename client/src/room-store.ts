import type { Message, Room, User } from '../../src/contract/objects';
import type { Timer } from './clock';
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
  unread: number;
  members: User[] | null;
  /** Who is typing, each until their timer ends it (see Activity). */
  typing: Map<number, { username: string; timer: Timer }>;
  /** What the composer held when the user last left the room. */
  draft: string;
  /** The message the next send answers, chosen with its Reply action. */
  replyingTo: Message | null;
}

/**
 * The rooms the user can see and what the client knows of each, with the room on screen: state
 * only, no page and no network, so that it runs anywhere.
 */
export class RoomStore {
  private readonly rooms = new Map<number, RoomState>();
  /** The room on screen. */
  current: number | null = null;
  /** Whether the room list has been loaded once. */
  listed = false;
  /** The room opened last, opened first on the next visit. */
  private lastOpened: number | null;
  /** Per room, what was last saved: the newest id seen and the unread count. */
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

  /** The rooms the user is in, by name. */
  joined(): RoomState[] {
    return byName(this.all().filter((state) => state.joined));
  }

  /** The public rooms the user is not in, by name. */
  others(): RoomState[] {
    return byName(this.all().filter((state) => !state.joined));
  }

  /** The room to open first: the one opened last if the user is still in it, else the first. */
  firstRoom(): number | null {
    const last = this.lastOpened;
    return (
      (last !== null && this.rooms.get(last)?.joined && last) || this.joined()[0]?.room.id || null
    );
  }

  /** Unread messages over the rooms the user is in. */
  unreadTotal(): number {
    return this.all().reduce((sum, state) => sum + (state.joined ? state.unread : 0), 0);
  }

  /**
   * Takes the server's room list: known rooms are updated (their history and members kept), new
   * ones start from what an earlier visit saw, rooms no longer listed are dropped.
   */
  update(list: Room[]): void {
    const seen = new Set<number>();
    for (const room of list) {
      seen.add(room.id);
      const known = this.rooms.get(room.id);
      if (known) {
        known.room = room;
        known.joined = room.is_member;
      } else {
        const remembered = this.remembered[room.id];
        this.rooms.set(room.id, {
          ...emptyState(room, room.is_member),
          lastId: remembered?.lastId ?? 0,
          unread: remembered?.unread ?? 0,
        });
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

  remove(roomId: number): void {
    this.rooms.delete(roomId);
  }

  /** Puts a room on screen: what it had unread is read. */
  open(roomId: number): RoomState | undefined {
    const state = this.rooms.get(roomId);
    if (!state) return undefined;
    this.current = roomId;
    this.lastOpened = roomId;
    state.unread = 0;
    return state;
  }

  /** The user left a room: a private one is gone from their list (and from the screen). */
  left(state: RoomState): void {
    state.joined = false;
    state.unread = 0;
    if (state.room.is_private) {
      this.rooms.delete(state.room.id);
      this.current = null;
    }
  }

  /**
   * Records a confirmed message (live, caught up or acknowledged): into the room's history once it
   * is loaded, and as unread when it is someone else's and the room is not on screen or the page is
   * hidden. `isNew` says whether it is newer than any the room had seen; undefined when the room is
   * not listed.
   */
  record(message: Message, pageHidden: boolean): { state: RoomState; isNew: boolean } | undefined {
    const state = this.rooms.get(message.room_id);
    if (!state) return undefined;
    const isNew = message.id > state.lastId;
    if (state.loaded) merge(state, message);
    if (isNew) {
      state.lastId = message.id;
      const viewing = state.room.id === this.current;
      if (message.user_id !== this.meId && (!viewing || pageHidden)) state.unread += 1;
    }
    return { state, isNew };
  }

  /** A loaded message of a room, by id; undefined when it is not in the loaded history. */
  find(roomId: number, messageId: number): Message | undefined {
    const list = this.rooms.get(roomId)?.messages ?? [];
    const index = position(list, messageId);
    return list[index]?.id === messageId ? list[index] : undefined;
  }

  /** The newest page of a room's history; `pageSize` tells whether there are older ones. */
  addLatest(state: RoomState, page: Message[], pageSize: number): void {
    state.hasOlder = page.length === pageSize;
    state.loaded = true;
    for (const message of page) merge(state, message);
  }

  /** A page of messages older than the room's oldest. */
  addOlder(state: RoomState, page: Message[], pageSize: number): void {
    state.hasOlder = page.length === pageSize;
    for (const message of page) merge(state, message);
  }

  /**
   * What to remember until the next visit: the room opened last, and how far the user got in each
   * room they are in. A room listed again later in this visit starts from it too.
   */
  memory(): Pick<UserMemory, 'lastRoomId' | 'rooms'> {
    const rooms: UserMemory['rooms'] = {};
    for (const state of this.rooms.values()) {
      if (state.joined && state.lastId > 0) {
        rooms[state.room.id] = { lastId: state.lastId, unread: state.unread };
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
    unread: 0,
    members: null,
    typing: new Map(),
    draft: '',
    replyingTo: null,
  };
}

function byName(states: RoomState[]): RoomState[] {
  return states.sort((a, b) => a.room.name.localeCompare(b.room.name));
}

/** Adds a message to the history in id order, once. */
function merge(state: RoomState, message: Message): void {
  const list = state.messages;
  const last = list[list.length - 1];
  if (!last || last.id < message.id) {
    list.push(message);
  } else {
    const low = position(list, message.id);
    if (list[low]?.id !== message.id) list.splice(low, 0, message);
  }
  if (message.id > state.lastId) state.lastId = message.id;
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
