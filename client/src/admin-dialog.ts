import type { AdminUser } from '../../src/contract/objects';
import type { Api } from './api';
import type { Dialogs } from './dialogs';
import { h, replaceChildren, type Listen } from './dom';
import type { Elements } from './elements';
import { errorText } from './error-text';
import { plural } from './format';
import { displayName } from './names';
import { toast } from './notify';
import { pickUsers } from './people';
import { avatar, personName } from './views';

/**
 * The server admins' dialog: the accounts (filtered by name as the admin types), each deactivated
 * or reactivated after a confirmation. The admin's own account is not listed.
 */
export class AdminDialog {
  private accounts: AdminUser[] = [];

  constructor(
    private readonly el: Elements,
    private readonly api: Api,
    private readonly meId: number,
    private readonly dialogs: Dialogs,
  ) {}

  bind(on: Listen): void {
    const { el } = this;
    on(el.adminButton, 'click', () => void this.open());
    on(el.adminFilter, 'input', () => this.render());
    for (const button of el.adminDialog.querySelectorAll<HTMLButtonElement>('[data-close]')) {
      on(button, 'click', () => el.adminDialog.close());
    }
  }

  async open(): Promise<void> {
    const { el } = this;
    el.adminFilter.value = '';
    el.adminError.textContent = '';
    el.adminStatus.textContent = 'Loading accounts…';
    replaceChildren(el.adminUsers, []);
    if (!el.adminDialog.open) el.adminDialog.showModal();
    el.adminFilter.focus();
    await this.load();
  }

  private async load(): Promise<void> {
    try {
      this.accounts = await this.api.adminUsers();
    } catch (error) {
      this.el.adminStatus.textContent = '';
      this.el.adminError.textContent = `Could not load the accounts: ${errorText(error)}`;
      return;
    }
    this.render();
  }

  private render(): void {
    const { el } = this;
    const { users, total } = pickUsers(this.accounts, el.adminFilter.value, this.meId);
    el.adminStatus.textContent =
      total === 0
        ? 'Nobody matches.'
        : total > users.length
          ? `${users.length} of ${plural(total, 'account', 'accounts')}: type a name to narrow the list.`
          : plural(total, 'account', 'accounts');
    replaceChildren(
      el.adminUsers,
      users.map((account) => this.item(account)),
    );
  }

  private item(account: AdminUser): HTMLLIElement {
    const off = account.deactivated === true;
    const action = off ? 'Reactivate' : 'Deactivate';
    return h(
      'li',
      { class: `manage-item${off ? ' inactive' : ''}`, attrs: { 'data-user-id': account.id } },
      avatar(account.username, 'small'),
      h(
        'div',
        'manage-text',
        h(
          'span',
          'manage-name',
          ...personName('member-name', displayName(account), account.username),
        ),
        account.role === 'admin' ? h('span', 'role-tag', 'Server admin') : null,
        off ? h('span', 'role-tag', 'Deactivated') : null,
      ),
      h(
        'div',
        'manage-actions',
        h(
          'button',
          {
            class: `btn small${off ? '' : ' danger'}`,
            attrs: { type: 'button', 'aria-label': `${action} ${account.username}` },
            on: { click: () => void this.toggle(account) },
          },
          action,
        ),
      ),
    );
  }

  private async toggle(account: AdminUser): Promise<void> {
    const off = account.deactivated === true;
    const ok = await this.dialogs.confirm(
      off
        ? `Reactivate ${account.username}? They can sign in again.`
        : `Deactivate ${account.username}? They are signed out everywhere at once and cannot sign in.`,
      off ? 'Reactivate' : 'Deactivate',
    );
    if (!ok) return;
    this.el.adminError.textContent = '';
    try {
      await this.api.setActive(account.id, off);
      toast(`${account.username} was ${off ? 'reactivated' : 'deactivated'}`);
    } catch (error) {
      this.el.adminError.textContent = `Could not change the account: ${errorText(error)}`;
    }
    await this.load();
  }
}
