import { h, replaceChildren, show, type Listen } from './dom';
import type { Elements } from './elements';
import { complete, MentionMenu } from './mentions';
import { avatar, userText } from './views';

/** Keys that move the caret without changing the text: the list follows the caret. */
const CARET_KEYS = new Set(['ArrowLeft', 'ArrowRight', 'Home', 'End']);

/**
 * Completing `@name` in the composer: a listbox under the message box offers the open room's
 * people whose names start with (or contain) what follows the `@`. The box keeps the focus; the
 * arrow keys move the active option (aria-activedescendant), Enter or Tab takes it, Escape closes
 * the list. Bound before the composer, so that these keys do not also send or cancel.
 */
export class MentionBox {
  private readonly menu = new MentionMenu();

  constructor(
    private readonly el: Elements,
    private readonly me: string,
    /** The names that can be completed in the open room. */
    private readonly names: () => string[],
  ) {}

  bind(on: Listen): void {
    const input = this.el.input;
    on(input, 'input', () => this.update());
    on(input, 'click', () => this.update());
    on(input, 'keyup', (event) => {
      if (CARET_KEYS.has(event.key)) this.update();
    });
    on(input, 'blur', () => this.close());
    on(input, 'keydown', (event) => {
      if (!this.menu.open || event.isComposing) return;
      const modified = event.altKey || event.ctrlKey || event.metaKey;
      let handled = true;
      if (event.key === 'ArrowDown' && !modified) this.menu.move(1);
      else if (event.key === 'ArrowUp' && !modified) this.menu.move(-1);
      else if ((event.key === 'Enter' || event.key === 'Tab') && !event.shiftKey && !modified) {
        this.accept();
      } else if (event.key === 'Escape') this.menu.close();
      else handled = false;
      if (!handled) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      this.render();
    });
  }

  /** Closes the list (the room changed, a message was sent). */
  close(): void {
    if (!this.menu.open && this.el.mentionList.hidden) return;
    this.menu.close();
    this.render();
  }

  private update(): void {
    const input = this.el.input;
    if (input.selectionStart !== input.selectionEnd) {
      this.close();
      return;
    }
    this.menu.update(
      input.value,
      input.selectionStart ?? input.value.length,
      this.names(),
      this.me,
    );
    this.render();
  }

  /** Puts the active name in place of the `@prefix`. */
  private accept(name = this.menu.chosen()): void {
    const query = this.menu.query;
    const input = this.el.input;
    if (name === null || query === null) return;
    const caret = input.selectionStart ?? input.value.length;
    const done = complete(input.value, query, caret, name);
    input.value = done.text;
    input.setSelectionRange(done.caret, done.caret);
    this.menu.close();
    // The composer grows with the text and tells the room the user is typing.
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }

  private render(): void {
    const { mentionList: list, input } = this.el;
    const { menu } = this;
    show(list, menu.open);
    if (!menu.open) {
      input.removeAttribute('aria-activedescendant');
      replaceChildren(list, []);
      return;
    }
    replaceChildren(
      list,
      menu.options.map((name, index) =>
        h(
          'li',
          {
            class: `mention-option${index === menu.active ? ' active' : ''}`,
            attrs: {
              id: `mention-option-${index}`,
              role: 'option',
              'aria-selected': String(index === menu.active),
            },
            on: {
              // Keeps the focus in the message box.
              mousedown: (event) => event.preventDefault(),
              click: () => {
                this.accept(name);
                input.focus();
                this.render();
              },
            },
          },
          avatar(name, 'small'),
          userText('mention-name', name),
        ),
      ),
    );
    input.setAttribute('aria-activedescendant', `mention-option-${menu.active}`);
    list.querySelector('.mention-option.active')?.scrollIntoView({ block: 'nearest' });
  }
}
