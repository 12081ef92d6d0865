import type { User } from '../../src/contract/objects';
import { byId, type Listen } from './dom';
import type { Elements } from './elements';
import { isServerAdmin } from './moderation';
import { displayName } from './names';
import type { ConnectionState } from './realtime';
import { avatar } from './views';

export const isMobile = () => window.matchMedia('(max-width: 767px)').matches;
export const isWide = () => window.matchMedia('(min-width: 1200px)').matches;

const CONNECTION_TEXT: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  connected: 'Connected',
  reconnecting: 'Reconnecting…',
};

/**
 * The frame around the conversation: the room list and the member list (drawers on small
 * screens, over a backdrop), who is signed in, and the connection's state.
 */
export class Layout {
  /** `membersShown`: the member list was opened, so it should be up to date. */
  constructor(
    private readonly el: Elements,
    private readonly membersShown: () => void,
  ) {}

  bind(on: Listen): void {
    const { el } = this;
    on(el.roomsToggle, 'click', () => this.setSidebarOpen(true));
    on(byId('sidebar-close'), 'click', () => this.setSidebarOpen(false));
    on(el.backdrop, 'click', () => {
      this.setSidebarOpen(false);
      if (!isWide()) this.setMembersOpen(false);
    });
    on(el.membersToggle, 'click', () =>
      this.setMembersOpen(!el.app.classList.contains('members-open')),
    );
    on(byId('members-close'), 'click', () => {
      this.setMembersOpen(false);
      el.membersToggle.focus();
    });
    on(document, 'keydown', (event) => {
      // An open dialog handles its own Escape.
      if (event.key !== 'Escape' || document.querySelector('dialog[open]')) return;
      if (el.app.classList.contains('sidebar-open')) {
        this.setSidebarOpen(false);
        el.roomsToggle.focus();
      } else if (el.app.classList.contains('members-open') && !isWide()) {
        this.setMembersOpen(false);
        el.membersToggle.focus();
      }
    });
    const wide = window.matchMedia('(min-width: 1200px)');
    on(wide, 'change', () => this.setMembersOpen(wide.matches));
    const mobile = window.matchMedia('(max-width: 767px)');
    on(mobile, 'change', () => {
      if (!mobile.matches) this.setSidebarOpen(false);
    });
  }

  /** Who is signed in: their display name, and the admin's tools for server admins. */
  showMe(user: User): void {
    this.el.meName.textContent = displayName(user);
    this.el.meName.title = `@${user.username}`;
    this.el.adminButton.hidden = !isServerAdmin(user);
    byId('me-avatar').replaceWith(Object.assign(avatar(user.username), { id: 'me-avatar' }));
  }

  setSidebarOpen(open: boolean): void {
    const { el } = this;
    el.app.classList.toggle('sidebar-open', open);
    el.roomsToggle.setAttribute('aria-expanded', String(open));
    this.updateBackdrop();
    if (open) {
      const target =
        el.sidebar.querySelector<HTMLElement>('.room.active') ??
        el.sidebar.querySelector<HTMLElement>('.room, button');
      target?.focus();
    }
  }

  setMembersOpen(open: boolean): void {
    this.el.app.classList.toggle('members-open', open);
    this.el.membersToggle.setAttribute('aria-expanded', String(open));
    this.updateBackdrop();
    if (open) this.membersShown();
  }

  showConnection(state: ConnectionState): void {
    this.el.conn.dataset.state = state;
    this.el.connText.textContent = CONNECTION_TEXT[state];
    const banner = this.el.banner;
    if (state === 'reconnecting') {
      banner.textContent = 'Connection lost. Reconnecting… Messages you send will be delivered.';
      banner.hidden = false;
    } else {
      banner.hidden = true;
    }
  }

  /** Both drawers closed, as for a new session. */
  reset(): void {
    this.el.app.classList.remove('sidebar-open', 'members-open');
    this.el.backdrop.hidden = true;
  }

  private updateBackdrop(): void {
    const sidebarOpen = this.el.app.classList.contains('sidebar-open') && isMobile();
    const membersOpen = this.el.app.classList.contains('members-open') && !isWide();
    this.el.backdrop.hidden = !(sidebarOpen || membersOpen);
  }
}
