import type { Message, Reaction } from '../../src/contract/objects';
import { actionBar } from './action-bar';
import { h } from './dom';
import { formatDay, formatFull, formatTime, sameDay } from './format';
import { reactionChips } from './reaction-views';
import type { Parent } from './reply-parents';
import { replyQuote } from './reply-views';
import { avatar, linkify, personName } from './views';

/** A message as shown: confirmed (with an id) or still on its way (pending or failed). */
export interface ShownMessage {
  key: string;
  id: number | null;
  userId: number;
  /** The author's handle (mentions, direct messages). */
  username: string;
  /** What the author is called on screen: their display name. */
  name: string;
  content: string;
  createdAt: string;
  state: 'sent' | 'pending' | 'failed';
  error?: string;
  cid?: string;
  /** The message this one answers. */
  replyTo: number | null;
  /** When it was last edited; null if never. */
  editedAt: string | null;
  /** A tombstone: shown as deleted, in its place. */
  deleted: boolean;
  reactions: Reaction[];
  /** Its latest change (0 for messages on their way): the view is redrawn when it changes. */
  changeId: number;
  /** The users it mentions, as the server found them (none for messages on their way). */
  mentions: number[];
}

/** A confirmed message as shown, its author called `name` (their display name). */
export function shownFromMessage(message: Message, name = message.username): ShownMessage {
  return {
    key: `m${message.id}`,
    id: message.id,
    userId: message.user_id,
    username: message.username,
    name,
    content: message.content,
    createdAt: message.created_at,
    state: 'sent',
    replyTo: message.reply_to ?? null,
    editedAt: message.edited_at ?? null,
    deleted: message.deleted === true,
    reactions: message.reactions ?? [],
    changeId: message.change_id ?? 0,
    mentions: Array.isArray(message.mentions) ? message.mentions : [],
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
  /** Opens the reaction picker for a message, by the button that asked. */
  react(messageId: number, anchor: HTMLElement): void;
  /** Adds (`on`) or takes back the user's reaction with `emoji`. */
  toggleReaction(messageId: number, emoji: string, on: boolean): void;
  /** Starts editing the user's own message. */
  edit(messageId: number): void;
  /** Asks to confirm, then deletes a message. */
  remove(messageId: number): void;
}

/** What the list is drawn for, beyond the messages. */
export interface ListContext {
  meId: number;
  /** Whether the user is in the room: only members reply, react, edit and delete. */
  joined: boolean;
  /** Whether the user moderates the room (owner, admin, server admin): they delete anyone's messages. */
  moderates: boolean;
  /** The message just brought into view from a quote, marked for a moment. */
  highlighted: number | null;
  /** The message being edited, and the box it is edited in. */
  editing: number | null;
  editor: HTMLElement;
  /** The message whose actions a long press showed (touch screens). */
  actionsOpen: number | null;
  /** Usernames by id, for who reacted. */
  names: ReadonlyMap<number, string>;
  /** The first message after the read position on entering: "New messages" goes above it. */
  firstNew: number | null;
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

/** The text, and "(edited)" after it when it was. */
function messageText(message: ShownMessage): HTMLElement {
  // dir="auto" isolates what people wrote: no bidi control in it can turn the text around it.
  const content = h(
    'div',
    { class: 'msg-content', attrs: { dir: 'auto' } },
    ...linkify(message.content),
  );
  const edited = message.editedAt
    ? h(
        'span',
        {
          class: 'msg-edited',
          attrs: { title: `Edited ${formatFull(new Date(message.editedAt))}` },
        },
        '(edited)',
      )
    : null;
  return h('div', 'msg-text', content, edited ? ' ' : null, edited);
}

/**
 * What goes in a message's main column after its author line: quote, text (or the box it is
 * edited in, or the note that it was deleted), status, reactions, and its actions.
 */
function messageBody(
  message: ShownMessage,
  actions: MessageActions,
  context: ListContext,
): HTMLElement[] {
  const { id, replyTo } = message;
  if (message.deleted) {
    return [h('div', 'msg-tombstone', 'This message was deleted')];
  }
  const own = message.userId === context.meId;
  const editing = id !== null && id === context.editing;
  const canAct = id !== null && context.joined;
  const reactions =
    id !== null && message.reactions.length > 0
      ? reactionChips(message.reactions, {
          meId: context.meId,
          names: context.names,
          canReact: context.joined,
          toggle: (emoji, on) => actions.toggleReaction(id, emoji, on),
          add: (anchor) => actions.react(id, anchor),
        })
      : null;
  return [
    replyTo === null ? null : replyQuote(actions.parent(replyTo), (id) => actions.showParent(id)),
    editing ? context.editor : messageText(message),
    statusLine(message, actions),
    reactions,
    !canAct || editing
      ? null
      : actionBar(message.username, {
          reply: () => actions.reply(id),
          react: (anchor) => actions.react(id, anchor),
          edit: own ? () => actions.edit(id) : undefined,
          remove: own || context.moderates ? () => actions.remove(id) : undefined,
        }),
  ].filter((element): element is HTMLElement => element !== null);
}

/**
 * The message list's items: one per day, with the day as a heading over a list of that day's
 * messages (grouped, pending ones last). A divider between the items would break the list for
 * screen readers; headings also let them jump from day to day.
 */
export function messageItems(
  messages: ShownMessage[],
  actions: MessageActions,
  context: ListContext,
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
    const marked = (id: number | null) => message.id !== null && message.id === id;
    const firstNew = marked(context.firstNew);
    // A reply starts a group of its own: its quote needs the author line above it; so does the
    // first new message, under its divider.
    const grouped = message.replyTo === null && !firstNew && continues(previous, message);
    const own = message.userId === context.meId;
    const mentioned = !own && !message.deleted && message.mentions.includes(context.meId);
    const time = h(
      'time',
      { attrs: { datetime: message.createdAt, title: formatFull(date) } },
      formatTime(date),
    );
    const body = messageBody(message, actions, context);
    const className =
      `msg${grouped ? ' grouped' : ''}${own ? ' own' : ''} ${message.state}` +
      (message.deleted ? ' deleted' : '') +
      (marked(context.editing) ? ' editing' : '') +
      (marked(context.actionsOpen) ? ' actions-open' : '') +
      (marked(context.highlighted) ? ' highlight' : '') +
      (mentioned ? ' mentioned' : '') +
      (firstNew ? ' first-new' : '');
    // Inside the item rather than between items, which would break the list for screen readers.
    const divider = firstNew
      ? h(
          'div',
          { class: 'new-divider', attrs: { id: 'new-divider' } },
          h('span', {}, 'New messages'),
        )
      : null;
    const mentionNote = mentioned ? h('span', 'sr-only', 'Mentions you. ') : null;
    const attrs = {
      'data-state': message.state,
      'data-id': message.id ?? undefined,
      'data-cid': message.cid,
      'data-key': message.key,
    };
    day.append(
      grouped
        ? h(
            'li',
            { class: className, attrs },
            h('span', 'msg-gutter', time),
            h('div', 'msg-main', h('span', 'sr-only', `${message.name}: `), mentionNote, ...body),
          )
        : h(
            'li',
            { class: className, attrs },
            divider,
            avatar(message.username),
            h(
              'div',
              'msg-main',
              h(
                'div',
                'msg-meta',
                ...personName('msg-author', message.name, message.username),
                time,
              ),
              mentionNote,
              ...body,
            ),
          ),
    );
    previous = message;
  }
  return days;
}
