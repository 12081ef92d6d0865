import { LIMITS } from '../../src/common/limits';
import type { Message, User } from '../../src/contract/objects';
import { Activity } from './activity';
import type { Api } from './api';
import { CatchUp } from './catch-up';
import { ChangeActions } from './change-actions';
import { systemClock, type Timer } from './clock';
import { Composer } from './composer';
import { Dialogs } from './dialogs';
import { byId, listenUntil } from './dom';
import { findElements, type Elements } from './elements';
import { isMobile, isWide, Layout } from './layout';
import { bindLongPress } from './long-press';
import { announce, toast } from './notify';
import { Outbox } from './outbox';
import { ReactionPicker } from './reaction-picker';
import { Realtime } from './realtime';
import { ReplyParents } from './reply-parents';
import { Renderer } from './renderer';
import { RoomStore, type Source } from './room-store';
import { Rooms } from './rooms';
import { loadMemory, newClientMsgId, saveMemory, type Session } from './storage';
import { Transport } from './transport';

const MAX_CONTENT = LIMITS.messageContent.max;

/**
 * The signed-in application: wires the room store, the outbox, catching up, activity, the
 * rooms' controls and the page's parts to the REST API and Socket.IO, for one session. Every text from the server is rendered as text
 * (see dom.ts).
 */
export class ChatApp {
  private readonly me: User;
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
  private readonly listeners = new AbortController();
  private stopped = false;
  private saveTimer?: Timer;

  constructor(
    session: Session,
    api: Api,
    private readonly signOut: (notice?: string) => void,
  ) {
    this.me = session.user;
    const memory = loadMemory(this.me.id);
    this.store = new RoomStore(this.me.id, memory);
    const { el, me, store } = this;
    this.realtime = new Realtime(session.token, {
      state: (state) => this.layout.showConnection(state),
      connected: (again) => void this.onConnected(again),
      unauthorized: () => this.signOut('Your session has expired. Please sign in again.'),
      message: (message) => this.receive(message, 'live'),
      updated: (message) => this.receive(message, 'live'),
      typing: (event) => this.activity.onTyping(event),
      presence: (event) => this.activity.onPresence(event),
      joined: (event) => this.rooms.onJoined(event),
      left: (event) => this.rooms.onLeft(event),
    });
    const transport = new Transport(api, this.realtime);
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
      userId: me.id,
      store,
      transport,
      dialogs: this.dialogs,
      picker: this.picker,
      receive: (message) => this.receive(message, 'ack'),
      changed: (now) => (now ? this.renderer.renderNow() : this.renderer.changed()),
      focusComposer: () => this.composer.focus(),
    });
    const { changes } = this;
    this.renderer = new Renderer(el, me, store, this.outbox, this.parents, changes.editor, {
      select: (roomId) => void this.rooms.open(roomId, { focus: !isMobile() }),
      retry: (cid) => this.outbox.retry(cid),
      discard: (cid) => this.outbox.discard(cid),
      reply: (messageId) => this.replyTo(messageId),
      parent: (messageId) => this.parents.get(store.current ?? 0, messageId),
      showParent: (messageId) => void this.rooms.reveal(messageId),
      react: (messageId, anchor) => void changes.react(messageId, anchor),
      toggleReaction: (messageId, emoji, on) => void changes.toggle(messageId, emoji, on),
      edit: (messageId) => changes.edit(messageId),
      remove: (messageId) => void changes.remove(messageId),
    });
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
      connected: () => this.realtime.connected,
      saveSoon: () => this.saveSoon(),
    });
  }

  async start(): Promise<void> {
    this.bindUi();
    this.layout.showMe(this.me);
    this.layout.setMembersOpen(isWide());
    this.layout.showConnection('connecting');
    this.renderer.render();
    this.realtime.start();
    await this.rooms.refresh();
    if (this.stopped) return;
    const first = this.store.firstRoom();
    if (first !== null) await this.rooms.open(first, { focus: !isMobile() });
    else this.renderer.render();
  }

  /** Ends the session's activity; `forgetUnsent` drops unsent messages (an explicit sign-out). */
  stop(forgetUnsent = false): void {
    this.stopped = true;
    this.renderer.stop();
    this.outbox.stop(forgetUnsent);
    this.activity.stop();
    this.realtime.stop();
    this.listeners.abort();
    this.rooms.stop();
    clearTimeout(this.saveTimer);
    this.persist();
    this.layout.reset();
  }

  private bindUi(): void {
    const { el } = this;
    const on = listenUntil(this.listeners.signal);
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
    on(byId('sign-out'), 'click', () => this.signOut());
    on(el.joinButton, 'click', () => void this.rooms.join());
    on(el.leave, 'click', () => void this.rooms.leave());
    on(window, 'focus', () => this.rooms.refreshIfStale());
    on(document, 'visibilitychange', () => {
      const state = this.store.currentState();
      if (!document.hidden && state && state.unread > 0) {
        state.unread = 0;
        this.renderer.changed();
      }
    });
    on(window, 'pagehide', () => this.persist());
  }

  private async onConnected(again: boolean): Promise<void> {
    // Taken before any live message of this connection is received (see CatchUp.cursors).
    const cursors = this.catchUp.cursors();
    if (again) await this.rooms.refresh();
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
          announce(
            viewing
              ? `${message.username}: ${message.content}`
              : `New message in ${state.room.name} from ${message.username}: ${message.content}`,
          );
        }
      } else if (viewing) {
        this.renderer.scroll('bottom');
      }
      this.saveSoon();
    }
    this.renderer.changed();
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
