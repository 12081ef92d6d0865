import { h } from './dom';
import { quoteText, type Parent } from './reply-parents';
import { icon, userText } from './views';

const REPLY_ICON = 'M9 14L4 9l5-5M4 9h10.5a5.5 5.5 0 0 1 0 11H11';

/** A message's Reply action, in its action bar (see action-bar.ts). */
export function replyButton(username: string, reply: () => void): HTMLButtonElement {
  return h(
    'button',
    {
      class: 'icon-btn msg-reply',
      attrs: { type: 'button', 'aria-label': `Reply to ${username}`, title: 'Reply' },
      on: { click: reply },
    },
    icon(REPLY_ICON),
  );
}

/**
 * The compact quote of the message a reply answers, above the reply's content: a button that shows
 * the original, or a note while it loads, when it is gone, or when it was deleted.
 */
export function replyQuote(parent: Parent, showParent: (messageId: number) => void): HTMLElement {
  if (parent.kind === 'loading') {
    return h(
      'div',
      'reply-quote pending',
      h('span', { attrs: { 'aria-hidden': 'true' } }, '…'),
      h('span', 'sr-only', 'Loading the quoted message'),
    );
  }
  if (parent.kind === 'missing') {
    return h('div', 'reply-quote missing', 'Original message not available');
  }
  const { message } = parent;
  if (message.deleted) {
    return h(
      'div',
      { class: 'reply-quote missing', attrs: { 'data-reply-to': message.id } },
      h('span', 'sr-only', 'In reply to a '),
      'message deleted',
    );
  }
  return h(
    'button',
    {
      class: 'reply-quote',
      attrs: { type: 'button', title: 'Show the original message', 'data-reply-to': message.id },
      on: { click: () => showParent(message.id) },
    },
    h('span', 'sr-only', 'In reply to '),
    userText('reply-quote-author', message.username),
    h('span', 'sr-only', ':'),
    ' ',
    userText('reply-quote-text', quoteText(message.content)),
  );
}

/** The bar over the composer while a reply is being written: "Replying to alice: …". */
export function replyingText(message: { username: string; content: string }): Node[] {
  return [
    document.createTextNode('Replying to '),
    userText('reply-bar-author', message.username),
    document.createTextNode(': '),
    userText('reply-bar-text', quoteText(message.content)),
  ];
}
