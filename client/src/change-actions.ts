import { ErrorCode } from '../../src/common/errors/error-code';
import { LIMITS } from '../../src/common/limits';
import type { Message } from '../../src/contract/objects';
import type { Dialogs } from './dialogs';
import { EditBox } from './edit-box';
import { errorText } from './error-text';
import { ApiError } from './errors';
import { canDelete, lastEditable, reactedByMe, tombstone } from './message-changes';
import type { Viewer } from './moderation';
import { announce, showError, toast } from './notify';
import type { ReactionPicker } from './reaction-picker';
import type { RoomStore } from './room-store';
import type { Transport } from './transport';

const MAX_CONTENT = LIMITS.messageContent.max;

export interface ChangeActionsOptions {
  /** The viewer: server admins delete others' messages too. */
  me: Viewer;
  store: RoomStore;
  transport: Transport;
  dialogs: Dialogs;
  picker: ReactionPicker;
  /** The server's answer: the message in its new state. */
  receive(message: Message): void;
  /** The view is stale; `now` draws it at once (before moving the focus into it). */
  changed(now?: boolean): void;
  /** Gives the focus back to the composer (after an edit). */
  focusComposer(): void;
}

/**
 * Changing messages of the open room: editing one's own in place (also from the Up arrow in an
 * empty composer), deleting after a confirmation, and reacting, from the picker or a reaction's
 * chip. Each change is drawn from the server's answer, and reaches the others as `message_updated`.
 */
export class ChangeActions {
  readonly editor: EditBox;
  private saving = false;

  constructor(private readonly options: ChangeActionsOptions) {
    this.editor = new EditBox({
      save: (text) => void this.save(text),
      cancel: () => this.cancel(),
    });
  }

  /** Starts editing a message of the open room in place. */
  edit(messageId: number): void {
    const { store } = this.options;
    const roomId = store.current;
    const message = roomId === null ? undefined : store.startEditing(roomId, messageId);
    if (!message || message.user_id !== this.options.me.id) {
      store.editing = null;
      return;
    }
    this.editor.open(message.content);
    this.options.changed(true);
    this.editor.focus();
  }

  /** The Up arrow in an empty composer: edits the user's newest message; false if none. */
  editLast(): boolean {
    const state = this.options.store.currentState();
    if (!state?.joined) return false;
    const message = lastEditable(state.messages, this.options.me.id);
    if (!message) return false;
    this.edit(message.id);
    return true;
  }

  /** Stops editing without saving. */
  cancel(): void {
    if (!this.options.store.editing) return;
    this.options.store.editing = null;
    this.options.changed(true);
    this.options.focusComposer();
  }

  /** Saves the edit: unchanged text just closes it, no text asks to delete the message. */
  async save(text: string): Promise<void> {
    const { store, transport } = this.options;
    const editing = store.editing;
    const message = editing && store.find(editing.roomId, editing.messageId);
    if (!editing || !message || this.saving) return;
    const content = text.trim();
    if (content === message.content) return this.cancel();
    if (content.length === 0) return this.remove(message.id);
    if (content.length > MAX_CONTENT) {
      this.editor.fail(`Messages can be at most ${MAX_CONTENT} characters long.`);
      return;
    }
    this.saving = true;
    this.editor.busy(true);
    try {
      const edited = await transport.edit(editing.roomId, editing.messageId, content);
      this.options.receive(edited);
      if (store.editing === editing) this.cancel();
    } catch (error) {
      this.editor.busy(false);
      if (gone(error)) {
        store.editing = null;
        this.options.changed();
        toast('This message was deleted meanwhile.', 'error');
      } else {
        this.editor.fail(`Not saved: ${errorText(error)}`);
      }
    } finally {
      this.saving = false;
    }
  }

  /** Deletes a message of the open room, once the user confirms. */
  async remove(messageId: number): Promise<void> {
    const { store, transport, dialogs } = this.options;
    const state = store.currentState();
    const message = state && store.find(state.room.id, messageId);
    if (!state || !message || !canDelete(message, this.options.me, state.room)) return;
    const own = message.user_id === this.options.me.id;
    const ok = await dialogs.confirm(
      own
        ? 'Delete this message? It is deleted for everyone, and this cannot be undone.'
        : `Delete this message by ${message.username}? It is deleted for everyone, and this cannot be undone.`,
      'Delete',
    );
    if (!ok) return;
    try {
      const deleted = await transport.delete(state.room.id, messageId);
      this.options.receive(deleted ?? tombstone(message));
      announce('Message deleted');
    } catch (error) {
      showError(error, 'Could not delete the message');
    }
  }

  /** Opens the picker for a message of the open room, and adds the reaction chosen. */
  async react(messageId: number, anchor: HTMLElement | null): Promise<void> {
    const roomId = this.options.store.current;
    if (roomId === null) return;
    const emoji = await this.options.picker.choose(anchor);
    if (emoji === null) return;
    const message = this.options.store.find(roomId, messageId);
    const already = message?.reactions.find((reaction) => reaction.emoji === emoji);
    if (already && reactedByMe(already, this.options.me.id)) return;
    await this.toggle(messageId, emoji, true, roomId);
  }

  /** Adds (`on`) or takes back the user's reaction to a message. */
  async toggle(
    messageId: number,
    emoji: string,
    on: boolean,
    roomId = this.options.store.current,
  ): Promise<void> {
    if (roomId === null) return;
    try {
      this.options.receive(await this.options.transport.react(roomId, messageId, emoji, on));
    } catch (error) {
      showError(error, on ? 'Could not add the reaction' : 'Could not remove the reaction');
    }
  }
}

/** The message is not there any more (deleted meanwhile). */
function gone(error: unknown): boolean {
  return error instanceof ApiError && error.code === ErrorCode.MessageNotFound;
}
