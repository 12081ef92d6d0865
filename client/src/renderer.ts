import type { User } from '../../src/contract/objects';
import { byId, h, replaceChildren, show } from './dom';
import type { EditBox } from './edit-box';
import type { Elements } from './elements';
import { plural } from './format';
import { MessageList, type ScrollMode } from './message-list';
import type { MessageActions } from './message-views';
import { canManage, roleWord } from './moderation';
import type { Names } from './names';
import type { Outbox } from './outbox';
import { isDirect, type Presence } from './people';
import type { RoomState, RoomStore } from './room-store';
import type { ReplyParents } from './reply-parents';
import { replyingText } from './reply-views';
import { avatar, memberItem, roomIcon, roomListItem, rove, typingText, userText } from './views';

export type { ScrollMode } from './message-list';

export interface RendererActions extends MessageActions {
  /** A room of the list was picked. */
  select(roomId: number): void;
  /** Opens the direct room with a member. */
  message(username: string): void;
}

/**
 * Draws the signed-in view from the room store and the outbox: the room list, the open room's
 * header, messages and members, and the page title. Changes are drawn once per task, and only
 * the parts whose content changed are rebuilt.
 */
export class Renderer {
  private renderQueued = false;
  private stopped = false;
  private readonly signatures = new Map<string, string>();
  private readonly list: MessageList;

  constructor(
    private readonly el: Elements,
    private readonly me: User,
    private readonly store: RoomStore,
    private readonly presence: Presence,
    private readonly names: Names,
    outbox: Outbox,
    parents: ReplyParents,
    editor: EditBox,
    private readonly actions: RendererActions,
  ) {
    this.list = new MessageList(el, me, store, names, outbox, parents, editor, actions, () =>
      this.changed(),
    );
  }

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
    this.list.render();
    this.renderMembers();
    this.renderTitle();
  }

  /** Where the next render leaves the message list. */
  scroll(mode: ScrollMode): void {
    this.list.scroll(mode);
  }

  /**
   * Scrolls the open room's message `messageId` into view and marks it for a moment; returns
   * whether it is in the list.
   */
  reveal(messageId: number): boolean {
    return this.list.reveal(messageId, () => this.renderNow());
  }

  /** Shows a message's actions (a long press on a touch screen); null hides them. */
  showActions(messageId: number | null): void {
    this.list.showActions(messageId);
  }

  /** Draws nothing more, and leaves nothing of this user's in the page (signing out). */
  stop(): void {
    this.stopped = true;
    this.list.stop();
    const { el } = this;
    replaceChildren(el.list, []);
    replaceChildren(el.joined, []);
    replaceChildren(el.directRooms, []);
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
    const directs = store.directs();
    const others = store.others();
    const online = (state: RoomState) => this.presence.isOnline(state.room.name);
    const describe = (state: RoomState) => [
      state.room.id,
      state.room.name,
      state.room.is_private,
      state.unread,
      state.mentions,
      state.room.member_count,
    ];
    const signature = JSON.stringify([
      store.current,
      store.listed,
      joined.map(describe),
      directs.map((state) => [...describe(state), online(state)]),
      others.map(describe),
    ]);
    if (!this.stale('sidebar', signature)) return;
    // Rebuilding must not take the focus away from someone moving through the list.
    const focused = (document.activeElement as HTMLElement | null)?.dataset?.roomId;
    const item = (state: RoomState, unread: number, members?: number) =>
      roomListItem(
        {
          room: state.room,
          unread,
          mentions: state.joined ? state.mentions : 0,
          active: state.room.id === store.current,
          members,
          online: isDirect(state.room) ? online(state) : undefined,
        },
        (roomId) => this.actions.select(roomId),
      );
    replaceChildren(
      el.joined,
      joined.map((state) => item(state, state.unread)),
    );
    replaceChildren(
      el.directRooms,
      directs.map((state) => item(state, state.unread)),
    );
    show(el.directEmpty, store.listed && directs.length === 0);
    replaceChildren(
      el.publicRooms,
      others.map((state) => item(state, 0, state.room.member_count)),
    );
    show(el.joinedEmpty, store.listed && joined.length === 0);
    show(el.publicEmpty, store.listed && others.length === 0);
    const unreadElsewhere = [...joined, ...directs].some(
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
      show(el.roomSettings, false);
      show(el.leave, false);
      show(el.membersToggle, false);
      show(el.composer, false);
      show(el.joinBar, false);
      show(el.replyBar, false);
      return;
    }
    const { room } = state;
    const direct = isDirect(room);
    replaceChildren(el.roomTitle, [
      direct ? avatar(room.name, 'small') : roomIcon(room),
      userText('room-title-text', room.name),
    ]);
    el.roomDesc.textContent = direct
      ? `Direct message${this.presence.isOnline(room.name) ? ' · online' : ''}`
      : room.description || (room.is_private ? 'Private room' : '');
    show(el.invite, !direct && state.joined && room.is_private && room.created_by === this.me.id);
    show(el.roomSettings, canManage(room, this.me));
    // A direct room cannot be left.
    show(el.leave, !direct && state.joined);
    show(el.membersToggle, true);
    const count = state.members?.length ?? room.member_count;
    el.membersCount.textContent = String(count);
    show(el.composer, state.joined);
    this.renderReplyBar(state);
    show(el.joinBar, !state.joined);
    el.joinText.textContent = `You are reading ${room.name}. Join to take part.`;
    el.input.placeholder = `Message ${room.is_private || direct ? '' : '#'}${room.name}`;
    const names = [...state.typing.entries()]
      .map(([userId, typing]) => this.names.of(userId, typing.username))
      .sort();
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
    const key = target ? `${target.id}:${target.change_id ?? 0}` : '';
    show(el.replyBar, target !== null);
    if (el.replyBar.dataset.key === key) return;
    el.replyBar.dataset.key = key;
    replaceChildren(el.replyText, target ? replyingText(target) : []);
  }

  private renderMembers(): void {
    const { el, me } = this;
    const state = this.store.currentState();
    const members = state?.members ?? [];
    const name = (user: User) => this.names.of(user.id, user.username);
    const sorted = [...members].sort((a, b) => name(a).localeCompare(name(b)));
    const online = sorted.filter((user) => user.online || user.id === me.id);
    const offline = sorted.filter((user) => !(user.online || user.id === me.id));
    // In a direct room the other member is the conversation itself.
    const message =
      state && !isDirect(state.room)
        ? (username: string) => this.actions.message(username)
        : undefined;
    const describe = (user: (typeof members)[number]) => [
      user.id,
      user.username,
      name(user),
      user.room_role,
    ];
    const signature = JSON.stringify([
      state?.room.id,
      online.map(describe),
      offline.map(describe),
      message !== undefined,
    ]);
    if (this.stale('members', signature)) {
      replaceChildren(
        el.membersOnline,
        online.map((user) =>
          memberItem(
            { ...user, online: true },
            me.id,
            name(user),
            roleWord(user.room_role),
            message,
          ),
        ),
      );
      replaceChildren(
        el.membersOffline,
        offline.map((user) =>
          memberItem(user, me.id, name(user), roleWord(user.room_role), message),
        ),
      );
      rove(el.membersOnline.parentElement ?? el.membersOnline, null);
    }
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
