import type { Listen } from './dom';
import type { Elements } from './elements';

const MAX_HEIGHT_PX = 200;

export interface ComposerHandlers {
  /** Enter (without Shift) or the send button. */
  send(): void;
  /** The text changed. */
  edited(text: string): void;
  /** The box lost the focus. */
  left(): void;
  /** Escape in the box: returns whether it was used (a reply was cancelled). */
  escape(): boolean;
  /** The Up arrow in the empty box: returns whether it was used (the last message is edited). */
  up(): boolean;
}

/**
 * The message box: Enter sends, Shift+Enter starts a new line, Escape cancels a reply, the Up
 * arrow in the empty box edits the user's last message, and it grows with its text.
 */
export class Composer {
  constructor(private readonly el: Elements) {}

  bind(on: Listen, handlers: ComposerHandlers): void {
    const input = this.el.input;
    on(this.el.composer, 'submit', (event) => {
      event.preventDefault();
      handlers.send();
    });
    on(input, 'keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        handlers.send();
      } else if (event.key === 'Escape' && handlers.escape()) {
        event.preventDefault();
      } else if (
        event.key === 'ArrowUp' &&
        !(event.shiftKey || event.altKey || event.ctrlKey || event.metaKey || event.isComposing) &&
        input.value.length === 0 &&
        handlers.up()
      ) {
        event.preventDefault();
      }
    });
    on(input, 'input', () => {
      this.autosize();
      handlers.edited(input.value);
    });
    on(input, 'blur', () => handlers.left());
  }

  get text(): string {
    return this.el.input.value;
  }

  /** Replaces the text (a draft, or nothing after a send). */
  replace(text: string): void {
    this.el.input.value = text;
    this.autosize();
  }

  focus(): void {
    this.el.input.focus();
  }

  private autosize(): void {
    const input = this.el.input;
    input.style.height = 'auto';
    input.style.height = `${Math.min(input.scrollHeight, MAX_HEIGHT_PX)}px`;
  }
}
