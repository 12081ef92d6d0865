import type { SearchHit } from '../../src/contract/objects';
import type { Api } from './api';
import { h, replaceChildren, show, type Listen } from './dom';
import type { Elements } from './elements';
import { errorText } from './error-text';
import { formatFull } from './format';
import { plural } from './format';
import { highlightParts, queryWords, Search, SEARCH_PAGE } from './search';
import { userText } from './views';

/** Whether a key press is meant for a field (text is being typed there). */
function typingInField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement ||
    (target instanceof HTMLInputElement && !['checkbox', 'radio', 'button'].includes(target.type))
  );
}

/** The content of a hit with the searched words marked: text nodes and <mark>, never HTML. */
export function highlighted(text: string, words: readonly string[]): Node[] {
  return highlightParts(text, words).map((part) =>
    part.mark ? h('mark', {}, part.text) : document.createTextNode(part.text),
  );
}

/**
 * The search dialog: opened with the header's button, Ctrl+K, or `/` when no field has the focus;
 * lists hits with their room, author and time, the words found marked, "More results" pages on,
 * and choosing a hit opens its room at it.
 */
export class SearchBox {
  private readonly search: Search;

  constructor(
    private readonly el: Elements,
    api: Api,
    /** Opens a room at a message. */
    private readonly choose: (roomId: number, messageId: number) => void,
    /** Whether a room is a direct one (its name is a person's, without the channels' #). */
    private readonly isDirect: (roomId: number) => boolean = () => false,
  ) {
    this.search = new Search({
      fetch: (query, before, limit) => api.search(query, { before, limit }),
      changed: () => this.render(),
      errorText,
    });
  }

  bind(on: Listen): void {
    const { el } = this;
    on(el.searchButton, 'click', () => this.open());
    on(document, 'keydown', (event) => {
      if (document.querySelector('dialog[open]') || event.isComposing) return;
      const ctrlK =
        (event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'k';
      const slash =
        event.key === '/' &&
        !(event.ctrlKey || event.metaKey || event.altKey) &&
        !typingInField(event.target);
      if (!ctrlK && !slash) return;
      event.preventDefault();
      this.open();
    });
    on(el.searchForm, 'submit', (event) => {
      event.preventDefault();
      void this.search.run(el.searchInput.value);
    });
    on(el.searchMore, 'click', () => void this.search.more());
    for (const button of el.searchDialog.querySelectorAll<HTMLButtonElement>('[data-close]')) {
      on(button, 'click', () => el.searchDialog.close());
    }
  }

  open(): void {
    const { el } = this;
    if (!el.searchDialog.open) el.searchDialog.showModal();
    el.searchInput.focus();
    el.searchInput.select();
    this.render();
  }

  private render(): void {
    const { el } = this;
    const { state } = this.search;
    const words = queryWords(state.query);
    el.searchStatus.textContent = state.error
      ? `Search failed: ${state.error}`
      : state.loading
        ? 'Searching…'
        : state.done
          ? state.hits.length === 0
            ? `No messages match “${state.query}”.`
            : `${plural(state.hits.length, 'message', 'messages')}${state.hasMore ? ' so far' : ''} match “${state.query}”.`
          : '';
    const keep = document.activeElement;
    replaceChildren(
      el.searchResults,
      state.hits.map((hit) => this.hitItem(hit, words)),
    );
    if (keep instanceof HTMLElement && !keep.isConnected) el.searchMore.focus();
    show(el.searchMore, state.hasMore);
    el.searchMore.disabled = state.loading;
    el.searchMore.textContent =
      state.loading && state.hits.length >= SEARCH_PAGE ? 'Loading…' : 'More results';
  }

  private hitItem(hit: SearchHit, words: readonly string[]): HTMLLIElement {
    const date = new Date(hit.created_at);
    return h(
      'li',
      {},
      h(
        'button',
        {
          class: 'search-hit',
          attrs: { type: 'button', 'data-id': hit.id, 'data-room-id': hit.room_id },
          on: {
            click: () => {
              this.el.searchDialog.close();
              this.choose(hit.room_id, hit.id);
            },
          },
        },
        h(
          'span',
          'search-hit-meta',
          userText(`search-hit-room${this.isDirect(hit.room_id) ? ' direct' : ''}`, hit.room_name),
          h('span', 'sr-only', ', '),
          userText('search-hit-author', hit.username),
          h('span', 'sr-only', ', '),
          h('time', { attrs: { datetime: hit.created_at } }, formatFull(date)),
        ),
        h(
          'span',
          { class: 'search-hit-text', attrs: { dir: 'auto' } },
          ...highlighted(hit.content, words),
        ),
      ),
    );
  }
}
