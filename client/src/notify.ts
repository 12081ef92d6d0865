import { byId, h } from './dom';
import { errorText } from './error-text';

const MAX_ANNOUNCEMENTS = 20;

/** Tells screen readers about something (new messages, joins) through the polite live region. */
export function announce(text: string): void {
  const live = byId('live');
  live.appendChild(h('p', {}, text.length > 300 ? `${text.slice(0, 300)}…` : text));
  while (live.childElementCount > MAX_ANNOUNCEMENTS) live.firstElementChild?.remove();
}

/** A short notice in the corner, gone after a few seconds. */
export function toast(text: string, kind: 'info' | 'error' = 'info'): void {
  const box = byId('toasts');
  const item = h('div', { class: `toast ${kind}` }, text);
  box.appendChild(item);
  while (box.childElementCount > 3) box.firstElementChild?.remove();
  setTimeout(() => item.remove(), kind === 'error' ? 7_000 : 4_000);
}

/** Tells what failed (`what`) and why, in an error toast. */
export function showError(error: unknown, what: string): void {
  toast(`${what}: ${errorText(error)}`, 'error');
}
