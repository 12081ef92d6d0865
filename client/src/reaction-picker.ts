import { h, replaceChildren, type Listen } from './dom';
import type { Elements } from './elements';
import { isMobile } from './layout';

/** The emoji offered first, with the names screen readers say for them. */
export const COMMON_REACTIONS: readonly (readonly [string, string])[] = [
  ['👍', 'thumbs up'],
  ['❤️', 'red heart'],
  ['😂', 'face with tears of joy'],
  ['🎉', 'party popper'],
  ['😮', 'face with open mouth'],
  ['😢', 'crying face'],
  ['🙏', 'folded hands'],
  ['👀', 'eyes'],
  ['✅', 'check mark'],
  ['🔥', 'fire'],
];

/** Gap between the button that opened the picker and the picker. */
const OFFSET_PX = 6;

/**
 * The reaction picker: a modal dialog with the common emoji, and a field for any other (one emoji,
 * by the server's rule). Beside the button that opened it on wide screens, centred on phones.
 */
export class ReactionPicker {
  constructor(private readonly el: Elements) {}

  bind(on: Listen): void {
    const { reactDialog: dialog, reactForm: form } = this.el;
    replaceChildren(
      this.el.reactChoices,
      COMMON_REACTIONS.map(([emoji, name]) =>
        h(
          'button',
          {
            class: 'picker-emoji',
            attrs: { type: 'button', 'aria-label': name, title: name, 'data-emoji': emoji },
            on: { click: () => dialog.close(emoji) },
          },
          emoji,
        ),
      ),
    );
    on(form, 'submit', (event) => {
      event.preventDefault();
      void this.submitTyped();
    });
    on(this.el.reactInput, 'input', () => this.showError(''));
    for (const button of dialog.querySelectorAll<HTMLButtonElement>('[data-close]')) {
      on(button, 'click', () => dialog.close(''));
    }
    // A click on the backdrop (outside the dialog's box) closes it, as for a menu.
    on(dialog, 'click', (event) => {
      if (event.target !== dialog) return;
      const box = dialog.getBoundingClientRect();
      const inside =
        event.clientX >= box.left &&
        event.clientX <= box.right &&
        event.clientY >= box.top &&
        event.clientY <= box.bottom;
      if (!inside) dialog.close('');
    });
  }

  /** Opens the picker by `anchor`; resolves to the chosen emoji, or null when it was closed. */
  choose(anchor: HTMLElement | null): Promise<string | null> {
    const { reactDialog: dialog } = this.el;
    if (dialog.open) dialog.close('');
    this.el.reactForm.reset();
    this.showError('');
    dialog.returnValue = '';
    dialog.showModal();
    this.place(anchor);
    dialog.querySelector<HTMLButtonElement>('.picker-emoji')?.focus();
    return new Promise((resolve) => {
      dialog.addEventListener('close', () => resolve(dialog.returnValue || null), { once: true });
    });
  }

  private async submitTyped(): Promise<void> {
    const typed = this.el.reactInput.value.trim();
    const emoji = await oneEmoji(typed);
    if (emoji === null) {
      this.showError(
        typed ? 'That is not one emoji. Type a single emoji, such as 👍.' : 'Type an emoji.',
      );
      this.el.reactInput.focus();
      return;
    }
    this.el.reactDialog.close(emoji);
  }

  private showError(text: string): void {
    this.el.reactError.textContent = text;
    if (text) this.el.reactInput.setAttribute('aria-invalid', 'true');
    else this.el.reactInput.removeAttribute('aria-invalid');
  }

  /** Beside the anchor, kept on screen; centred (the dialog's default) without one or on phones. */
  private place(anchor: HTMLElement | null): void {
    const dialog = this.el.reactDialog;
    const anchored = anchor !== null && anchor.isConnected && !isMobile();
    dialog.classList.toggle('anchored', anchored);
    if (!anchored) return;
    const from = anchor.getBoundingClientRect();
    const box = dialog.getBoundingClientRect();
    // Starting where the button starts, or ending where it ends when there is no room for that.
    const fits = from.left + box.width <= window.innerWidth - 8;
    const left = Math.max(8, fits ? from.left : from.right - box.width);
    const below = from.bottom + OFFSET_PX;
    const top =
      below + box.height <= window.innerHeight - 8
        ? below
        : Math.max(8, from.top - OFFSET_PX - box.height);
    dialog.style.left = `${left}px`;
    dialog.style.top = `${top}px`;
  }
}

/**
 * The emoji `text` names by the server's rule (src/common/emoji.ts), or null when it is not one.
 * The rule is loaded when first needed: its pattern needs the RegExp `v` flag, which older
 * browsers lack, and the rest of the client must run there too; there the server checks alone.
 */
async function oneEmoji(text: string): Promise<string | null> {
  let rule: (text: string) => string | null;
  try {
    rule = (await import('../../src/common/emoji')).reactionEmoji;
    return rule(text);
  } catch {
    return text.length > 0 && !/\s/.test(text) ? text : null;
  }
}
