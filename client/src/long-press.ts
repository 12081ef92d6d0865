import type { Listen } from './dom';

/** How long a finger rests on a message before its actions show. */
const PRESS_MS = 450;
/** A finger that moves further is scrolling, not pressing. */
const SLOP_PX = 10;

/**
 * Touch screens have no hover: a long press on a message shows its actions (`open` with the
 * message's id), and a touch anywhere else hides them again (`open(null)`).
 */
export function bindLongPress(
  on: Listen,
  list: HTMLElement,
  open: (messageId: number | null) => void,
): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let start: { x: number; y: number } | null = null;
  /** The press just ended in showing the actions: the browser's own menu would cover them. */
  let pressed = false;
  const cancel = () => {
    clearTimeout(timer);
    start = null;
  };
  on(document, 'pointerdown', (event) => {
    cancel();
    pressed = false;
    if (event.pointerType === 'mouse') return;
    const target = event.target instanceof Element ? event.target : null;
    // Using the actions shown keeps them; any other touch hides them.
    if (!target?.closest('.msg-actions')) open(null);
    const item = target?.closest<HTMLElement>('.msg[data-id]');
    if (!item || !list.contains(item) || target?.closest('button, a, textarea, input')) return;
    const messageId = Number(item.dataset.id);
    start = { x: event.clientX, y: event.clientY };
    timer = setTimeout(() => {
      start = null;
      pressed = true;
      open(messageId);
    }, PRESS_MS);
  });
  on(list, 'contextmenu', (event) => {
    if (pressed) event.preventDefault();
  });
  on(document, 'pointermove', (event) => {
    if (start && Math.hypot(event.clientX - start.x, event.clientY - start.y) > SLOP_PX) cancel();
  });
  on(document, 'pointerup', cancel);
  on(document, 'pointercancel', cancel);
}
