import type { User } from '../../src/contract/objects';
import { byId, h, replaceChildren, show } from './dom';
import type { Elements } from './elements';
import { plural } from './format';
import type { Outbox } from './outbox';
import type { RoomState, RoomStore } from './room-store';
import {
  messageItems,
  shownFromMessage,
  type MessageActions,
  type ShownMessage,
} from './message-views';
import type { ReplyParents } from './reply-parents';
import { replyingText } from './reply-views';
import { memberItem, roomIcon, roomListItem, typingText, userText } from './views';

/** How the next render scrolls the messages: as they were, to the end, or past older ones added. */
export type ScrollMode = 'keep' | 'bottom' | 'prepend';

export interface RendererActions extends MessageActions {
  /** A room of the list was picked. */
  select(roomId: number): void;
}

/**
 * Draws the signed-in view from the room store and the outbox: the room list, the open room's
 * header, messages and members, and the page title. Changes are drawn once per task, and only
 * the parts whose content changed are rebuilt.
 */
export class Renderer {
  private scrollMode: ScrollMode = 'keep';
  private renderQueued = false;
  private stopped = false;
  private readonly signatures = new Map<string, string>();
  /** The message brought into view from a quote, marked for a moment. */
  private highlighted: number | null = null;
  private highlightTimer?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly el: Elements,
    private readonly me: User,
    private readonly store: RoomStore,
    private readonly outbox: Outbox,
    private readonly parents: ReplyParents,
    private readonly actions: RendererActions,
  ) {}

  /** Marks the view as stale; it is redrawn once, after the current task's other changes. */
  changed(): void {
    if (this.renderQueued || this.stopped) return;
    this.renderQueued = true;
    queueMicrotask(() => {
      if (this.renderQueued) this.renderNow();
    });
  }

  renderNow(): void {
    this.renderQueued = false;
    if (this.stopped) return;
    this.render();
  }

  render(): void {
    this.renderSidebar();
    this.renderHeader();
    this.renderMessages();
    this.renderMembers();
    this.renderTitle();
  }

  /** Where the next render leaves the message list. */
  scroll(mode: ScrollMode): void {
    this.scrollMode = mode;
  }

  /**
   * Scrolls the open room's message `messageId` into view and marks it for a moment; returns
   * whether it is in the list.
   */
  reveal(messageId: number): boolean {
    this.renderNow();
    const item = this.el.list.querySelector<HTMLElement>(`.msg[data-id="${messageId}"]`);
    if (!item) return false;
    clearTimeout(this.highlightTimer);
    this.highlighted = messageId;
    this.renderNow();
    this.el.list
      .querySelector<HTMLElement>(`.msg[data-id="${messageId}"]`)
      ?.scrollIntoView({ block: 'center' });
    this.highlightTimer = setTimeout(() => {
      this.highlighted = null;
      this.changed();
    }, 2_000);
    return true;
  }

  /** Draws nothing more, and leaves nothing of this user's in the page (signing out). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.highlightTimer);
    const { el } = this;
    replaceChildren(el.list, []);
    replaceChildren(el.joined, []);
    replaceChildren(el.publicRooms, []);
    replaceChildren(el.membersOnline, []);
    replaceChildren(el.membersOffline, []);
    replaceChildren(byId('live'), []);
    replaceChildren(byId('toasts'), []);
    el.typing.textContent = '';
    el.typing.dataset.text = '';
    el.input.value = '';
    document.title = 'nest-chat';
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

  private renderSidebar(): void {
    const { el, store } = this;
    const joined = store.joined();
    const others = store.others();
    const describe = (state: RoomState) => [
      state.room.id,
      state.room.name,
      state.room.is_private,
      state.unread,
      state.room.member_count,
    ];
    const signature = JSON.stringify([
      store.current,
      store.listed,
      joined.map(describe),
      others.map(describe),
    ]);
    if (!this.stale('sidebar', signature)) return;
    // Rebuilding must not take the focus away from someone moving through the list.
    const focused = (document.activeElement as HTMLElement | null)?.dataset?.roomId;
    const item = (state: RoomState, unread: number, members?: number) =>
      roomListItem(
        { room: state.room, unread, active: state.room.id === store.current, members },
        (roomId) => this.actions.select(roomId),
      );
    replaceChildren(
      el.joined,
      joined.map((state) => item(state, state.unread)),
    );
    replaceChildren(
      el.publicRooms,
      others.map((state) => item(state, 0, state.room.member_count)),
    );
    show(el.joinedEmpty, store.listed && joined.length === 0);
    show(el.publicEmpty, store.listed && others.length === 0);
    const unreadElsewhere = joined.some(
      (state) => state.unread > 0 && state.room.id !== store.current,
    );
    show(el.roomsToggleBadge, unreadElsewhere);
    if (focused !== undefined && !el.sidebar.contains(document.activeElement)) {
      el.sidebar.querySelector<HTMLElement>(`[data-room-id="${focused}"]`)?.focus();
    }
  }

  private renderHeader(): void {
    const { el } = this;
    const state = this.store.currentState();
    if (!state) {
      replaceChildren(el.roomTitle, ['nest-chat']);
      el.roomDesc.textContent = '';
      show(el.invite, false);
      show(el.leave, false);
      show(el.membersToggle, false);
      show(el.composer, false);
      show(el.joinBar, false);
      show(el.replyBar, false);
      return;
    }
    const { room } = state;
    replaceChildren(el.roomTitle, [roomIcon(room), userText('room-title-text', room.name)]);
    el.roomDesc.textContent = room.description || (room.is_private ? 'Private room' : '');
    show(el.invite, state.joined && room.is_private && room.created_by === this.me.id);
    show(el.leave, state.joined);
    show(el.membersToggle, true);
    const count = state.members?.length ?? room.member_count;
    el.membersCount.textContent = String(count);
    show(el.composer, state.joined);
    this.renderReplyBar(state);
    show(el.joinBar, !state.joined);
    el.joinText.textContent = `You are reading ${room.name}. Join to take part.`;
    el.input.placeholder = `Message ${room.is_private ? '' : '#'}${room.name}`;
    const names = [...state.typing.values()].map((typing) => typing.username).sort();
    const text = typingText(names);
    if (el.typing.dataset.text !== text) {
      el.typing.dataset.text = text;
      replaceChildren(el.typing, text ? [text, h('span', 'typing-dots', '…')] : []);
    }
  }

  /** "Replying to …" over the composer, while the user writes a reply. */
  private renderReplyBar(state: RoomState): void {
    const { el } = this;
    const target = state.joined ? state.replyingTo : null;
    const key = target ? String(target.id) : '';
    show(el.replyBar, target !== null);
    if (el.replyBar.dataset.key === key) return;
    el.replyBar.dataset.key = key;
    replaceChildren(el.replyText, target ? replyingText(target) : []);
  }

  /** The room's confirmed messages, then the user's own still on their way. */
  private shownMessages(state: RoomState): ShownMessage[] {
    const shown = state.messages.map(shownFromMessage);
    for (const pending of this.outbox.inRoom(state.room.id)) {
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
        replyTo: pending.replyTo ?? null,
      });
    }
    return shown;
  }

  private renderMessages(): void {
    const { el } = this;
    const box = el.messages;
    const state = this.store.currentState();
    const listed = this.store.listed;
    const mode = this.scrollMode;
    this.scrollMode = 'keep';
    const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 80;
    const before = { height: box.scrollHeight, top: box.scrollTop };

    if (!state) {
      this.signatures.delete('messages');
      replaceChildren(el.list, []);
      el.historyStatus.textContent = '';
      el.emptyTitle.textContent = listed ? `Welcome, ${this.me.username}` : 'Loading your rooms…';
      el.emptyText.textContent = listed
        ? 'Pick a room from the list, or create one and start talking.'
        : '';
      el.emptyAction.textContent = 'Create a room';
      show(el.emptyAction, listed);
      show(el.empty, true);
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
      this.highlighted,
      this.parents.version,
      shown.map((message) => [message.key, message.state, message.error]),
    ]);
    if (!this.stale('messages', signature)) {
      if (mode === 'bottom') box.scrollTop = box.scrollHeight;
      return;
    }
    replaceChildren(
      el.list,
      messageItems(shown, this.me.id, this.actions, {
        highlighted: this.highlighted,
        canReply: state.joined,
      }),
    );
    const empty = state.loaded && shown.length === 0;
    show(el.empty, empty);
    if (empty) {
      el.emptyTitle.textContent = `This is the beginning of ${state.room.name}`;
      el.emptyText.textContent = state.joined
        ? 'No messages yet. Say hello and get the conversation going!'
        : 'No messages yet. Join the room and be the first to say hello.';
      show(el.emptyAction, false);
    }
    el.historyStatus.textContent = state.loading
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
    const { el, me } = this;
    const state = this.store.currentState();
    const members = state?.members ?? [];
    const sorted = [...members].sort((a, b) => a.username.localeCompare(b.username));
    const online = sorted.filter((user) => user.online || user.id === me.id);
    const offline = sorted.filter((user) => !(user.online || user.id === me.id));
    replaceChildren(
      el.membersOnline,
      online.map((user) => memberItem({ ...user, online: true }, me.id)),
    );
    replaceChildren(
      el.membersOffline,
      offline.map((user) => memberItem(user, me.id)),
    );
    el.onlineTitle.textContent = `Online — ${online.length}`;
    el.offlineTitle.textContent = `Offline — ${offline.length}`;
    show(el.offlineTitle, offline.length > 0);
    el.membersToggle.title = state ? plural(members.length, 'member', 'members') : '';
  }

  private renderTitle(): void {
    const unread = this.store.unreadTotal();
    const room = this.store.currentState()?.room.name;
    document.title = `${unread > 0 ? `(${unread}) ` : ''}${room ? `${room} · ` : ''}nest-chat`;
  }
}
