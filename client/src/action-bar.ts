import { h } from './dom';
import { replyButton } from './reply-views';
import { icon } from './views';

const ICONS = {
  react: 'M21 12a9 9 0 1 1-18 0 9 9 0 0 1 18 0zM8 14s1.5 2 4 2 4-2 4-2M9 9h.01M15 9h.01',
  edit: 'M12 20h9M16.5 3.5a2.1 2.1 0 0 1 3 3L7 19l-4 1 1-4z',
  delete: 'M3 6h18M8 6V4h8v2M19 6l-1 14H6L5 6M10 11v6M14 11v6',
};

/** What the user may do with a message, and what doing it calls. */
export interface BarActions {
  reply: () => void;
  react: (anchor: HTMLElement) => void;
  /** Present for the user's own messages. */
  edit?: () => void;
  /** Present for the user's own messages, and for all in a room they moderate. */
  remove?: () => void;
}

/** One icon button of the bar; `focus` names it, so that a redraw can give its focus back. */
export function actionButton(
  label: string,
  path: string,
  focus: string,
  onClick: (button: HTMLButtonElement) => void,
  className = '',
): HTMLButtonElement {
  const button: HTMLButtonElement = h(
    'button',
    {
      class: `icon-btn msg-action${className ? ` ${className}` : ''}`,
      attrs: { type: 'button', 'aria-label': label, title: label, 'data-focus': focus },
      on: { click: () => onClick(button) },
    },
    icon(path),
  );
  return button;
}

/** The add-reaction button, as in the bar and at the end of a message's reactions. */
export function reactButton(
  react: (anchor: HTMLElement) => void,
  focus = 'react',
  className = '',
): HTMLElement {
  return actionButton('Add a reaction', ICONS.react, focus, react, className);
}

/**
 * A message's actions: shown on hover and keyboard focus, and on touch screens after a long press
 * (see chat.css and long-press.ts).
 */
export function actionBar(username: string, actions: BarActions): HTMLElement {
  const reply = replyButton(username, actions.reply);
  reply.classList.add('msg-action');
  reply.dataset.focus = 'reply';
  return h(
    'div',
    { class: 'msg-actions', attrs: { role: 'group', 'aria-label': 'Message actions' } },
    reply,
    reactButton(actions.react),
    actions.edit ? actionButton('Edit message', ICONS.edit, 'edit', actions.edit) : null,
    actions.remove
      ? actionButton('Delete message', ICONS.delete, 'delete', actions.remove, 'danger')
      : null,
  );
}
