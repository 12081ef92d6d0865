import { LIMITS } from '../../src/common/limits';
import type { Message, User } from '../../src/contract/objects';
import { Activity } from './activity';
import { Alerts } from './alerts';
import type { Api } from './api';
import { CatchUp } from './catch-up';
import { ChangeActions } from './change-actions';
import { systemClock, type Timer } from './clock';
import { Composer } from './composer';
import { DesktopNotifications, notificationPermission } from './desktop-notifications';
import { Dialogs } from './dialogs';
import { byId, listenUntil } from './dom';
import { findElements, type Elements } from './elements';
import { isMobile, isWide, Layout } from './layout';
import { bindLongPress } from './long-press';
import { MentionBox } from './mention-box';
import { AdminDialog } from './admin-dialog';
import { displayName, Names, type Person } from './names';
import { announce, showError, toast } from './notify';
import { Outbox } from './outbox';
import { PeoplePicker } from './people-picker';
import { Presence } from './people';
import { ProfileDialog } from './profile-dialog';
import { ReactionPicker } from './reaction-picker';
import { ReadMarker } from './read-marker';
import { Realtime } from './realtime';
import { ReplyParents } from './reply-parents';
import { Renderer } from './renderer';
import { RoomSettings } from './room-settings';
import { RoomStore, type Source } from './room-store';
import { Rooms } from './rooms';
import { SearchBox } from './search-box';
import { loadMemory, newClientMsgId, saveMemory, type Session } from './storage';
import { Transport } from './transport';
import { rove, roveByKey } from './views';

const MAX_CONTENT = LIMITS.messageContent.max;

/** Why the sign-in screen shows when the server ended the session (or no longer takes it). */
export const SESSION_ENDED = 'You were signed out: this session was ended. Please sign in again.';

/**
 * The signed-in application: wires the room store, the outbox, catching up, activity, the
 * rooms' controls and the page's parts to the REST API and Socket.IO, for one session. Every text from the server is rendered as text
 * (see dom.ts).
 */
export class ChatApp {
  /** The signed-in user, with their display name and server role (v2). */
  private me: User;
  private readonly el: Elements = findElements();
  private readonly store: RoomStore;
  private readonly outbox: Outbox;
  private readonly realtime: Realtime;
  private readonly catchUp: CatchUp;
  private readonly activity: Activity;
  private readonly renderer: Renderer;
  private readonly parents: ReplyParents;
  private readonly layout: Layout;
  private readonly composer: Composer;
  private readonly dialogs: Dialogs;
  private readonly picker: ReactionPicker;
  private readonly changes: ChangeActions;
  private readonly rooms: Rooms;
  private readonly presence = new Presence();
  /** Display names by user id. */
  private readonly names = new Names();
  private readonly profile: ProfileDialog;
  private readonly settings: RoomSettings;
  private readonly admin: AdminDialog;
  private readonly marker: ReadMarker;
  private readonly alerts: Alerts;
  private readonly notifications: DesktopNotifications;
  private readonly mentionBox: MentionBox;
  private readonly searchBox: SearchBox;
  private readonly people: PeoplePicker;
  private readonly api: Api;
  private readonly listeners = new AbortController();
  private stopped = false;
  /** The user is signing out here: the server closing the connection is no news. */
  private ending = false;
  private saveTimer?: Timer;

  constructor(
    session: Session,
    api: Api,
    private readonly signOut: (notice?: string) => void,
  ) {
    this.me = session.user;
    this.api = api;
    const memory = loadMemory(this.me.id);
    this.store = new RoomStore(this.me.id, memory);
    const { el, me, store } = this;
    this.realtime = new Realtime(session.token, {
      state: (state) => this.layout.showConnection(state),
      connected: (again) => void this.onConnected(again),
      unauthorized: () => {
        if (!this.ending) this.signOut(SESSION_ENDED);
      },
      message: (message) => this.receive(message, 'live'),
      updated: (message) => this.receive(message, 'live'),
      typing: (event) => this.activity.onTyping(event),
      presence: (event) => {
        this.presence.update(event);
        this.activity.onPresence(event);
      },
      joined: (event) => this.rooms.onJoined(event),
      left: (event) => this.rooms.onLeft(event),
      roomAdded: (room) => this.rooms.onRoomAdded(room),
      roomRemoved: (roomId) => this.rooms.onRoomRemoved(roomId),
      roomUpdated: (room) => this.rooms.onRoomUpdated(room),
      userUpdated: (user) => this.renamed(user),
      read: (event) => {
        this.marker.known(event.room_id, event.last_read_id);
        this.store.applyRead(event);
        this.renderer.changed();
      },
      mention: (message) => this.alert('mention', message),
    });
    const transport = new Transport(api, this.realtime);
    this.marker = new ReadMarker({
      clock: systemClock,
      send: (roomId, lastReadId) => transport.markRead(roomId, lastReadId),
    });
    this.alerts = new Alerts(this.me.id);
    this.notifications = new DesktopNotifications(this.el, this.me.id, (roomId) => {
      void this.rooms.open(roomId, { focus: !isMobile() });
    });
    this.outbox = new Outbox(memory.outbox, {
      userId: me.id,
      send: (pending) => transport.send(pending),
      delivered: (message) => this.receive(message, 'ack'),
      changed: () => this.renderer.changed(),
      saved: () => this.saveSoon(),
      newId: newClientMsgId,
      clock: systemClock,
    });
    this.parents = new ReplyParents({
      loaded: (roomId, messageId) => store.find(roomId, messageId),
      fetch: (roomId, messageId) => api.message(roomId, messageId),
      changed: () => this.renderer.changed(),
    });
    this.composer = new Composer(el);
    this.dialogs = new Dialogs(el, api, store, {
      created: (room) => this.rooms.open(room.id, { focus: true }),
      invited: () => this.rooms.loadMembersSoon(0),
    });
    this.picker = new ReactionPicker(el);
    this.changes = new ChangeActions({
      me,
      store,
      transport,
      dialogs: this.dialogs,
      picker: this.picker,
      receive: (message) => this.receive(message, 'ack'),
      changed: (now) => (now ? this.renderer.renderNow() : this.renderer.changed()),
      focusComposer: () => this.composer.focus(),
    });
    const { changes } = this;
    this.renderer = new Renderer(
      el,
      me,
      store,
      this.presence,
      this.names,
      this.outbox,
      this.parents,
      changes.editor,
      {
        select: (roomId) => void this.rooms.open(roomId, { focus: !isMobile() }),
        message: (username) => void this.startDirect(username),
        retry: (cid) => this.outbox.retry(cid),
        discard: (cid) => this.outbox.discard(cid),
        reply: (messageId) => this.replyTo(messageId),
        parent: (messageId) => this.parents.get(store.current ?? 0, messageId),
        showParent: (messageId) => void this.rooms.reveal(messageId),
        react: (messageId, anchor) => void changes.react(messageId, anchor),
        toggleReaction: (messageId, emoji, on) => void changes.toggle(messageId, emoji, on),
        edit: (messageId) => changes.edit(messageId),
        remove: (messageId) => void changes.remove(messageId),
      },
    );
    this.catchUp = new CatchUp({
      userId: me.id,
      store,
      transport,
      receive: (message) => this.receive(message, 'sync'),
      announce,
      roomGone: () => this.rooms.refreshSoon(),
    });
    this.activity = new Activity({
      userId: me.id,
      store,
      clock: systemClock,
      notifyTyping: (roomId, isTyping) =>
        this.realtime.notify('typing', { room_id: roomId, is_typing: isTyping }),
      changed: () => this.renderer.changed(),
    });
    this.layout = new Layout(el, () => {
      if (store.currentState()) this.rooms.loadMembersSoon(0);
    });
    this.rooms = new Rooms({
      me,
      api,
      store,
      el,
      renderer: this.renderer,
      layout: this.layout,
      composer: this.composer,
      dialogs: this.dialogs,
      catchUp: this.catchUp,
      activity: this.activity,
      names: this.names,
      roomGone: (roomId) => this.settings.roomGone(roomId),
      connected: () => this.realtime.connected,
      saveSoon: () => this.saveSoon(),
      seen: () => this.seen(),
    });
    this.mentionBox = new MentionBox(el, me.username, () => this.mentionNames());
    this.searchBox = new SearchBox(
      el,
      api,
      (roomId, messageId) => {
        if (isMobile()) this.layout.setSidebarOpen(false);
        void this.rooms.openAt(roomId, messageId);
      },
      (roomId) => store.get(roomId)?.room.kind === 'direct',
    );
    this.profile = new ProfileDialog(el, api, () => this.me, this.dialogs, {
      renamed: (user) => this.renamed(user),
      signOut: (everywhere) => void this.logOut(everywhere),
    });
    this.settings = new RoomSettings(el, api, store, me, this.names, this.dialogs, {
      changed: () => this.renderer.changed(),
      membersChanged: () => this.rooms.loadMembersSoon(0),
      deleted: (room) => this.rooms.deleted(room),
    });
    this.admin = new AdminDialog(el, api, me.id, this.dialogs);
    this.people = new PeoplePicker(el, api, me.id, this.presence, (username) =>
      this.rooms.startDirect(username),
    );
  }

  async start(): Promise<void> {
    this.bindUi();
    this.names.update(this.me);
    this.layout.showMe(this.me);
    this.layout.setMembersOpen(isWide());
    this.layout.showConnection('connecting');
    this.renderer.render();
    this.realtime.start();
    void this.loadPresence();
    await this.rooms.refresh();
    if (this.stopped) return;
    const first = this.store.firstRoom();
    if (first !== null) await this.rooms.open(first, { focus: !isMobile() });
    else this.renderer.render();
  }

  /** Ends the session's activity; `forgetUnsent` drops unsent messages (an explicit sign-out). */
  stop(forgetUnsent = false): void {
    this.stopped = true;
    this.marker.stop();
    this.mentionBox.close();
    this.renderer.stop();
    this.outbox.stop(forgetUnsent);
    this.activity.stop();
    this.realtime.stop();
    this.listeners.abort();
    this.rooms.stop();
    clearTimeout(this.saveTimer);
    this.persist();
    this.layout.reset();
    // Nothing of the session stays open over the sign-in screen.
    for (const dialog of document.querySelectorAll<HTMLDialogElement>('dialog[open]')) {
      dialog.close();
    }
  }

  private bindUi(): void {
    const { el } = this;
    const on = listenUntil(this.listeners.signal);
    // Before the composer: while the list of names is open, its keys are the list's.
    this.mentionBox.bind(on);
    this.composer.bind(on, {
      send: () => this.send(),
      edited: (text) => this.activity.composing(text),
      left: () => this.activity.stopTyping(),
      escape: () => this.cancelReply(),
      up: () => this.changes.editLast(),
    });
    bindLongPress(on, el.list, (messageId) => this.renderer.showActions(messageId));
    on(el.replyCancel, 'click', () => {
      this.cancelReply();
      this.composer.focus();
    });
    on(el.messages, 'scroll', () => {
      if (el.messages.scrollTop < 150) void this.rooms.loadOlder();
    });
    this.layout.bind(on);
    this.dialogs.bind(on);
    this.picker.bind(on);
    this.searchBox.bind(on);
    this.people.bind(on);
    this.profile.bind(on);
    this.settings.bind(on);
    this.admin.bind(on);
    this.notifications.bind(on);
    const members = byId('members');
    on(members, 'keydown', (event) => roveByKey(members, event));
    on(members, 'focusin', (event) => {
      if (
        event.target instanceof HTMLElement &&
        event.target.classList.contains('member-message')
      ) {
        rove(members, event.target);
      }
    });
    on(byId('sign-out'), 'click', () => void this.logOut(false));
    on(el.joinButton, 'click', () => void this.rooms.join());
    on(el.leave, 'click', () => void this.rooms.leave());
    on(window, 'focus', () => {
      this.rooms.refreshIfStale();
      this.seen();
    });
    on(document, 'visibilitychange', () => {
      // Hidden: what was read is told now. Visible again: what the open room shows is read.
      if (document.hidden) this.marker.flush();
      else this.seen();
    });
    on(window, 'pagehide', () => {
      this.marker.flush();
      this.persist();
    });
  }

  private async onConnected(again: boolean): Promise<void> {
    // Taken before any live message of this connection is received (see CatchUp.cursors).
    const cursors = this.catchUp.cursors();
    if (again) {
      void this.loadPresence();
      await this.rooms.refresh();
    }
    await this.catchUp.all(cursors);
    if (this.store.currentState()) this.rooms.loadMembersSoon(0);
    this.outbox.flush(again);
  }

  /**
   * A message from the server, new or in a later state (edited, deleted, reacted to): a live
   * event, a sync page or an acknowledgement.
   */
  private receive(message: Message, source: Source): void {
    this.outbox.settle(message);
    this.parents.update(message);
    const recorded = this.store.record(message, document.hidden, source);
    if (!recorded) {
      this.rooms.refreshSoon();
      return;
    }
    const { state, isNew } = recorded;
    if (isNew && !message.deleted) {
      const viewing = state.room.id === this.store.current;
      if (message.user_id !== this.me.id) {
        this.activity.clearTyping(state, message.user_id);
        if (source === 'live') {
          const author = this.names.of(message.user_id, message.username);
          announce(
            viewing
              ? `${author}: ${message.content}`
              : `New message in ${state.room.name} from ${author}: ${message.content}`,
          );
          this.alert('message', message);
        }
      } else if (viewing) {
        this.renderer.scroll('bottom');
      }
      if (viewing) this.seen();
      this.saveSoon();
    }
    this.renderer.changed();
  }

  /**
   * The open room's messages are on screen: while the page is visible, everything it shows is
   * read (counts cleared here at once, told to the server within a second).
   */
  private seen(): void {
    const state = this.store.currentState();
    if (this.stopped || !state?.joined || document.hidden) return;
    const newest = this.store.newestShown(state);
    if (newest <= 0) return;
    this.marker.known(state.room.id, state.room.last_read_id ?? 0);
    if (newest > state.lastReadId || state.unread > 0 || state.mentions > 0) {
      this.store.markRead(state, newest);
      this.renderer.changed();
    }
    this.marker.read(state.room.id, newest);
  }

  /** A desktop notification for a mention, or for a direct message while the page is hidden. */
  private alert(event: 'mention' | 'message', message: Message): void {
    const room = this.store.get(message.room_id)?.room;
    const alert = this.alerts.decide({
      event,
      message,
      roomName: room?.name,
      roomKind: room?.kind,
      currentRoom: this.store.current,
      hidden: document.hidden,
      enabled: this.notifications.enabled,
      permission: notificationPermission(),
    });
    if (alert) this.notifications.show(alert);
  }

  /** Who is online, for the direct rooms' entries (presence events keep it current). */
  private async loadPresence(): Promise<void> {
    try {
      const users = await this.api.users();
      this.presence.set(users);
      this.names.set(users);
      this.renderer.changed();
    } catch {
      // Shown as offline until presence events or the next reconnect tell.
    }
  }

  /**
   * Someone's display name changed (`user_updated`, or the user's own in the profile dialog): the
   * messages and member lists that show it are redrawn.
   */
  private renamed(user: Person): void {
    if (!this.names.update(user)) return;
    if (user.id === this.me.id) {
      this.me = { ...this.me, display_name: displayName(user) };
      this.layout.showMe(this.me);
    }
    this.renderer.changed();
  }

  /**
   * Signs out here: the server ends this session (`everywhere`: every session of the user) and
   * the sign-in screen shows. Without an answer from the server, this page signs out all the same.
   */
  private async logOut(everywhere: boolean): Promise<void> {
    if (this.ending) return;
    this.ending = true;
    try {
      await (everywhere ? this.api.logoutAll() : this.api.logout());
    } catch {
      // Signed out here all the same; the token is forgotten with the session.
    }
    this.signOut(everywhere ? 'You were signed out on every device.' : undefined);
  }

  /** The names `@` completes in the open room: its members and the authors of what it shows. */
  private mentionNames(): string[] {
    const state = this.store.currentState();
    if (!state) return [];
    const names = (state.members ?? []).map((member) => member.username);
    for (const message of state.messages) names.push(message.username);
    return names;
  }

  /** Opens the direct room with a member (from the member list). */
  private async startDirect(username: string): Promise<void> {
    if (isMobile() || !isWide()) this.layout.setMembersOpen(false);
    try {
      await this.rooms.startDirect(username);
    } catch (error) {
      showError(error, `Could not open a conversation with ${username}`);
    }
  }

  /** Sends what the composer holds to the open room. */
  private send(): void {
    const state = this.store.currentState();
    if (!state || !state.joined) return;
    const content = this.composer.text.trim();
    if (content.length === 0) return;
    if (content.length > MAX_CONTENT) {
      toast(`Messages can be at most ${MAX_CONTENT} characters long.`, 'error');
      return;
    }
    const replyTo = state.replyingTo?.id ?? null;
    state.draft = '';
    state.replyingTo = null;
    this.mentionBox.close();
    this.composer.replace('');
    this.activity.stopTyping();
    this.renderer.scroll('bottom');
    this.outbox.add(state.room.id, content, replyTo);
  }

  /** The Reply action of a message of the open room: the next send answers it. */
  private replyTo(messageId: number): void {
    const state = this.store.currentState();
    const message = state && this.store.find(state.room.id, messageId);
    if (!state?.joined || !message) return;
    state.replyingTo = message;
    this.renderer.changed();
    this.composer.focus();
  }

  /** Stops answering a message; returns whether there was a reply to cancel. */
  private cancelReply(): boolean {
    const state = this.store.currentState();
    if (!state?.replyingTo) return false;
    state.replyingTo = null;
    this.renderer.changed();
    return true;
  }

  private saveSoon(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.persist(), 250);
  }

  private persist(): void {
    saveMemory(this.me.id, { ...this.store.memory(), outbox: this.outbox.stored() });
  }
}
