import type { User } from '../../src/contract/objects';
import type { Api } from './api';
import { h, replaceChildren, type Listen } from './dom';
import type { Elements } from './elements';
import { errorText } from './error-text';
import { plural } from './format';
import { displayName } from './names';
import { pickUsers, type Presence } from './people';
import { avatar, personName } from './views';

/**
 * The "New direct message" dialog: the people of the server (GET /api/users), filtered as the user
 * types; choosing one opens the direct room with them.
 */
export class PeoplePicker {
  private users: User[] = [];

  constructor(
    private readonly el: Elements,
    private readonly api: Api,
    private readonly meId: number,
    private readonly presence: Presence,
    /** Opens the direct room with `username`; resolves once it is open (rejects on failure). */
    private readonly start: (username: string) => Promise<void>,
  ) {}

  bind(on: Listen): void {
    const { el } = this;
    on(el.newDirect, 'click', () => void this.open());
    on(el.dmFilter, 'input', () => this.render());
    on(el.dmFilter, 'keydown', (event) => {
      // Enter takes the first person listed.
      if (event.key !== 'Enter') return;
      event.preventDefault();
      const first = pickUsers(this.users, el.dmFilter.value, this.meId).users[0];
      if (first) void this.choose(first.username);
    });
    for (const button of el.dmDialog.querySelectorAll<HTMLButtonElement>('[data-close]')) {
      on(button, 'click', () => el.dmDialog.close());
    }
  }

  async open(): Promise<void> {
    const { el } = this;
    el.dmFilter.value = '';
    el.dmError.textContent = '';
    el.dmStatus.textContent = 'Loading people…';
    replaceChildren(el.dmPeople, []);
    if (!el.dmDialog.open) el.dmDialog.showModal();
    el.dmFilter.focus();
    try {
      this.users = await this.api.users();
      this.presence.set(this.users);
    } catch (error) {
      el.dmStatus.textContent = '';
      el.dmError.textContent = `Could not load the people: ${errorText(error)}`;
      return;
    }
    this.render();
  }

  private render(): void {
    const { el } = this;
    const { users: found, total } = pickUsers(this.users, el.dmFilter.value, this.meId);
    el.dmStatus.textContent =
      total === 0
        ? 'Nobody matches.'
        : total > found.length
          ? `${found.length} of ${plural(total, 'person', 'people')}: type a name to narrow the list.`
          : plural(total, 'person', 'people');
    replaceChildren(
      el.dmPeople,
      found.map((user) =>
        h(
          'li',
          {},
          h(
            'button',
            {
              class: `person${user.online ? ' online' : ''}`,
              attrs: { type: 'button', 'data-username': user.username },
              on: { click: () => void this.choose(user.username) },
            },
            h(
              'span',
              'member-avatar',
              avatar(user.username, 'small'),
              h('span', { class: 'presence', attrs: { 'aria-hidden': 'true' } }),
            ),
            ...personName('member-name', displayName(user), user.username),
            user.online ? h('span', 'person-note', 'online') : null,
          ),
        ),
      ),
    );
  }

  private async choose(username: string): Promise<void> {
    const { el } = this;
    el.dmError.textContent = '';
    try {
      await this.start(username);
      el.dmDialog.close();
    } catch (error) {
      el.dmError.textContent = `Could not open the conversation: ${errorText(error)}`;
    }
  }
}
