import { ErrorCode } from '../../src/common/errors/error-code';
import { LIMITS } from '../../src/common/limits';
import type { User } from '../../src/contract/objects';
import type { Api } from './api';
import type { Dialogs } from './dialogs';
import { h, replaceChildren, type Listen } from './dom';
import type { Elements } from './elements';
import { errorText } from './error-text';
import { ApiError } from './errors';
import { formatDay, formatTime, plural } from './format';
import { displayName } from './names';
import { toast } from './notify';
import { describeAgent, sessionViews, type SessionView } from './sessions';

const PASSWORD = LIMITS.password;
const NAME_MAX = 64;

export interface ProfileActions {
  /** The server took the user's new display name. */
  renamed(user: User): void;
  /** Signs out here (`everywhere`: on every device). */
  signOut(everywhere: boolean): void;
}

/** "Today 10:32 AM", "Monday, November 24 9:05 PM". */
function when(iso: string | null): string {
  const date = iso ? new Date(iso) : null;
  return date && !Number.isNaN(date.getTime())
    ? `${formatDay(date)} ${formatTime(date)}`
    : 'unknown';
}

/**
 * The profile dialog: the display name, the password, and the sessions the user is signed in
 * with (each can be ended), with signing out here or everywhere.
 */
export class ProfileDialog {
  constructor(
    private readonly el: Elements,
    private readonly api: Api,
    private readonly me: () => User,
    private readonly dialogs: Dialogs,
    private readonly actions: ProfileActions,
  ) {}

  bind(on: Listen): void {
    const { el } = this;
    on(el.profileButton, 'click', () => this.open());
    on(el.nameForm, 'submit', (event) => {
      event.preventDefault();
      void this.saveName();
    });
    on(el.passwordForm, 'submit', (event) => {
      event.preventDefault();
      void this.changePassword();
    });
    on(el.logoutAll, 'click', () => void this.signOutEverywhere());
    on(el.profileSignOut, 'click', () => this.actions.signOut(false));
    for (const button of el.profileDialog.querySelectorAll<HTMLButtonElement>('[data-close]')) {
      on(button, 'click', () => el.profileDialog.close());
    }
  }

  open(): void {
    const { el } = this;
    const me = this.me();
    el.profileHandle.textContent = `Signed in as @${me.username}`;
    el.profileName.value = displayName(me);
    el.passwordForm.reset();
    for (const error of [el.nameError, el.passwordError, el.sessionsError]) error.textContent = '';
    for (const input of [el.profileName, el.currentPassword, el.newPassword]) {
      input.removeAttribute('aria-invalid');
    }
    if (!el.profileDialog.open) el.profileDialog.showModal();
    el.profileName.focus();
    void this.loadSessions();
  }

  private async saveName(): Promise<void> {
    const { el } = this;
    const name = el.profileName.value.trim();
    if (name.length === 0 || name.length > NAME_MAX) {
      this.invalid(el.profileName, el.nameError, `Display names have 1 to ${NAME_MAX} characters.`);
      return;
    }
    el.profileName.removeAttribute('aria-invalid');
    el.nameError.textContent = '';
    try {
      const user = await this.api.updateMe(name);
      this.actions.renamed(user);
      toast(`Your display name is now ${displayName(user)}`);
    } catch (error) {
      this.invalid(el.profileName, el.nameError, `Not saved: ${errorText(error)}`);
    }
  }

  private async changePassword(): Promise<void> {
    const { el } = this;
    const current = el.currentPassword.value;
    const next = el.newPassword.value;
    el.currentPassword.removeAttribute('aria-invalid');
    el.newPassword.removeAttribute('aria-invalid');
    if (current.length === 0) {
      this.invalid(el.currentPassword, el.passwordError, 'Enter your current password.');
      return;
    }
    if (next.length < PASSWORD.min || next.length > PASSWORD.max) {
      const text = `Passwords have ${PASSWORD.min} to ${PASSWORD.max} characters.`;
      this.invalid(el.newPassword, el.passwordError, text);
      return;
    }
    el.passwordError.textContent = '';
    try {
      await this.api.changePassword(current, next);
      el.passwordForm.reset();
      toast('Password changed. Your other sessions were signed out.');
      void this.loadSessions();
    } catch (error) {
      const wrong = error instanceof ApiError && error.code === ErrorCode.InvalidCredentials;
      if (wrong) {
        this.invalid(el.currentPassword, el.passwordError, 'The current password is wrong.');
      } else {
        el.passwordError.textContent = `Not changed: ${errorText(error)}`;
      }
    }
  }

  private invalid(input: HTMLInputElement, error: HTMLElement, text: string): void {
    input.setAttribute('aria-invalid', 'true');
    error.textContent = text;
    input.focus();
  }

  private async loadSessions(): Promise<void> {
    const { el } = this;
    el.sessionsStatus.textContent = 'Loading sessions…';
    let sessions: SessionView[];
    try {
      sessions = sessionViews(await this.api.sessions());
    } catch (error) {
      el.sessionsStatus.textContent = '';
      el.sessionsError.textContent = `Could not load the sessions: ${errorText(error)}`;
      return;
    }
    el.sessionsStatus.textContent = plural(sessions.length, 'active session', 'active sessions');
    replaceChildren(
      el.sessionsList,
      sessions.map((session) => this.sessionItem(session)),
    );
  }

  private sessionItem(session: SessionView): HTMLLIElement {
    const device = describeAgent(session.userAgent);
    return h(
      'li',
      {
        class: `manage-item${session.current ? ' current' : ''}`,
        attrs: { 'data-session-id': session.id },
      },
      h(
        'div',
        'manage-text',
        h(
          'span',
          { class: 'manage-name', attrs: { title: session.userAgent || undefined } },
          device,
          session.current ? h('span', 'role-tag', 'This device') : null,
        ),
        h(
          'span',
          'hint',
          `Signed in ${when(session.createdAt)} · last used ${when(session.lastUsedAt)}`,
        ),
      ),
      session.current
        ? null
        : h(
            'div',
            'manage-actions',
            h(
              'button',
              {
                class: 'btn small',
                attrs: {
                  type: 'button',
                  'aria-label': `Sign out ${device}, signed in ${when(session.createdAt)}`,
                },
                on: { click: () => void this.endSession(session, device) },
              },
              'Sign out',
            ),
          ),
    );
  }

  private async endSession(session: SessionView, device: string): Promise<void> {
    const ok = await this.dialogs.confirm(`Sign out the session on ${device}?`, 'Sign out');
    if (!ok) return;
    try {
      await this.api.endSession(session.id);
      toast(`The session on ${device} was signed out`);
    } catch (error) {
      this.el.sessionsError.textContent = `Could not sign it out: ${errorText(error)}`;
    }
    void this.loadSessions();
  }

  private async signOutEverywhere(): Promise<void> {
    const ok = await this.dialogs.confirm(
      'Sign out everywhere? Every session of your account ends, this one included.',
      'Sign out everywhere',
    );
    if (ok) this.actions.signOut(true);
  }
}
