import type { User } from '../../src/contract/objects';
import { replaceChildren, show } from './dom';
import type { EditBox } from './edit-box';
import { moderates } from './moderation';
import type { Names } from './names';
import type { Elements } from './elements';
import {
  messageItems,
  shownFromMessage,
  type MessageActions,
  type ShownMessage,
} from './message-views';
import type { Outbox } from './outbox';
import type { ReplyParents } from './reply-parents';
import type { RoomState, RoomStore } from './room-store';

/**
 * How the next render scrolls the messages: as they were, to the end, past older ones added, or
 * to the "New messages" divider (the end when there is none).
 */
export type ScrollMode = 'keep' | 'bottom' | 'prepend' | 'new';

/**
 * The open room's messages: confirmed ones, then the user's own on their way. Rebuilt only when
 * what it shows changed; a rebuild keeps the keyboard focus where it was (a message's action, a
 * reaction, the edit box), the text being edited, and the scroll position.
 */
export class MessageList {
  private scrollMode: ScrollMode = 'keep';
  private signature = '';
  /** The message brought into view from a quote, marked for a moment. */
  private highlighted: number | null = null;
  private highlightTimer?: ReturnType<typeof setTimeout>;
  /** The message whose actions a long press showed (touch screens). */
  private actionsOpen: number | null = null;

  constructor(
    private readonly el: Elements,
    private readonly me: User,
    private readonly store: RoomStore,
    private readonly people: Names,
    private readonly outbox: Outbox,
    private readonly parents: ReplyParents,
    private readonly editor: EditBox,
    private readonly actions: MessageActions,
    private readonly changed: () => void,
  ) {}

  /** Where the next render leaves the message list. */
  scroll(mode: ScrollMode): void {
    this.scrollMode = mode;
  }

  /** Shows the actions of a message after a long press; null hides them. */
  showActions(messageId: number | null): void {
    if (this.actionsOpen === messageId) return;
    this.actionsOpen = messageId;
    this.changed();
  }

  /** Marks `messageId` for a moment and scrolls it into view; false when it is not in the list. */
  reveal(messageId: number, render: () => void): boolean {
    const item = () => this.el.list.querySelector<HTMLElement>(`.msg[data-id="${messageId}"]`);
    render();
    if (!item()) return false;
    clearTimeout(this.highlightTimer);
    this.highlighted = messageId;
    render();
    item()?.scrollIntoView({ block: 'center' });
    this.highlightTimer = setTimeout(() => {
      this.highlighted = null;
      this.changed();
    }, 2_000);
    return true;
  }

  stop(): void {
    clearTimeout(this.highlightTimer);
    this.signature = '';
  }

  render(): void {
    const { el } = this;
    const box = el.messages;
    const state = this.store.currentState();
    const listed = this.store.listed;
    const mode = this.scrollMode;
    this.scrollMode = 'keep';
    const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 80;
    const before = { height: box.scrollHeight, top: box.scrollTop };

    if (!state) {
      this.signature = '';
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
    const editing = this.store.editingHere();
    const firstNew = this.firstNew(state);
    const signature = JSON.stringify([
      state.room.id,
      state.room.name,
      state.room.role,
      this.people.version,
      state.joined,
      state.loaded,
      state.loading,
      state.loadingOlder,
      state.hasOlder,
      new Date().toDateString(),
      this.highlighted,
      this.actionsOpen,
      firstNew,
      editing,
      this.parents.version,
      state.members?.length ?? 0,
      shown.map((message) => [message.key, message.state, message.error, message.changeId]),
      // A tombstone made here keeps the change_id of what it deleted.
      shown.filter((message) => message.deleted).map((message) => message.key),
    ]);
    if (this.signature === signature) {
      if (mode === 'bottom') box.scrollTop = box.scrollHeight;
      else if (mode === 'new') this.scrollToNew();
      return;
    }
    this.signature = signature;
    const restoreFocus = this.keepFocus();
    replaceChildren(
      el.list,
      messageItems(shown, this.actions, {
        meId: this.me.id,
        joined: state.joined,
        moderates: moderates(state.room, this.me),
        highlighted: this.highlighted,
        editing,
        editor: this.editor.element,
        actionsOpen: this.actionsOpen,
        names: this.names(state),
        firstNew,
      }),
    );
    restoreFocus();
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

    if (mode === 'new') {
      this.scrollToNew();
    } else if (mode === 'bottom' || (mode === 'keep' && atBottom)) {
      box.scrollTop = box.scrollHeight;
    } else if (mode === 'prepend') {
      box.scrollTop = before.top + (box.scrollHeight - before.height);
    }
  }

  /** The first message after the read position the room was entered with, if any. */
  private firstNew(state: RoomState): number | null {
    const after = state.dividerAfter;
    if (after === null) return null;
    const first = state.messages.find(
      (message) => message.id > after && message.user_id !== this.me.id && !message.deleted,
    );
    return first?.id ?? null;
  }

  /** Scrolls the "New messages" divider to the top, or to the end when there is none. */
  private scrollToNew(): void {
    const box = this.el.messages;
    const divider = this.el.list.querySelector<HTMLElement>('#new-divider');
    if (!divider) {
      box.scrollTop = box.scrollHeight;
      return;
    }
    const top = divider.getBoundingClientRect().top - box.getBoundingClientRect().top;
    box.scrollTop = Math.max(0, box.scrollTop + top - 8);
  }

  /** The room's confirmed messages, then the user's own still on their way. */
  private shownMessages(state: RoomState): ShownMessage[] {
    const shown = state.messages.map((message) =>
      shownFromMessage(message, this.people.of(message.user_id, message.username)),
    );
    for (const pending of this.outbox.inRoom(state.room.id)) {
      shown.push({
        key: `p${pending.cid}`,
        id: null,
        userId: this.me.id,
        username: this.me.username,
        name: this.people.of(this.me.id, this.me.username),
        content: pending.content,
        createdAt: pending.createdAt,
        state: pending.state,
        error: pending.error,
        cid: pending.cid,
        replyTo: pending.replyTo ?? null,
        editedAt: null,
        deleted: false,
        reactions: [],
        changeId: 0,
        mentions: [],
      });
    }
    return shown;
  }

  /**
   * The names the client knows (display names where known): the room's members and the authors
   * of its loaded messages.
   */
  private names(state: RoomState): Map<number, string> {
    const names = new Map<number, string>();
    const add = (id: number, username: string) => names.set(id, this.people.of(id, username));
    for (const message of state.messages) add(message.user_id, message.username);
    for (const member of state.members ?? []) add(member.id, member.username);
    add(this.me.id, this.me.username);
    return names;
  }

  /**
   * To call before the list is rebuilt: the returned function gives the focus back to the same
   * control of the same message (each has a `data-focus` name), or to the edit box.
   */
  private keepFocus(): () => void {
    const restoreEditor = this.editor.keepFocus();
    const active = document.activeElement;
    if (!(active instanceof HTMLElement) || !this.el.list.contains(active)) return restoreEditor;
    const key = active.closest<HTMLElement>('.msg')?.dataset.key;
    const focus = active.dataset.focus;
    if (key === undefined || focus === undefined) return restoreEditor;
    return () => {
      restoreEditor();
      const selector = `.msg[data-key="${CSS.escape(key)}"] [data-focus="${CSS.escape(focus)}"]`;
      this.el.list.querySelector<HTMLElement>(selector)?.focus();
    };
  }
}
