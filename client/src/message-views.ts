import type { Message } from '../../src/contract/objects';
import { h } from './dom';
import { formatDay, formatFull, formatTime, sameDay } from './format';
import type { Parent } from './reply-parents';
import { replyButton, replyQuote } from './reply-views';
import { avatar, linkify, userText } from './views';

/** A message as shown: confirmed (with an id) or still on its way (pending or failed). */
export interface ShownMessage {
  key: string;
  id: number | null;
  userId: number;
  username: string;
  content: string;
  createdAt: string;
  state: 'sent' | 'pending' | 'failed';
  error?: string;
  cid?: string;
  /** The message this one answers. */
  replyTo: number | null;
}

export function shownFromMessage(message: Message): ShownMessage {
  return {
    key: `m${message.id}`,
    id: message.id,
    userId: message.user_id,
    username: message.username,
    content: message.content,
    createdAt: message.created_at,
    state: 'sent',
    replyTo: message.reply_to ?? null,
  };
}

export interface MessageActions {
  retry(cid: string): void;
  discard(cid: string): void;
  /** The user chose to answer a confirmed message. */
  reply(messageId: number): void;
  /** What a reply's quote shows of the message it answers. */
  parent(messageId: number): Parent;
  /** The user clicked a quote: bring the message it quotes into view. */
  showParent(messageId: number): void;
}

/** Whether `message` continues the previous one's group (same author, same day, within 5 min). */
function continues(previous: ShownMessage | undefined, message: ShownMessage): boolean {
  if (!previous || previous.userId !== message.userId) return false;
  const a = new Date(previous.createdAt);
  const b = new Date(message.createdAt);
  return sameDay(a, b) && b.getTime() - a.getTime() < 5 * 60_000;
}

function statusLine(message: ShownMessage, actions: MessageActions): HTMLElement | null {
  if (message.state === 'sent' || !message.cid) return null;
  const cid = message.cid;
  if (message.state === 'pending') {
    return h('div', 'msg-status', h('span', 'sending-dot'), 'Sending…');
  }
  return h(
    'div',
    { class: 'msg-status failed', attrs: { role: 'alert' } },
    `Not sent${message.error ? `: ${message.error}` : ''}. `,
    h(
      'button',
      { class: 'link', attrs: { type: 'button' }, on: { click: () => actions.retry(cid) } },
      'Retry',
    ),
    ' · ',
    h(
      'button',
      { class: 'link', attrs: { type: 'button' }, on: { click: () => actions.discard(cid) } },
      'Discard',
    ),
  );
}

/** What goes in a message's main column after its author line: quote, content, status, Reply. */
function messageBody(
  message: ShownMessage,
  actions: MessageActions,
  canReply: boolean,
): HTMLElement[] {
  const { id, replyTo } = message;
  // dir="auto" isolates what people wrote: no bidi control in it can turn the text around it.
  const content = h(
    'div',
    { class: 'msg-content', attrs: { dir: 'auto' } },
    ...linkify(message.content),
  );
  const status = statusLine(message, actions);
  return [
    replyTo === null ? null : replyQuote(actions.parent(replyTo), (id) => actions.showParent(id)),
    content,
    status,
    id === null || !canReply ? null : replyButton(message.username, () => actions.reply(id)),
  ].filter((element): element is HTMLElement => element !== null);
}

/**
 * The message list's items: one per day, with the day as a heading over a list of that day's
 * messages (grouped, pending ones last). A divider between the items would break the list for
 * screen readers; headings also let them jump from day to day. `highlighted`: the message just
 * brought into view from a quote; `canReply`: whether the user is in the room.
 */
export function messageItems(
  messages: ShownMessage[],
  meId: number,
  actions: MessageActions,
  { highlighted = null, canReply = true }: { highlighted?: number | null; canReply?: boolean } = {},
): HTMLLIElement[] {
  const days: HTMLLIElement[] = [];
  let day: HTMLOListElement | undefined;
  let previous: ShownMessage | undefined;
  for (const message of messages) {
    const date = new Date(message.createdAt);
    if (!day || !previous || !sameDay(new Date(previous.createdAt), date)) {
      day = h('ol', 'day-messages');
      days.push(h('li', 'day-group', h('h2', 'day', formatDay(date)), day));
      previous = undefined;
    }
    // A reply starts a group of its own: its quote needs the author line above it.
    const grouped = message.replyTo === null && continues(previous, message);
    const own = message.userId === meId;
    const time = h(
      'time',
      { attrs: { datetime: message.createdAt, title: formatFull(date) } },
      formatTime(date),
    );
    const body = messageBody(message, actions, canReply);
    const className =
      `msg${grouped ? ' grouped' : ''}${own ? ' own' : ''} ${message.state}` +
      (message.id !== null && message.id === highlighted ? ' highlight' : '');
    const attrs = {
      'data-state': message.state,
      'data-id': message.id ?? undefined,
      'data-cid': message.cid,
    };
    day.append(
      grouped
        ? h(
            'li',
            { class: className, attrs },
            h('span', 'msg-gutter', time),
            h('div', 'msg-main', h('span', 'sr-only', `${message.username}: `), ...body),
          )
        : h(
            'li',
            { class: className, attrs },
            avatar(message.username),
            h(
              'div',
              'msg-main',
              h('div', 'msg-meta', userText('msg-author', message.username), time),
              ...body,
            ),
          ),
    );
    previous = message;
  }
  return days;
}
