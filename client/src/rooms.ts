import { ErrorCode } from '../../src/common/errors/error-code';
import { LIMITS } from '../../src/common/limits';
import type { MemberEvent } from '../../src/contract/events';
import type { Room, User } from '../../src/contract/objects';
import type { Activity } from './activity';
import type { Api } from './api';
import type { CatchUp } from './catch-up';
import type { Timer } from './clock';
import type { Composer } from './composer';
import type { Dialogs } from './dialogs';
import type { Elements } from './elements';
import { ApiError } from './errors';
import { isMobile, type Layout } from './layout';
import type { Names } from './names';
import { isDirect } from './people';
import { announce, showError, toast } from './notify';
import type { RoomState, RoomStore } from './room-store';
import type { Renderer } from './renderer';

/** A page of history. */
const PAGE = LIMITS.history.default;
/** Pages after a page around a message, to reach the newest (the largest the server answers). */
const NEWER_PAGE = LIMITS.history.max;
const MAX_NEWER_PAGES = 10;
/** A focused window refreshes the room list when it is older than this. */
const STALE_LIST_MS = 15_000;

export interface RoomsOptions {
  me: User;
  api: Api;
  store: RoomStore;
  el: Elements;
  renderer: Renderer;
  layout: Layout;
  composer: Composer;
  dialogs: Dialogs;
  catchUp: CatchUp;
  activity: Activity;
  names: Names;
  /** A room is gone for the user (left, removed, banned, deleted): what shows it closes. */
  roomGone(roomId: number): void;
  /** Whether Socket.IO is connected. */
  connected(): boolean;
  /** What the store remembers changed. */
  saveSoon(): void;
  /** The open room's messages are shown: what it shows is read, if the page is visible. */
  seen(): void;
}

/**
 * The user's rooms: the room list, opening a room and paging its history, joining and leaving,
 * and the open room's members, kept current by the membership events.
 */
export class Rooms {
  private stopped = false;
  private lastRefresh = 0;
  private refreshTimer?: Timer;
  private membersTimer?: Timer;
  /** The load of older history under way. */
  private older?: Promise<void>;
  /** Rooms the user was added to by someone else, announced once the room list has them. */
  private readonly addedTo = new Set<number>();
  /** The room this tab is leaving: its `room_removed` is this tab's own doing. */
  private leaving: number | null = null;
  /** A direct room is being opened from here: its `room_added` is no news. */
  private startingDirect = 0;

  constructor(private readonly options: RoomsOptions) {}

  stop(): void {
    this.stopped = true;
    clearTimeout(this.refreshTimer);
    clearTimeout(this.membersTimer);
  }

  refreshSoon(): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => void this.refresh(), 200);
  }

  refreshIfStale(): void {
    if (Date.now() - this.lastRefresh > STALE_LIST_MS) void this.refresh();
  }

  async refresh(): Promise<void> {
    const { store, me } = this.options;
    this.lastRefresh = Date.now();
    let list: Room[];
    try {
      list = await this.options.api.rooms();
    } catch (error) {
      if (!store.listed) showError(error, 'Could not load the rooms');
      return;
    }
    if (this.stopped) return;
    store.update(list);
    for (const roomId of this.addedTo) {
      const room = store.get(roomId)?.room;
      if (room && room.created_by !== me.id) {
        toast(`You were added to ${room.name}`);
        announce(`You were added to ${room.name}`);
      }
    }
    this.addedTo.clear();
    if (store.current !== null && !store.get(store.current)) this.moveOn();
    this.options.renderer.changed();
    this.options.seen();
    if (this.options.connected()) void this.options.catchUp.all();
  }

  /** The open room is gone: opens the first room the user is in, or none. */
  private moveOn(): void {
    const { store } = this.options;
    store.current = null;
    const next = store.firstRoom();
    if (next !== null) void this.open(next, { focus: false });
    else this.options.renderer.changed();
  }

  async open(roomId: number, options: { focus: boolean }): Promise<void> {
    const { store, renderer, composer } = this.options;
    const previous = store.currentState();
    if (previous) previous.draft = composer.text;
    this.options.activity.stopTyping();
    const backlog = store.get(roomId)?.unread ?? 0;
    const state = store.open(roomId, document.hidden);
    if (!state) return;
    composer.replace(state.draft);
    renderer.scroll(state.dividerAfter !== null ? 'new' : 'bottom');
    renderer.changed();
    renderer.renderNow();
    if (isMobile()) this.options.layout.setSidebarOpen(false);
    if (options.focus && state.joined) composer.focus();
    this.loadMembersSoon(0);
    // More unread than the newest page holds: the history opens at the divider instead.
    if (!state.loaded && state.dividerAfter !== null && state.dividerAfter > 0 && backlog >= PAGE) {
      await this.loadAround(state, state.dividerAfter);
      if (store.current === state.room.id) renderer.scroll('new');
      renderer.renderNow();
    } else if (!state.loaded) await this.loadLatest(state);
    // Rooms the user reads without being a member get no live events: catch up on entering.
    else if (!state.joined) await this.options.catchUp.room(state);
    this.options.seen();
  }

  /** Opens a room at one of its messages (a search hit), marked for a moment. */
  async openAt(roomId: number, messageId: number): Promise<void> {
    const { store } = this.options;
    if (!store.get(roomId)) await this.refresh();
    if (!store.get(roomId)) {
      toast('That room is no longer available', 'error');
      return;
    }
    if (store.current !== roomId) await this.open(roomId, { focus: false });
    if (store.current === roomId) await this.reveal(messageId);
  }

  /** Opens the direct room with `username` (made on first use); rejects when it cannot. */
  async startDirect(username: string): Promise<void> {
    const { store } = this.options;
    this.startingDirect += 1;
    try {
      const room = await this.options.api.directRoom(username);
      store.add(room);
      this.options.renderer.changed();
      await this.open(room.id, { focus: !isMobile() });
    } finally {
      this.startingDirect -= 1;
    }
  }

  /** `room_added`: a room the user can now read (a direct room, an invitation), live. */
  onRoomAdded(room: Room): void {
    const { store, me } = this.options;
    const known = store.get(room.id);
    const wasJoined = known?.joined ?? false;
    store.add(room);
    if (!wasJoined) {
      const news = isDirect(room)
        ? this.startingDirect === 0
          ? `New conversation with ${room.name}`
          : null
        : room.created_by !== me.id && !known
          ? `You were added to ${room.name}`
          : null;
      this.addedTo.delete(room.id);
      if (news) {
        toast(news);
        announce(news);
      }
    }
    this.options.renderer.changed();
    if (store.current === null && store.listed) void this.open(room.id, { focus: false });
  }

  /**
   * `room_removed`: the user left (maybe in another tab), was removed or banned, or the room was
   * deleted: it leaves the list (and the screen), with a notice.
   */
  onRoomRemoved(roomId: number): void {
    const { store } = this.options;
    const state = store.get(roomId);
    if (!state?.joined || this.leaving === roomId) return;
    const wasOpen = store.current === roomId;
    store.left(state);
    const notice = `You are no longer a member of ${state.room.name}.`;
    toast(notice);
    announce(notice);
    this.options.roomGone(roomId);
    if (wasOpen) this.moveOn();
    this.options.renderer.changed();
    // A public room stays to be found again, unless it was deleted: the list says which.
    this.refreshSoon();
  }

  /** The user deleted a room: it leaves the list at once (its `room_removed` is no news). */
  deleted(room: Room): void {
    const { store } = this.options;
    const wasOpen = store.current === room.id;
    store.remove(room.id);
    toast(`${room.name} was deleted`);
    announce(`${room.name} was deleted`);
    if (wasOpen) this.moveOn();
    this.options.renderer.changed();
  }

  /** `room_updated`: a room was renamed or described anew. */
  onRoomUpdated(room: Room): void {
    if (this.options.store.applyRoomUpdate(room)) this.options.renderer.changed();
  }

  /** Loads the page before the oldest loaded message; a call while one loads waits for it. */
  loadOlder(): Promise<void> {
    this.older ??= this.loadOlderPage().then((roomId) => {
      this.older = undefined;
      // Once this load has ended, so that the next one is a load of its own.
      if (roomId !== null && this.options.store.current === roomId) this.fillViewport();
    });
    return this.older;
  }

  /**
   * Brings a message of the open room into view (a reply's quote was clicked, a search hit was
   * chosen): when it is not loaded, the page around it is (then the newer ones, so that the
   * history stays whole up to the newest).
   */
  async reveal(messageId: number): Promise<void> {
    const { store, renderer } = this.options;
    const state = store.currentState();
    if (!state) return;
    if (!store.find(state.room.id, messageId)) {
      await this.loadAround(state, messageId);
      if (this.stopped || store.current !== state.room.id) return;
    }
    if (!renderer.reveal(messageId)) toast('That message is no longer available', 'error');
  }

  /** Loads the page around a message, then the newer pages up to the newest. */
  private async loadAround(state: RoomState, messageId: number): Promise<void> {
    const { store, renderer, api } = this.options;
    const roomId = state.room.id;
    state.loading = true;
    renderer.changed();
    try {
      const page = await api.messages(roomId, { around: messageId, limit: PAGE });
      let newer = store.addAround(state, page);
      let after = page[page.length - 1]?.id;
      for (let count = 0; newer && after !== undefined && count < MAX_NEWER_PAGES; count += 1) {
        const next = await api.messages(roomId, { after, limit: NEWER_PAGE });
        store.addNewer(state, next);
        after = next[next.length - 1]?.id ?? after;
        newer = next.length === NEWER_PAGE;
      }
    } catch (error) {
      showError(error, 'Could not load the message');
    } finally {
      state.loading = false;
      renderer.changed();
    }
    renderer.renderNow();
  }

  /** Returns the room whose older page it tried to load, or null when there was nothing to load. */
  private async loadOlderPage(): Promise<number | null> {
    const { store, renderer } = this.options;
    const state = store.currentState();
    if (!state || !state.loaded || !state.hasOlder || state.loadingOlder) return null;
    const oldest = state.messages[0];
    if (!oldest) {
      state.hasOlder = false;
      renderer.changed();
      return null;
    }
    state.loadingOlder = true;
    renderer.changed();
    try {
      const page = await this.options.api.messages(state.room.id, {
        before: oldest.id,
        limit: PAGE,
      });
      store.addOlder(state, page, PAGE);
      if (store.current === state.room.id) renderer.scroll('prepend');
    } catch (error) {
      showError(error, 'Could not load earlier messages');
    } finally {
      state.loadingOlder = false;
      renderer.changed();
    }
    renderer.renderNow();
    return state.room.id;
  }

  async join(): Promise<void> {
    const { store, renderer, el } = this.options;
    const state = store.currentState();
    if (!state) return;
    el.joinButton.disabled = true;
    try {
      state.room = await this.options.api.join(state.room.id);
      state.joined = true;
      state.members = null;
      this.loadMembersSoon(0);
      announce(`You joined ${state.room.name}`);
      renderer.changed();
      renderer.renderNow();
      this.options.composer.focus();
    } catch (error) {
      showError(error, 'Could not join the room');
    } finally {
      el.joinButton.disabled = false;
    }
  }

  async leave(): Promise<void> {
    const { store } = this.options;
    const state = store.currentState();
    if (!state) return;
    if (state.room.is_private) {
      const ok = await this.options.dialogs.confirm(
        `Leave the private room “${state.room.name}”? You will need an invitation to come back.`,
        'Leave room',
      );
      if (!ok) return;
    }
    this.leaving = state.room.id;
    try {
      await this.options.api.leave(state.room.id);
      store.left(state);
      toast(`You left ${state.room.name}`);
      if (state.room.is_private) {
        this.moveOn();
      } else {
        state.members = null;
        this.loadMembersSoon(0);
      }
      this.options.renderer.changed();
    } catch (error) {
      showError(error, 'Could not leave the room');
    } finally {
      this.leaving = null;
    }
  }

  loadMembersSoon(delay = 300): void {
    clearTimeout(this.membersTimer);
    this.membersTimer = setTimeout(() => void this.loadMembers(), delay);
  }

  onJoined(event: MemberEvent): void {
    const { store } = this.options;
    const state = store.get(event.room_id);
    if (event.user_id === this.options.me.id) {
      if (!state || !state.joined) {
        // Invited to a private room (or joined elsewhere): the next room list tells which.
        if (!state) this.addedTo.add(event.room_id);
        this.refreshSoon();
      }
      return;
    }
    if (!state) return;
    if (state.members && !state.members.some((member) => member.id === event.user_id)) {
      state.room.member_count += 1;
    }
    if (state.room.id === store.current) this.loadMembersSoon();
    else state.members = null;
    this.options.renderer.changed();
  }

  onLeft(event: MemberEvent): void {
    const state = this.options.store.get(event.room_id);
    if (event.user_id === this.options.me.id) {
      this.refreshSoon();
      return;
    }
    if (!state) return;
    if (state.members) {
      state.members = state.members.filter((member) => member.id !== event.user_id);
      state.room.member_count = state.members.length;
    }
    this.options.activity.clearTyping(state, event.user_id);
    this.options.renderer.changed();
  }

  private async loadLatest(state: RoomState): Promise<void> {
    const { store, renderer } = this.options;
    if (state.loading) return;
    state.loading = true;
    renderer.changed();
    try {
      const page = await this.options.api.messages(state.room.id, { limit: PAGE });
      store.addLatest(state, page, PAGE);
      this.options.saveSoon();
      if (store.current === state.room.id) {
        renderer.scroll(state.dividerAfter !== null ? 'new' : 'bottom');
      }
    } catch (error) {
      showError(error, 'Could not load the messages');
      if (error instanceof ApiError && error.code === ErrorCode.RoomNotFound) this.refreshSoon();
    } finally {
      state.loading = false;
      renderer.changed();
    }
    renderer.renderNow();
    this.fillViewport();
  }

  /** Loads older pages while the list does not fill the renderer, so that it can be scrolled. */
  private fillViewport(): void {
    const box = this.options.el.messages;
    if (box.scrollHeight <= box.clientHeight + 150) void this.loadOlder();
  }

  private async loadMembers(): Promise<void> {
    const state = this.options.store.currentState();
    if (!state) return;
    try {
      const members = await this.options.api.members(state.room.id);
      state.members = members;
      this.options.names.set(members);
      const mine = members.find((member) => member.id === this.options.me.id);
      state.joined = mine !== undefined;
      // The user's own role may have changed (made an admin, or back): the list tells.
      if (mine?.room_role && mine.room_role !== state.room.role) {
        state.room = { ...state.room, role: mine.room_role };
      }
      this.options.renderer.changed();
    } catch {
      // Kept as it was; the next event or reconnect tries again.
    }
  }
}
