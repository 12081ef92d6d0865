import { h, type Child } from './dom';
import { colorSlot, initials } from './format';
import type { Room, User } from '../../src/contract/objects';

export function avatar(name: string, size: 'small' | 'normal' = 'normal'): HTMLSpanElement {
  return h(
    'span',
    {
      class: `avatar c${colorSlot(name)}${size === 'small' ? ' small' : ''}`,
      attrs: { 'aria-hidden': 'true' },
    },
    initials(name),
  );
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** A stroke icon from one path (drawn with currentColor by the stylesheet). */
export function icon(path: string, className = 'icon'): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', className);
  const shape = document.createElementNS(SVG_NS, 'path');
  shape.setAttribute('d', path);
  svg.appendChild(shape);
  return svg;
}

export const ICONS = {
  hash: 'M5 9h14M5 15h14M10 4L8 20M16 4l-2 16',
  lock: 'M7 11V8a5 5 0 0 1 10 0v3M6 11h12v9H6z',
  person: 'M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM5 20a7 7 0 0 1 14 0',
  message:
    'M4 6.5A2.5 2.5 0 0 1 6.5 4h11A2.5 2.5 0 0 1 20 6.5v8a2.5 2.5 0 0 1-2.5 2.5H10l-4.5 3.5V17H6.5A2.5 2.5 0 0 1 4 14.5z',
};

export function roomIcon(room: Room): SVGSVGElement {
  return icon(room.is_private ? ICONS.lock : ICONS.hash, 'icon room-icon');
}

/** A count as a badge shows it. */
const shownCount = (count: number) => (count > 99 ? '99+' : String(count));

export interface RoomItem {
  room: Room;
  unread: number;
  /** Unread messages mentioning the viewer. */
  mentions?: number;
  active: boolean;
  /** Shown instead of an unread badge, for rooms the user has not joined. */
  members?: number;
  /** For a direct room: whether the other person is online. */
  online?: boolean;
}

export function roomListItem(item: RoomItem, select: (roomId: number) => void): HTMLLIElement {
  const { room, unread, active } = item;
  const mentions = item.mentions ?? 0;
  const direct = room.kind === 'direct';
  const shownUnread = shownCount(unread);
  // The label contains the words shown, in their order (WCAG 2.5.3): voice users say what they see.
  const label =
    (direct
      ? `Direct message ${room.name}${item.online ? ', online' : ''}`
      : `${room.is_private ? 'Private room' : 'Room'} ${room.name}`) +
    (mentions > 0 ? `, @${shownCount(mentions)} ${mentions === 1 ? 'mention' : 'mentions'}` : '') +
    (unread > 0 ? `, ${shownUnread} unread` : '') +
    (item.members ? `, ${item.members} ${item.members === 1 ? 'member' : 'members'}` : '');
  const button = h(
    'button',
    {
      class: `room${active ? ' active' : ''}${unread > 0 ? ' has-unread' : ''}${direct ? ' direct' : ''}`,
      attrs: {
        type: 'button',
        'aria-current': active ? 'page' : undefined,
        'aria-label': label,
        'data-room-id': room.id,
      },
      on: { click: () => select(room.id) },
    },
    // An icon rather than initials: the button's name holds every word it shows (WCAG 2.5.3).
    direct
      ? h(
          'span',
          { class: `direct-icon${item.online ? ' online' : ''}` },
          icon(ICONS.person, 'icon room-icon'),
          h('span', { class: 'presence', attrs: { 'aria-hidden': 'true' } }),
        )
      : roomIcon(room),
    userText('room-name', room.name),
    // Keeps the name and the count apart as words; a flex container does not render the space.
    ' ',
    // Mentions take the badge's place (the name stays bold for the other unread messages), so
    // that the words shown stay in the order of the label's.
    mentions > 0
      ? h(
          'span',
          { class: 'badge mention-badge', attrs: { 'aria-hidden': 'true' } },
          `@${shownCount(mentions)}`,
        )
      : unread > 0
        ? h('span', { class: 'badge', attrs: { 'aria-hidden': 'true' } }, shownUnread)
        : item.members
          ? h('span', { class: 'room-note', attrs: { 'aria-hidden': 'true' } }, item.members)
          : null,
  );
  return h('li', {}, button);
}

/** A name or other text someone wrote, isolated from the text around it (dir="auto"). */
export function userText(className: string, text: string): HTMLSpanElement {
  return h('span', { class: className, attrs: { dir: 'auto' } }, text);
}

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]}]/g;

/** The text with http(s) links made clickable; every piece is a text node. */
export function linkify(text: string): Child[] {
  const parts: Child[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const start = match.index;
    parts.push(text.slice(last, start));
    parts.push(
      h(
        'a',
        { attrs: { href: match[0], target: '_blank', rel: 'noopener noreferrer nofollow' } },
        match[0],
      ),
    );
    last = start + match[0].length;
  }
  parts.push(text.slice(last));
  return parts;
}

/**
 * Someone's display name, then their @username (the handle for mentions and direct messages) in
 * a quieter style when the two differ.
 */
export function personName(className: string, name: string, username: string): HTMLElement[] {
  const shown = userText(className, name);
  if (name === username) return [shown];
  shown.title = `@${username}`;
  return [shown, userText('handle', `@${username}`)];
}

/**
 * A member of the open room, called `name` (their display name), with their room role when it is
 * above member; `message` starts a direct conversation with them.
 */
export function memberItem(
  user: User,
  meId: number,
  name: string,
  role: string,
  message?: (username: string) => void,
): HTMLLIElement {
  return h(
    'li',
    { class: `member${user.online ? ' online' : ''}`, attrs: { 'data-user-id': user.id } },
    h(
      'span',
      'member-avatar',
      avatar(user.username, 'small'),
      h('span', { class: 'presence', attrs: { 'aria-hidden': 'true' } }),
    ),
    // The list is narrow: the @username (the handle) is the name's tooltip.
    h(
      'span',
      {
        class: 'member-name',
        attrs: { dir: 'auto', title: name === user.username ? undefined : `@${user.username}` },
      },
      name,
    ),
    role ? h('span', 'role-tag', role) : null,
    user.id === meId ? h('span', 'member-you', '(you)') : null,
    user.id !== meId && message
      ? h(
          'button',
          {
            class: 'icon-btn member-message',
            attrs: {
              type: 'button',
              'aria-label': `Message ${user.username}`,
              title: `Send ${name} a direct message`,
            },
            on: { click: () => message(user.username) },
          },
          icon(ICONS.message),
        )
      : null,
  );
}

/** "alice is typing", "alice and bob are typing", "3 people are typing". */
export function typingText(names: string[]): string {
  if (names.length === 0) return '';
  if (names.length === 1) return `${names[0]} is typing`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing`;
  return `${names.length} people are typing`;
}

/**
 * One tab stop for the member list's Message buttons (a roving tabindex): the one last focused, or
 * the first; the arrow keys move between them (see `roveByKey`). A long member list does not
 * stand between the composer and the room list for someone moving with Tab.
 */
export function rove(container: HTMLElement, focused: HTMLElement | null): void {
  const buttons = [...container.querySelectorAll<HTMLElement>('.member-message')];
  const current =
    focused && buttons.includes(focused)
      ? focused
      : (buttons.find((button) => button.tabIndex === 0 && button.dataset.rove === 'current') ??
        buttons[0]);
  for (const button of buttons) {
    const isCurrent = button === current;
    button.tabIndex = isCurrent ? 0 : -1;
    if (isCurrent) button.dataset.rove = 'current';
    else delete button.dataset.rove;
  }
}

/** The Up and Down arrows move the focus between the member list's Message buttons. */
export function roveByKey(container: HTMLElement, event: KeyboardEvent): void {
  if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
  const target = event.target;
  if (!(target instanceof HTMLElement) || !target.classList.contains('member-message')) return;
  const buttons = [...container.querySelectorAll<HTMLElement>('.member-message')];
  const index = buttons.indexOf(target);
  const next = buttons[index + (event.key === 'ArrowDown' ? 1 : -1)];
  if (!next) return;
  event.preventDefault();
  rove(container, next);
  next.focus();
}
