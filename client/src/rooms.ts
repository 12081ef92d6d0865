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
import { announce, showError, toast } from './notify';
import type { RoomState, RoomStore } from './room-store';
import type { Renderer } from './renderer';

/** A page of history. */
const PAGE = LIMITS.history.default;
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
  /** Whether Socket.IO is connected. */
  connected(): boolean;
  /** What the store remembers changed. */
  saveSoon(): void;
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
    if (store.current !== null && !store.get(store.current)) {
      const next = store.joined()[0];
      store.current = null;
      if (next) void this.open(next.room.id, { focus: false });
    }
    this.options.renderer.changed();
    if (this.options.connected()) void this.options.catchUp.all();
  }

  async open(roomId: number, options: { focus: boolean }): Promise<void> {
    const { store, renderer, composer } = this.options;
    const previous = store.currentState();
    if (previous) previous.draft = composer.text;
    this.options.activity.stopTyping();
    const state = store.open(roomId);
    if (!state) return;
    composer.replace(state.draft);
    renderer.scroll('bottom');
    renderer.changed();
    renderer.renderNow();
    if (isMobile()) this.options.layout.setSidebarOpen(false);
    if (options.focus && state.joined) composer.focus();
    this.loadMembersSoon(0);
    if (!state.loaded) await this.loadLatest(state);
    // Rooms the user reads without being a member get no live events: catch up on entering.
    else if (!state.joined) await this.options.catchUp.room(state);
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
   * Brings a message of the open room into view (a reply's quote was clicked), loading older pages
   * until the history reaches it.
   */
  async reveal(messageId: number): Promise<void> {
    const { store, renderer } = this.options;
    const state = store.currentState();
    if (!state) return;
    while (!store.find(state.room.id, messageId) && state.hasOlder && state.loaded) {
      const oldest = state.messages[0]?.id;
      await this.loadOlder();
      // Stop if the user moved on, or if the page brought nothing (an error, already shown).
      if (this.stopped || store.current !== state.room.id) return;
      if (state.messages[0]?.id === oldest) break;
    }
    renderer.reveal(messageId);
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
    try {
      await this.options.api.leave(state.room.id);
      store.left(state);
      toast(`You left ${state.room.name}`);
      if (state.room.is_private) {
        const next = store.joined()[0];
        if (next) await this.open(next.room.id, { focus: false });
      } else {
        state.members = null;
        this.loadMembersSoon(0);
      }
      this.options.renderer.changed();
    } catch (error) {
      showError(error, 'Could not leave the room');
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
      if (store.current === state.room.id) renderer.scroll('bottom');
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
      state.members = await this.options.api.members(state.room.id);
      state.joined = state.members.some((member) => member.id === this.options.me.id);
      this.options.renderer.changed();
    } catch {
      // Kept as it was; the next event or reconnect tries again.
    }
  }
}
