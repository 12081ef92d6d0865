import type { Api } from './api';
import { byId, h, replaceChildren, show } from './dom';
import { plural } from './format';
import { errorText } from './error-text';
import { ApiError, NotConnectedError } from './errors';
import { Realtime, type ConnectionState } from './realtime';
import {
  loadMemory,
  newClientMsgId,
  saveMemory,
  type Session,
  type StoredPending,
  type UserMemory,
} from './storage';
import { ErrorCode } from '../../src/common/errors/error-code';
import { LIMITS } from '../../src/common/limits';
import type { MemberEvent, PresenceEvent, TypingEvent } from '../../src/contract/events';
import type { Message, Room, User } from '../../src/contract/objects';
import { announce, toast } from './notify';
import {
  avatar,
  memberItem,
  messageItems,
  roomIcon,
  roomListItem,
  shownFromMessage,
  typingText,
  userText,
  type ShownMessage,
} from './views';

/** A page of history, and the largest page, for catching up. */
const PAGE = LIMITS.history.default;
const SYNC_PAGE = LIMITS.history.max;
const MAX_CONTENT = LIMITS.messageContent.max;
/** Errors a resend cannot fix. */
const PERMANENT = new Set<string>([
  ErrorCode.ValidationFailed,
  ErrorCode.NotAMember,
  ErrorCode.RoomNotFound,
  ErrorCode.Unauthorized,
  ErrorCode.PayloadTooLarge,
]);

interface RoomState {
  room: Room;
  joined: boolean;
  /** Confirmed messages, by id, once the history has been loaded. */
  messages: Message[];
  loaded: boolean;
  loading: boolean;
  hasOlder: boolean;
  loadingOlder: boolean;
  /** The newest message id seen in this room (0: none). */
  lastId: number;
  unread: number;
  members: User[] | null;
  typing: Map<number, { username: string; timer: ReturnType<typeof setTimeout> }>;
  draft: string;
}

interface Pending extends StoredPending {
  state: 'pending' | 'failed';
  error?: string;
  attempts: number;
  inFlight: boolean;
  timer?: ReturnType<typeof setTimeout>;
}

type ScrollMode = 'keep' | 'bottom' | 'prepend';

const isMobile = () => window.matchMedia('(max-width: 767px)').matches;
const isWide = () => window.matchMedia('(min-width: 1200px)').matches;

/**
 * The signed-in application: room list, the open room's messages, members, typing and presence,
 * over REST and Socket.IO. Every text from the server is rendered as text (see dom.ts).
 */
export class ChatApp {
  private readonly rooms = new Map<number, RoomState>();
  private readonly outbox = new Map<string, Pending>();
  private readonly realtime: Realtime;
  private readonly memory: UserMemory;
  private readonly listeners = new AbortController();
  private readonly me: User;
  private current: number | null = null;
  private connection: ConnectionState = 'connecting';
  private stopped = false;
  private roomsLoaded = false;
  private scrollMode: ScrollMode = 'keep';
  private renderQueued = false;
  private typingRoom: number | null = null;
  private typingSentAt = 0;
  private typingIdle?: ReturnType<typeof setTimeout>;
  private saveTimer?: ReturnType<typeof setTimeout>;
  private refreshTimer?: ReturnType<typeof setTimeout>;
  private membersTimer?: ReturnType<typeof setTimeout>;
  private lastRoomsRefresh = 0;
  private catchingUp: Promise<void> | null = null;
  /** Rooms the user was added to by someone else, announced once the room list has them. */
  private readonly addedTo = new Set<number>();
  private readonly signatures = new Map<string, string>();

  private readonly el = {
    app: byId('app-view'),
    sidebar: byId('sidebar'),
    backdrop: byId('backdrop'),
    roomsToggle: byId<HTMLButtonElement>('rooms-toggle'),
    roomsToggleBadge: byId('rooms-toggle-badge'),
    joined: byId('joined-rooms'),
    joinedEmpty: byId('joined-empty'),
    publicRooms: byId('public-rooms'),
    publicEmpty: byId('public-empty'),
    meAvatar: byId('me-avatar'),
    meName: byId('me-name'),
    conn: byId('conn'),
    connText: byId('conn-text'),
    banner: byId('banner'),
    roomTitle: byId('room-title'),
    roomDesc: byId('room-desc'),
    invite: byId<HTMLButtonElement>('invite-btn'),
    leave: byId<HTMLButtonElement>('leave-btn'),
    membersToggle: byId<HTMLButtonElement>('members-toggle'),
    membersCount: byId('members-count'),
    messages: byId('messages'),
    historyStatus: byId('history-status'),
    list: byId('message-list'),
    empty: byId('empty'),
    emptyTitle: byId('empty-title'),
    emptyText: byId('empty-text'),
    emptyAction: byId<HTMLButtonElement>('empty-action'),
    typing: byId('typing'),
    composer: byId<HTMLFormElement>('composer'),
    input: byId<HTMLTextAreaElement>('composer-input'),
    joinBar: byId('join-bar'),
    joinText: byId('join-text'),
    joinButton: byId<HTMLButtonElement>('join-btn'),
    membersOnline: byId('members-online'),
    membersOffline: byId('members-offline'),
    onlineTitle: byId('online-title'),
    offlineTitle: byId('offline-title'),
    createDialog: byId<HTMLDialogElement>('create-dialog'),
    createForm: byId<HTMLFormElement>('create-form'),
    createName: byId<HTMLInputElement>('create-name'),
    createDescription: byId<HTMLInputElement>('create-description'),
    createPrivate: byId<HTMLInputElement>('create-private'),
    createError: byId('create-error'),
    inviteDialog: byId<HTMLDialogElement>('invite-dialog'),
    inviteForm: byId<HTMLFormElement>('invite-form'),
    inviteUsername: byId<HTMLInputElement>('invite-username'),
    inviteError: byId('invite-error'),
    confirmDialog: byId<HTMLDialogElement>('confirm-dialog'),
    confirmText: byId('confirm-text'),
    confirmOk: byId<HTMLButtonElement>('confirm-ok'),
  };

  constructor(
    session: Session,
    private readonly api: Api,
    private readonly signOut: (notice?: string) => void,
  ) {
    this.me = session.user;
    this.memory = loadMemory(this.me.id);
    this.realtime = new Realtime(session.token, {
      state: (state) => this.setConnection(state),
      connected: (again) => void this.onConnected(again),
      unauthorized: () => this.signOut('Your session has expired. Please sign in again.'),
      message: (message) => this.receive(message, 'live'),
      typing: (event) => this.onTyping(event),
      presence: (event) => this.onPresence(event),
      joined: (event) => this.onJoined(event),
      left: (event) => this.onLeft(event),
    });
    for (const stored of this.memory.outbox) {
      this.outbox.set(stored.cid, { ...stored, state: 'pending', attempts: 0, inFlight: false });
    }
  }

  async start(): Promise<void> {
    this.bindUi();
    this.el.meName.textContent = this.me.username;
    this.el.meAvatar.replaceWith(Object.assign(avatar(this.me.username), { id: 'me-avatar' }));
    this.el.meAvatar = byId('me-avatar');
    this.setMembersOpen(isWide());
    this.setConnection('connecting');
    this.render();
    this.realtime.start();
    await this.refreshRooms();
    if (this.stopped) return;
    const remembered = this.memory.lastRoomId;
    const first =
      (remembered !== null && this.rooms.get(remembered)?.joined && remembered) ||
      this.joinedRooms()[0]?.room.id ||
      null;
    if (first !== null) await this.selectRoom(first, { focus: !isMobile() });
    else this.render();
  }

  /** Ends the session's activity; `forgetUnsent` drops unsent messages (an explicit sign-out). */
  stop(forgetUnsent = false): void {
    this.stopped = true;
    if (forgetUnsent) this.outbox.clear();
    this.stopTyping();
    this.realtime.stop();
    this.listeners.abort();
    for (const pending of this.outbox.values()) clearTimeout(pending.timer);
    for (const state of this.rooms.values()) {
      for (const typing of state.typing.values()) clearTimeout(typing.timer);
    }
    clearTimeout(this.saveTimer);
    clearTimeout(this.refreshTimer);
    clearTimeout(this.membersTimer);
    clearTimeout(this.typingIdle);
    this.persist();
    replaceChildren(this.el.list, []);
    replaceChildren(this.el.joined, []);
    replaceChildren(this.el.publicRooms, []);
    replaceChildren(this.el.membersOnline, []);
    replaceChildren(this.el.membersOffline, []);
    // Nothing of this user's stays in the page after signing out.
    replaceChildren(byId('live'), []);
    replaceChildren(byId('toasts'), []);
    this.el.typing.textContent = '';
    this.el.typing.dataset.text = '';
    this.el.input.value = '';
    this.el.app.classList.remove('sidebar-open', 'members-open');
    this.el.backdrop.hidden = true;
    document.title = 'nest-chat';
  }

  // ---------------------------------------------------------------- UI events

  private bindUi(): void {
    const signal = this.listeners.signal;
    type EventMap = HTMLElementEventMap & WindowEventMap & DocumentEventMap;
    const on = <K extends keyof EventMap>(
      target: EventTarget,
      type: K,
      listener: (event: EventMap[K]) => void,
    ) => target.addEventListener(type, listener as EventListener, { signal });

    on(this.el.composer, 'submit', (event) => {
      event.preventDefault();
      this.sendFromComposer();
    });
    on(this.el.input, 'keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.sendFromComposer();
      }
    });
    on(this.el.input, 'input', () => {
      this.autosize();
      this.onComposerInput();
    });
    on(this.el.input, 'blur', () => this.stopTyping());
    on(this.el.messages, 'scroll', () => {
      if (this.el.messages.scrollTop < 150) void this.loadOlder();
    });
    on(this.el.roomsToggle, 'click', () => this.setSidebarOpen(true));
    on(byId('sidebar-close'), 'click', () => this.setSidebarOpen(false));
    on(this.el.backdrop, 'click', () => {
      this.setSidebarOpen(false);
      if (!isWide()) this.setMembersOpen(false);
    });
    on(this.el.membersToggle, 'click', () =>
      this.setMembersOpen(!this.el.app.classList.contains('members-open')),
    );
    on(byId('members-close'), 'click', () => {
      this.setMembersOpen(false);
      this.el.membersToggle.focus();
    });
    on(document, 'keydown', (event) => {
      // An open dialog handles its own Escape.
      if (event.key !== 'Escape' || document.querySelector('dialog[open]')) return;
      if (this.el.app.classList.contains('sidebar-open')) {
        this.setSidebarOpen(false);
        this.el.roomsToggle.focus();
      } else if (this.el.app.classList.contains('members-open') && !isWide()) {
        this.setMembersOpen(false);
        this.el.membersToggle.focus();
      }
    });
    on(byId('new-room'), 'click', () => this.openCreateDialog());
    on(this.el.emptyAction, 'click', () => this.openCreateDialog());
    on(byId('sign-out'), 'click', () => this.signOut());
    on(this.el.joinButton, 'click', () => void this.joinCurrent());
    on(this.el.leave, 'click', () => void this.leaveCurrent());
    on(this.el.invite, 'click', () => this.openInviteDialog());
    on(this.el.createForm, 'submit', (event) => {
      event.preventDefault();
      void this.createRoom();
    });
    on(this.el.inviteForm, 'submit', (event) => {
      event.preventDefault();
      void this.invite();
    });
    for (const dialog of [this.el.createDialog, this.el.inviteDialog, this.el.confirmDialog]) {
      for (const button of dialog.querySelectorAll<HTMLButtonElement>('[data-close]')) {
        on(button, 'click', () => dialog.close());
      }
    }
    on(window, 'focus', () => {
      if (Date.now() - this.lastRoomsRefresh > 15_000) void this.refreshRooms();
    });
    on(document, 'visibilitychange', () => {
      const state = this.currentState();
      if (!document.hidden && state && state.unread > 0) {
        state.unread = 0;
        this.changed();
      }
    });
    on(window, 'pagehide', () => this.persist());
    const wide = window.matchMedia('(min-width: 1200px)');
    on(wide, 'change', () => this.setMembersOpen(wide.matches));
    const mobile = window.matchMedia('(max-width: 767px)');
    on(mobile, 'change', () => {
      if (!mobile.matches) this.setSidebarOpen(false);
    });
  }

  private updateBackdrop(): void {
    const sidebarOpen = this.el.app.classList.contains('sidebar-open') && isMobile();
    const membersOpen = this.el.app.classList.contains('members-open') && !isWide();
    this.el.backdrop.hidden = !(sidebarOpen || membersOpen);
  }

  private setSidebarOpen(open: boolean): void {
    this.el.app.classList.toggle('sidebar-open', open);
    this.el.roomsToggle.setAttribute('aria-expanded', String(open));
    this.updateBackdrop();
    if (open) {
      const target =
        this.el.sidebar.querySelector<HTMLElement>('.room.active') ??
        this.el.sidebar.querySelector<HTMLElement>('.room, button');
      target?.focus();
    }
  }

  private setMembersOpen(open: boolean): void {
    this.el.app.classList.toggle('members-open', open);
    this.el.membersToggle.setAttribute('aria-expanded', String(open));
    this.updateBackdrop();
    if (open && this.currentState()) this.loadMembersSoon(0);
  }

  private autosize(): void {
    const input = this.el.input;
    input.style.height = 'auto';
    input.style.height = `${Math.min(input.scrollHeight, 200)}px`;
  }

  // ---------------------------------------------------------------- connection

  private setConnection(state: ConnectionState): void {
    this.connection = state;
    this.el.conn.dataset.state = state;
    const text = {
      connecting: 'Connecting…',
      connected: 'Connected',
      reconnecting: 'Reconnecting…',
    };
    this.el.connText.textContent = text[state];
    const banner = this.el.banner;
    if (state === 'reconnecting') {
      banner.textContent = 'Connection lost. Reconnecting… Messages you send will be delivered.';
      banner.hidden = false;
    } else {
      banner.hidden = true;
    }
  }

  private async onConnected(again: boolean): Promise<void> {
    if (again) await this.refreshRooms();
    await this.catchUp();
    const state = this.currentState();
    if (state) this.loadMembersSoon(0);
    this.flushOutbox(again);
  }

  /** Fetches what was missed (after a reconnect or between visits), room by room. */
  private catchUp(): Promise<void> {
    this.catchingUp ??= (async () => {
      try {
        const rooms = [...this.rooms.values()].filter(
          (state) => state.joined && (state.loaded || state.lastId > 0),
        );
        await Promise.all(rooms.map((state) => this.catchUpRoom(state)));
      } finally {
        this.catchingUp = null;
      }
    })();
    return this.catchingUp;
  }

  private async catchUpRoom(state: RoomState): Promise<void> {
    for (let page = 0; page < 10; page += 1) {
      const after = state.lastId;
      let messages: Message[];
      try {
        messages = await this.fetchAfter(state.room.id, after);
      } catch (error) {
        if (error instanceof ApiError && error.code === ErrorCode.RoomNotFound)
          this.refreshRoomsSoon();
        return;
      }
      for (const message of messages) this.receive(message, 'sync');
      const fromOthers = messages.filter((message) => message.user_id !== this.me.id).length;
      if (fromOthers > 0) {
        announce(`${plural(fromOthers, 'new message', 'new messages')} in ${state.room.name}`);
      }
      if (messages.length < SYNC_PAGE) return;
    }
  }

  private async fetchAfter(roomId: number, after: number): Promise<Message[]> {
    if (this.realtime.connected) {
      try {
        const ack = await this.realtime.request<{ messages: Message[] }>('sync', {
          room_id: roomId,
          after_id: after,
          limit: SYNC_PAGE,
        });
        if (ack.ok) return ack.messages;
        throw new ApiError(0, ack.error.code, ack.error.message);
      } catch (error) {
        if (error instanceof ApiError) throw error;
        // Not connected or no ack: REST below.
      }
    }
    return this.api.messages(roomId, { after, limit: SYNC_PAGE });
  }

  // ---------------------------------------------------------------- rooms

  private joinedRooms(): RoomState[] {
    return [...this.rooms.values()]
      .filter((state) => state.joined)
      .sort((a, b) => a.room.name.localeCompare(b.room.name));
  }

  private currentState(): RoomState | null {
    return this.current === null ? null : (this.rooms.get(this.current) ?? null);
  }

  private refreshRoomsSoon(): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => void this.refreshRooms(), 200);
  }

  private async refreshRooms(): Promise<void> {
    this.lastRoomsRefresh = Date.now();
    let list: Room[];
    try {
      list = await this.api.rooms();
    } catch (error) {
      if (!this.roomsLoaded) this.showError(error, 'Could not load the rooms');
      return;
    }
    if (this.stopped) return;
    const seen = new Set<number>();
    for (const room of list) {
      seen.add(room.id);
      const known = this.rooms.get(room.id);
      if (known) {
        known.room = room;
        known.joined = room.is_member;
      } else {
        const remembered = this.memory.rooms[room.id];
        this.rooms.set(room.id, {
          room,
          joined: room.is_member,
          messages: [],
          loaded: false,
          loading: false,
          hasOlder: true,
          loadingOlder: false,
          lastId: remembered?.lastId ?? 0,
          unread: remembered?.unread ?? 0,
          members: null,
          typing: new Map(),
          draft: '',
        });
      }
    }
    for (const id of [...this.rooms.keys()]) {
      if (!seen.has(id)) this.rooms.delete(id);
    }
    this.roomsLoaded = true;
    for (const roomId of this.addedTo) {
      const room = this.rooms.get(roomId)?.room;
      if (room && room.created_by !== this.me.id) {
        toast(`You were added to ${room.name}`);
        announce(`You were added to ${room.name}`);
      }
    }
    this.addedTo.clear();
    if (this.current !== null && !this.rooms.has(this.current)) {
      const next = this.joinedRooms()[0];
      this.current = null;
      if (next) void this.selectRoom(next.room.id, { focus: false });
    }
    this.changed();
    if (this.realtime.connected) void this.catchUp();
  }

  private async selectRoom(roomId: number, options: { focus: boolean }): Promise<void> {
    const previous = this.currentState();
    if (previous) previous.draft = this.el.input.value;
    this.stopTyping();
    const state = this.rooms.get(roomId);
    if (!state) return;
    this.current = roomId;
    this.memory.lastRoomId = roomId;
    state.unread = 0;
    this.el.input.value = state.draft;
    this.autosize();
    this.scrollMode = 'bottom';
    this.changed();
    this.renderNow();
    if (isMobile()) this.setSidebarOpen(false);
    if (options.focus && state.joined) this.el.input.focus();
    this.loadMembersSoon(0);
    if (!state.loaded) await this.loadLatest(state);
    // Rooms the user reads without being a member get no live events: catch up on entering.
    else if (!state.joined) await this.catchUpRoom(state);
  }

  private async loadLatest(state: RoomState): Promise<void> {
    if (state.loading) return;
    state.loading = true;
    this.changed();
    try {
      const page = await this.api.messages(state.room.id, { limit: PAGE });
      state.hasOlder = page.length === PAGE;
      state.loaded = true;
      for (const message of page) this.merge(state, message);
      this.markSeen(state, page);
      if (this.current === state.room.id) this.scrollMode = 'bottom';
    } catch (error) {
      this.showError(error, 'Could not load the messages');
      if (error instanceof ApiError && error.code === ErrorCode.RoomNotFound)
        this.refreshRoomsSoon();
    } finally {
      state.loading = false;
      this.changed();
    }
    this.renderNow();
    this.fillViewport();
  }

  /** Loads older pages while the list does not fill the view, so that it can be scrolled. */
  private fillViewport(): void {
    const box = this.el.messages;
    if (box.scrollHeight <= box.clientHeight + 150) void this.loadOlder();
  }

  private async loadOlder(): Promise<void> {
    const state = this.currentState();
    if (!state || !state.loaded || !state.hasOlder || state.loadingOlder) return;
    const oldest = state.messages[0];
    if (!oldest) {
      state.hasOlder = false;
      this.changed();
      return;
    }
    state.loadingOlder = true;
    this.changed();
    try {
      const page = await this.api.messages(state.room.id, { before: oldest.id, limit: PAGE });
      state.hasOlder = page.length === PAGE;
      for (const message of page) this.merge(state, message);
      if (this.current === state.room.id) this.scrollMode = 'prepend';
    } catch (error) {
      this.showError(error, 'Could not load earlier messages');
    } finally {
      state.loadingOlder = false;
      this.changed();
    }
    this.renderNow();
    if (this.current === state.room.id) this.fillViewport();
  }

  private async joinCurrent(): Promise<void> {
    const state = this.currentState();
    if (!state) return;
    this.el.joinButton.disabled = true;
    try {
      state.room = await this.api.join(state.room.id);
      state.joined = true;
      state.members = null;
      this.loadMembersSoon(0);
      announce(`You joined ${state.room.name}`);
      this.changed();
      this.renderNow();
      this.el.input.focus();
    } catch (error) {
      this.showError(error, 'Could not join the room');
    } finally {
      this.el.joinButton.disabled = false;
    }
  }

  private async leaveCurrent(): Promise<void> {
    const state = this.currentState();
    if (!state) return;
    if (state.room.is_private) {
      const ok = await this.confirm(
        `Leave the private room “${state.room.name}”? You will need an invitation to come back.`,
        'Leave room',
      );
      if (!ok) return;
    }
    try {
      await this.api.leave(state.room.id);
      state.joined = false;
      state.unread = 0;
      toast(`You left ${state.room.name}`);
      if (state.room.is_private) {
        this.rooms.delete(state.room.id);
        this.current = null;
        const next = this.joinedRooms()[0];
        if (next) await this.selectRoom(next.room.id, { focus: false });
      } else {
        state.members = null;
        this.loadMembersSoon(0);
      }
      this.changed();
    } catch (error) {
      this.showError(error, 'Could not leave the room');
    }
  }

  private openCreateDialog(): void {
    this.el.createForm.reset();
    this.el.createError.textContent = '';
    this.el.createName.removeAttribute('aria-invalid');
    this.el.createDialog.showModal();
    this.el.createName.focus();
  }

  private async createRoom(): Promise<void> {
    const name = this.el.createName.value.trim();
    const description = this.el.createDescription.value.trim();
    if (name.length === 0) {
      this.el.createError.textContent = 'Give the room a name.';
      this.el.createName.setAttribute('aria-invalid', 'true');
      this.el.createName.focus();
      return;
    }
    const submit = this.el.createForm.querySelector<HTMLButtonElement>('button[type=submit]');
    if (submit) submit.disabled = true;
    try {
      const room = await this.api.createRoom(name, description, this.el.createPrivate.checked);
      this.rooms.set(room.id, {
        room,
        joined: true,
        messages: [],
        loaded: true,
        loading: false,
        hasOlder: false,
        loadingOlder: false,
        lastId: 0,
        unread: 0,
        members: null,
        typing: new Map(),
        draft: '',
      });
      this.el.createDialog.close();
      await this.selectRoom(room.id, { focus: true });
      toast(`Room ${room.name} created`);
    } catch (error) {
      this.el.createError.textContent = errorText(error);
      this.el.createName.setAttribute('aria-invalid', 'true');
    } finally {
      if (submit) submit.disabled = false;
    }
  }

  private openInviteDialog(): void {
    this.el.inviteForm.reset();
    this.el.inviteError.textContent = '';
    this.el.inviteDialog.showModal();
    this.el.inviteUsername.focus();
  }

  private async invite(): Promise<void> {
    const state = this.currentState();
    const username = this.el.inviteUsername.value.trim();
    if (!state) return;
    if (username.length === 0) {
      this.el.inviteError.textContent = 'Enter a username.';
      return;
    }
    try {
      const user = await this.api.invite(state.room.id, username);
      this.el.inviteDialog.close();
      toast(`${user.username} was added to ${state.room.name}`);
      this.loadMembersSoon(0);
    } catch (error) {
      this.el.inviteError.textContent =
        error instanceof ApiError && error.code === ErrorCode.UserNotFound
          ? `There is no user called ${username}.`
          : errorText(error);
    }
  }

  private confirm(text: string, action: string): Promise<boolean> {
    const dialog = this.el.confirmDialog;
    this.el.confirmText.textContent = text;
    this.el.confirmOk.textContent = action;
    dialog.returnValue = '';
    dialog.showModal();
    return new Promise((resolve) => {
      dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
    });
  }

  // ---------------------------------------------------------------- members, typing, presence

  private loadMembersSoon(delay = 300): void {
    clearTimeout(this.membersTimer);
    this.membersTimer = setTimeout(() => void this.loadMembers(), delay);
  }

  private async loadMembers(): Promise<void> {
    const state = this.currentState();
    if (!state) return;
    try {
      state.members = await this.api.members(state.room.id);
      state.joined = state.members.some((member) => member.id === this.me.id);
      this.changed();
    } catch {
      // Kept as it was; the next event or reconnect tries again.
    }
  }

  private onPresence(event: PresenceEvent): void {
    for (const state of this.rooms.values()) {
      const member = state.members?.find((user) => user.id === event.user_id);
      if (member) member.online = event.online;
    }
    this.changed();
  }

  private onJoined(event: MemberEvent): void {
    const state = this.rooms.get(event.room_id);
    if (event.user_id === this.me.id) {
      if (!state || !state.joined) {
        // Invited to a private room (or joined elsewhere): the next room list tells which.
        if (!state) this.addedTo.add(event.room_id);
        this.refreshRoomsSoon();
      }
      return;
    }
    if (!state) return;
    if (state.members && !state.members.some((member) => member.id === event.user_id)) {
      state.room.member_count += 1;
    }
    if (state.room.id === this.current) this.loadMembersSoon();
    else state.members = null;
    this.changed();
  }

  private onLeft(event: MemberEvent): void {
    const state = this.rooms.get(event.room_id);
    if (event.user_id === this.me.id) {
      this.refreshRoomsSoon();
      return;
    }
    if (!state) return;
    if (state.members) {
      state.members = state.members.filter((member) => member.id !== event.user_id);
      state.room.member_count = state.members.length;
    }
    this.clearTyping(state, event.user_id);
    this.changed();
  }

  private onTyping(event: TypingEvent): void {
    const state = this.rooms.get(event.room_id);
    if (!state || event.user_id === this.me.id) return;
    this.clearTyping(state, event.user_id);
    if (event.is_typing) {
      const timer = setTimeout(() => {
        state.typing.delete(event.user_id);
        this.changed();
      }, 6_000);
      state.typing.set(event.user_id, { username: event.username, timer });
    }
    this.changed();
  }

  private clearTyping(state: RoomState, userId: number): void {
    const typing = state.typing.get(userId);
    if (!typing) return;
    clearTimeout(typing.timer);
    state.typing.delete(userId);
  }

  private onComposerInput(): void {
    const state = this.currentState();
    if (!state || !state.joined) return;
    if (this.el.input.value.trim().length === 0) {
      this.stopTyping();
      return;
    }
    const now = Date.now();
    if (this.typingRoom !== state.room.id || now - this.typingSentAt > 3_000) {
      if (this.typingRoom !== null && this.typingRoom !== state.room.id) this.stopTyping();
      this.realtime.notify('typing', { room_id: state.room.id, is_typing: true });
      this.typingRoom = state.room.id;
      this.typingSentAt = now;
    }
    clearTimeout(this.typingIdle);
    this.typingIdle = setTimeout(() => this.stopTyping(), 4_000);
  }

  private stopTyping(): void {
    clearTimeout(this.typingIdle);
    if (this.typingRoom === null) return;
    this.realtime.notify('typing', { room_id: this.typingRoom, is_typing: false });
    this.typingRoom = null;
  }

  // ---------------------------------------------------------------- messages

  /** A message from the server: a live event, a sync page or an acknowledgement. */
  private receive(message: Message, source: 'live' | 'sync' | 'ack'): void {
    if (message.client_msg_id && message.user_id === this.me.id) {
      const pending = this.outbox.get(message.client_msg_id);
      if (pending) {
        clearTimeout(pending.timer);
        this.outbox.delete(message.client_msg_id);
        this.saveSoon();
      }
    }
    const state = this.rooms.get(message.room_id);
    if (!state) {
      this.refreshRoomsSoon();
      return;
    }
    const isNew = message.id > state.lastId;
    const viewing = state.room.id === this.current;
    if (state.loaded) this.merge(state, message);
    if (isNew) {
      state.lastId = message.id;
      if (message.user_id !== this.me.id) {
        this.clearTyping(state, message.user_id);
        if (!viewing || document.hidden) state.unread += 1;
        if (source === 'live') {
          announce(
            viewing
              ? `${message.username}: ${message.content}`
              : `New message in ${state.room.name} from ${message.username}: ${message.content}`,
          );
        }
      } else if (viewing) {
        this.scrollMode = 'bottom';
      }
      this.saveSoon();
    }
    this.changed();
  }

  private merge(state: RoomState, message: Message): void {
    const list = state.messages;
    const last = list[list.length - 1];
    if (!last || last.id < message.id) {
      list.push(message);
    } else {
      let low = 0;
      let high = list.length;
      while (low < high) {
        const middle = (low + high) >> 1;
        if (list[middle].id < message.id) low = middle + 1;
        else high = middle;
      }
      if (list[low]?.id !== message.id) list.splice(low, 0, message);
    }
    if (message.id > state.lastId) state.lastId = message.id;
  }

  private markSeen(state: RoomState, messages: Message[]): void {
    const newest = messages[messages.length - 1];
    if (newest && newest.id > state.lastId) state.lastId = newest.id;
    this.saveSoon();
  }

  private sendFromComposer(): void {
    const state = this.currentState();
    if (!state || !state.joined) return;
    const content = this.el.input.value.trim();
    if (content.length === 0) return;
    if (content.length > MAX_CONTENT) {
      toast(`Messages can be at most ${MAX_CONTENT} characters long.`, 'error');
      return;
    }
    this.el.input.value = '';
    state.draft = '';
    this.autosize();
    this.stopTyping();
    const pending: Pending = {
      cid: newClientMsgId(),
      roomId: state.room.id,
      content,
      createdAt: new Date().toISOString(),
      state: 'pending',
      attempts: 0,
      inFlight: false,
    };
    this.outbox.set(pending.cid, pending);
    this.saveSoon();
    this.scrollMode = 'bottom';
    this.changed();
    void this.attempt(pending);
  }

  /**
   * Sends one pending message: over Socket.IO when connected, else over REST, always with the same
   * client_msg_id, so that a retry after a lost acknowledgement stores nothing twice.
   */
  private async attempt(pending: Pending): Promise<void> {
    if (pending.inFlight || !this.outbox.has(pending.cid) || this.stopped) return;
    clearTimeout(pending.timer);
    pending.inFlight = true;
    pending.state = 'pending';
    pending.error = undefined;
    this.changed();
    try {
      let message: Message;
      if (this.realtime.connected) {
        const ack = await this.realtime.request<{ message: Message }>('chat_message', {
          room_id: pending.roomId,
          content: pending.content,
          client_msg_id: pending.cid,
        });
        if (!ack.ok) {
          const { code, message: text, retry_after_ms: retryAfter } = ack.error;
          throw new ApiError(0, code, text, retryAfter);
        }
        message = ack.message;
      } else {
        message = await this.api.send(pending.roomId, pending.content, pending.cid);
      }
      pending.inFlight = false;
      this.receive(message, 'ack');
    } catch (error) {
      pending.inFlight = false;
      if (!this.outbox.has(pending.cid) || this.stopped) return;
      pending.attempts += 1;
      const code = error instanceof ApiError ? error.code : 'timeout';
      if (PERMANENT.has(code)) {
        this.fail(pending, errorText(error));
      } else if (pending.attempts >= 6) {
        this.fail(pending, 'the server did not answer');
      } else {
        const backoff = Math.min(1_000 * 2 ** (pending.attempts - 1), 8_000);
        const retryAfter = error instanceof ApiError ? error.retryAfterMs : undefined;
        // With no connection at all, the reconnect flushes the outbox; this is the fallback.
        const waitForConnection =
          error instanceof NotConnectedError || code === 'network_error' ? 2_000 : 0;
        pending.timer = setTimeout(
          () => void this.attempt(pending),
          Math.max(retryAfter ?? backoff, waitForConnection),
        );
      }
    }
  }

  private fail(pending: Pending, error: string): void {
    pending.state = 'failed';
    pending.error = error;
    this.changed();
  }

  /** After a (re)connect: sends what is waiting; failures that a connection may fix are retried. */
  private flushOutbox(includeFailed: boolean): void {
    for (const pending of this.outbox.values()) {
      if (pending.inFlight) continue;
      if (pending.state === 'failed' && !includeFailed) continue;
      if (pending.state === 'failed' && pending.error !== 'the server did not answer') continue;
      pending.attempts = 0;
      void this.attempt(pending);
    }
  }

  private retry(cid: string): void {
    const pending = this.outbox.get(cid);
    if (!pending) return;
    pending.attempts = 0;
    void this.attempt(pending);
  }

  private discard(cid: string): void {
    const pending = this.outbox.get(cid);
    if (!pending) return;
    clearTimeout(pending.timer);
    this.outbox.delete(cid);
    this.saveSoon();
    this.changed();
  }

  // ---------------------------------------------------------------- persistence

  private saveSoon(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.persist(), 250);
  }

  private persist(): void {
    const rooms: UserMemory['rooms'] = {};
    for (const state of this.rooms.values()) {
      if (state.joined && state.lastId > 0) {
        rooms[state.room.id] = { lastId: state.lastId, unread: state.unread };
      }
    }
    this.memory.rooms = rooms;
    this.memory.outbox = [...this.outbox.values()].map(({ cid, roomId, content, createdAt }) => ({
      cid,
      roomId,
      content,
      createdAt,
    }));
    saveMemory(this.me.id, this.memory);
  }

  // ---------------------------------------------------------------- rendering

  private showError(error: unknown, what: string): void {
    toast(`${what}: ${errorText(error)}`, 'error');
  }

  /** Marks the view as stale; it is redrawn once, after the current task's other changes. */
  private changed(): void {
    if (this.renderQueued || this.stopped) return;
    this.renderQueued = true;
    queueMicrotask(() => {
      if (this.renderQueued) this.renderNow();
    });
  }

  private renderNow(): void {
    this.renderQueued = false;
    if (this.stopped) return;
    this.render();
  }

  /**
   * Whether a part of the view must be rebuilt: only when what it shows changed, so that events
   * that do not concern it (typing, presence) keep its focus and text selection.
   */
  private stale(part: string, signature: string): boolean {
    if (this.signatures.get(part) === signature) return false;
    this.signatures.set(part, signature);
    return true;
  }

  private render(): void {
    this.renderSidebar();
    this.renderHeader();
    this.renderMessages();
    this.renderMembers();
    this.renderTitle();
  }

  private renderSidebar(): void {
    const select = (roomId: number) => void this.selectRoom(roomId, { focus: !isMobile() });
    const joined = this.joinedRooms();
    const others = [...this.rooms.values()]
      .filter((state) => !state.joined)
      .sort((a, b) => a.room.name.localeCompare(b.room.name));
    const describe = (state: RoomState) => [
      state.room.id,
      state.room.name,
      state.room.is_private,
      state.unread,
      state.room.member_count,
    ];
    const signature = JSON.stringify([
      this.current,
      this.roomsLoaded,
      joined.map(describe),
      others.map(describe),
    ]);
    if (!this.stale('sidebar', signature)) return;
    // Rebuilding must not take the focus away from someone moving through the list.
    const focused = (document.activeElement as HTMLElement | null)?.dataset?.roomId;
    replaceChildren(
      this.el.joined,
      joined.map((state) =>
        roomListItem(
          { room: state.room, unread: state.unread, active: state.room.id === this.current },
          select,
        ),
      ),
    );
    replaceChildren(
      this.el.publicRooms,
      others.map((state) =>
        roomListItem(
          {
            room: state.room,
            unread: 0,
            active: state.room.id === this.current,
            members: state.room.member_count,
          },
          select,
        ),
      ),
    );
    show(this.el.joinedEmpty, this.roomsLoaded && joined.length === 0);
    show(this.el.publicEmpty, this.roomsLoaded && others.length === 0);
    const unreadElsewhere = joined.some(
      (state) => state.unread > 0 && state.room.id !== this.current,
    );
    show(this.el.roomsToggleBadge, unreadElsewhere);
    if (focused !== undefined && !this.el.sidebar.contains(document.activeElement)) {
      this.el.sidebar.querySelector<HTMLElement>(`[data-room-id="${focused}"]`)?.focus();
    }
  }

  private renderHeader(): void {
    const state = this.currentState();
    const title = this.el.roomTitle;
    if (!state) {
      replaceChildren(title, ['nest-chat']);
      this.el.roomDesc.textContent = '';
      show(this.el.invite, false);
      show(this.el.leave, false);
      show(this.el.membersToggle, false);
      show(this.el.composer, false);
      show(this.el.joinBar, false);
      return;
    }
    const { room } = state;
    replaceChildren(title, [roomIcon(room), userText('room-title-text', room.name)]);
    this.el.roomDesc.textContent = room.description || (room.is_private ? 'Private room' : '');
    show(this.el.invite, state.joined && room.is_private && room.created_by === this.me.id);
    show(this.el.leave, state.joined);
    show(this.el.membersToggle, true);
    const count = state.members?.length ?? room.member_count;
    this.el.membersCount.textContent = String(count);
    show(this.el.composer, state.joined);
    show(this.el.joinBar, !state.joined);
    this.el.joinText.textContent = `You are reading ${room.name}. Join to take part.`;
    this.el.input.placeholder = `Message ${room.is_private ? '' : '#'}${room.name}`;
    const names = [...state.typing.values()].map((typing) => typing.username).sort();
    const text = typingText(names);
    if (this.el.typing.dataset.text !== text) {
      this.el.typing.dataset.text = text;
      replaceChildren(this.el.typing, text ? [text, h('span', 'typing-dots', '…')] : []);
    }
  }

  private shownMessages(state: RoomState): ShownMessage[] {
    const shown = state.messages.map(shownFromMessage);
    for (const pending of this.outbox.values()) {
      if (pending.roomId !== state.room.id) continue;
      shown.push({
        key: `p${pending.cid}`,
        id: null,
        userId: this.me.id,
        username: this.me.username,
        content: pending.content,
        createdAt: pending.createdAt,
        state: pending.state,
        error: pending.error,
        cid: pending.cid,
      });
    }
    return shown;
  }

  private renderMessages(): void {
    const box = this.el.messages;
    const state = this.currentState();
    const mode = this.scrollMode;
    this.scrollMode = 'keep';
    const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 80;
    const before = { height: box.scrollHeight, top: box.scrollTop };

    if (!state) {
      this.signatures.delete('messages');
      replaceChildren(this.el.list, []);
      this.el.historyStatus.textContent = '';
      this.el.emptyTitle.textContent = this.roomsLoaded
        ? `Welcome, ${this.me.username}`
        : 'Loading your rooms…';
      this.el.emptyText.textContent = this.roomsLoaded
        ? 'Pick a room from the list, or create one and start talking.'
        : '';
      this.el.emptyAction.textContent = 'Create a room';
      show(this.el.emptyAction, this.roomsLoaded);
      show(this.el.empty, true);
      return;
    }

    const shown = this.shownMessages(state);
    const signature = JSON.stringify([
      state.room.id,
      state.room.name,
      state.joined,
      state.loaded,
      state.loading,
      state.loadingOlder,
      state.hasOlder,
      new Date().toDateString(),
      shown.map((message) => [message.key, message.state, message.error]),
    ]);
    if (!this.stale('messages', signature)) {
      if (mode === 'bottom') box.scrollTop = box.scrollHeight;
      return;
    }
    replaceChildren(
      this.el.list,
      messageItems(shown, this.me.id, {
        retry: (cid) => this.retry(cid),
        discard: (cid) => this.discard(cid),
      }),
    );
    const empty = state.loaded && shown.length === 0;
    show(this.el.empty, empty);
    if (empty) {
      this.el.emptyTitle.textContent = `This is the beginning of ${state.room.name}`;
      this.el.emptyText.textContent = state.joined
        ? 'No messages yet. Say hello and get the conversation going!'
        : 'No messages yet. Join the room and be the first to say hello.';
      show(this.el.emptyAction, false);
    }
    this.el.historyStatus.textContent = state.loading
      ? 'Loading messages…'
      : state.loadingOlder
        ? 'Loading earlier messages…'
        : state.loaded && !state.hasOlder && shown.length > 0
          ? `This is the beginning of ${state.room.name}.`
          : '';

    if (mode === 'bottom' || (mode === 'keep' && atBottom)) {
      box.scrollTop = box.scrollHeight;
    } else if (mode === 'prepend') {
      box.scrollTop = before.top + (box.scrollHeight - before.height);
    }
  }

  private renderMembers(): void {
    const state = this.currentState();
    const members = state?.members ?? [];
    const sorted = [...members].sort((a, b) => a.username.localeCompare(b.username));
    const online = sorted.filter((user) => user.online || user.id === this.me.id);
    const offline = sorted.filter((user) => !(user.online || user.id === this.me.id));
    replaceChildren(
      this.el.membersOnline,
      online.map((user) => memberItem({ ...user, online: true }, this.me.id)),
    );
    replaceChildren(
      this.el.membersOffline,
      offline.map((user) => memberItem(user, this.me.id)),
    );
    this.el.onlineTitle.textContent = `Online — ${online.length}`;
    this.el.offlineTitle.textContent = `Offline — ${offline.length}`;
    show(this.el.offlineTitle, offline.length > 0);
    this.el.membersToggle.title = state ? plural(members.length, 'member', 'members') : '';
  }

  private renderTitle(): void {
    const unread = [...this.rooms.values()].reduce(
      (sum, state) => sum + (state.joined ? state.unread : 0),
      0,
    );
    const room = this.currentState()?.room.name;
    document.title = `${unread > 0 ? `(${unread}) ` : ''}${room ? `${room} · ` : ''}nest-chat`;
  }
}
