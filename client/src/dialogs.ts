import { ErrorCode } from '../../src/common/errors/error-code';
import type { Room } from '../../src/contract/objects';
import type { Api } from './api';
import { byId, type Listen } from './dom';
import type { Elements } from './elements';
import { errorText } from './error-text';
import { ApiError } from './errors';
import { toast } from './notify';
import type { RoomStore } from './room-store';

export interface DialogActions {
  /** The user created a room: it is in the store, to be opened. */
  created(room: Room): Promise<void>;
  /** Someone was added to the open room. */
  invited(): void;
}

/** The modal dialogs: creating a room, inviting someone to the open room, and confirming. */
export class Dialogs {
  constructor(
    private readonly el: Elements,
    private readonly api: Api,
    private readonly store: RoomStore,
    private readonly actions: DialogActions,
  ) {}

  bind(on: Listen): void {
    const { el } = this;
    on(byId('new-room'), 'click', () => this.openCreate());
    on(el.emptyAction, 'click', () => this.openCreate());
    on(el.invite, 'click', () => this.openInvite());
    on(el.createForm, 'submit', (event) => {
      event.preventDefault();
      void this.create();
    });
    on(el.inviteForm, 'submit', (event) => {
      event.preventDefault();
      void this.invite();
    });
    for (const dialog of [el.createDialog, el.inviteDialog, el.confirmDialog]) {
      for (const button of dialog.querySelectorAll<HTMLButtonElement>('[data-close]')) {
        on(button, 'click', () => dialog.close());
      }
    }
  }

  /** Asks to confirm `text`; `action` names the button that does it. */
  confirm(text: string, action: string): Promise<boolean> {
    const dialog = this.el.confirmDialog;
    this.el.confirmText.textContent = text;
    this.el.confirmOk.textContent = action;
    dialog.returnValue = '';
    dialog.showModal();
    return new Promise((resolve) => {
      dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
    });
  }

  private openCreate(): void {
    const { el } = this;
    el.createForm.reset();
    el.createError.textContent = '';
    el.createName.removeAttribute('aria-invalid');
    el.createDialog.showModal();
    el.createName.focus();
  }

  private async create(): Promise<void> {
    const { el } = this;
    const name = el.createName.value.trim();
    const description = el.createDescription.value.trim();
    if (name.length === 0) {
      el.createError.textContent = 'Give the room a name.';
      el.createName.setAttribute('aria-invalid', 'true');
      el.createName.focus();
      return;
    }
    const submit = el.createForm.querySelector<HTMLButtonElement>('button[type=submit]');
    if (submit) submit.disabled = true;
    try {
      const room = await this.api.createRoom(name, description, el.createPrivate.checked);
      this.store.addCreated(room);
      el.createDialog.close();
      await this.actions.created(room);
      toast(`Room ${room.name} created`);
    } catch (error) {
      el.createError.textContent = errorText(error);
      el.createName.setAttribute('aria-invalid', 'true');
    } finally {
      if (submit) submit.disabled = false;
    }
  }

  private openInvite(): void {
    const { el } = this;
    el.inviteForm.reset();
    el.inviteError.textContent = '';
    el.inviteDialog.showModal();
    el.inviteUsername.focus();
  }

  private async invite(): Promise<void> {
    const { el } = this;
    const state = this.store.currentState();
    const username = el.inviteUsername.value.trim();
    if (!state) return;
    if (username.length === 0) {
      el.inviteError.textContent = 'Enter a username.';
      return;
    }
    try {
      const user = await this.api.invite(state.room.id, username);
      el.inviteDialog.close();
      toast(`${user.username} was added to ${state.room.name}`);
      this.actions.invited();
    } catch (error) {
      el.inviteError.textContent =
        error instanceof ApiError && error.code === ErrorCode.UserNotFound
          ? `There is no user called ${username}.`
          : errorText(error);
    }
  }
}
