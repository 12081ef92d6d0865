import { LIMITS } from '../../src/common/limits';
import { h } from './dom';

const MAX_HEIGHT_PX = 240;

export interface EditBoxHandlers {
  /** Enter (without Shift) or the save button. */
  save(text: string): void;
  /** Escape or the cancel button. */
  cancel(): void;
}

/**
 * The box a message is edited in, in place of its text: Enter saves, Shift+Enter starts a new
 * line, Escape cancels. One element for the whole session, placed in whichever message is being
 * edited: the message list is rebuilt as messages come and go, and the box keeps its text, and
 * its focus and selection (see `keepFocus`), through that.
 */
export class EditBox {
  readonly element: HTMLElement;
  private readonly input: HTMLTextAreaElement;
  private readonly error: HTMLElement;

  constructor(handlers: EditBoxHandlers) {
    this.input = h('textarea', {
      class: 'msg-edit-input',
      attrs: {
        id: 'edit-input',
        rows: 1,
        maxlength: LIMITS.messageContent.max,
        'aria-describedby': 'edit-hint edit-error',
        enterkeyhint: 'done',
      },
      on: {
        keydown: (event) => {
          if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
            event.preventDefault();
            if (!this.input.readOnly) handlers.save(this.input.value);
          } else if (event.key === 'Escape') {
            event.preventDefault();
            event.stopPropagation();
            handlers.cancel();
          }
        },
        input: () => this.autosize(),
      },
    });
    const link = (text: string, action: () => void) =>
      h('button', { class: 'link', attrs: { type: 'button' }, on: { click: action } }, text);
    this.error = h('p', { class: 'form-error', attrs: { id: 'edit-error', role: 'alert' } });
    this.element = h(
      'div',
      'msg-edit',
      h('label', { class: 'sr-only', attrs: { for: 'edit-input' } }, 'Edit message'),
      this.input,
      h(
        'p',
        { class: 'msg-edit-hint', attrs: { id: 'edit-hint' } },
        'Escape to ',
        link('cancel', () => handlers.cancel()),
        ' · Enter to ',
        link('save', () => handlers.save(this.input.value)),
      ),
      this.error,
    );
  }

  /** Starts editing `text`. */
  open(text: string): void {
    this.input.value = text;
    this.busy(false);
    this.fail('');
  }

  get text(): string {
    return this.input.value;
  }

  /** Puts the caret at the end of the text. */
  focus(): void {
    this.input.focus();
    const end = this.input.value.length;
    this.input.setSelectionRange(end, end);
    this.autosize();
  }

  /** While a save is under way the text cannot change. */
  busy(on: boolean): void {
    this.input.readOnly = on;
    this.element.setAttribute('aria-busy', String(on));
  }

  fail(text: string): void {
    this.error.textContent = text;
    if (text) this.input.setAttribute('aria-invalid', 'true');
    else this.input.removeAttribute('aria-invalid');
  }

  /**
   * To call before the message list is rebuilt: the returned function, called after, gives the box
   * back the focus and selection it had (moving an element out of the page takes its focus).
   */
  keepFocus(): () => void {
    const input = this.input;
    if (document.activeElement !== input) return () => this.autosize();
    const { selectionStart, selectionEnd, selectionDirection } = input;
    return () => {
      if (!input.isConnected) return;
      input.focus();
      input.setSelectionRange(selectionStart, selectionEnd, selectionDirection ?? undefined);
      this.autosize();
    };
  }

  private autosize(): void {
    const input = this.input;
    if (!input.isConnected) return;
    input.style.height = 'auto';
    input.style.height = `${Math.min(input.scrollHeight, MAX_HEIGHT_PX)}px`;
  }
}
