import type { SearchHit } from '../../src/contract/objects';

/** A page of search hits. */
export const SEARCH_PAGE = 20;

/** A word, as the server's search reads them: a run of letters and digits of any script. */
const WORD = /[\p{L}\p{N}]+/gu;
/** A term of a query: a word or a `"quoted phrase"`, `-` before it excluding it. */
const TERM = /(-?)(?:"([^"]*)"?|(\S+))/g;

/**
 * The words a query looks for, in lower case, each once: those of its terms and phrases, not of
 * the excluded ones (`-word`, `-"a phrase"`), nor the `or` between alternatives.
 */
export function queryWords(query: string): string[] {
  const words = new Set<string>();
  for (const [, minus, phrase, term] of query.matchAll(TERM)) {
    const text = phrase ?? term ?? '';
    if (minus === '-' || (phrase === undefined && text.toLowerCase() === 'or')) continue;
    for (const match of text.matchAll(WORD)) words.add(match[0].toLowerCase());
  }
  return [...words];
}

/** A piece of a text, marked when it is one of the words searched for. */
export interface TextPart {
  text: string;
  mark: boolean;
}

/**
 * The text in pieces, the whole words that are among `words` (any letter case) marked, the rest
 * as it is; joined, the pieces give the text back. For a view to draw as text nodes and <mark>.
 */
export function highlightParts(text: string, words: readonly string[]): TextPart[] {
  const wanted = new Set(words.map((word) => word.toLowerCase()));
  const parts: TextPart[] = [];
  let last = 0;
  const push = (piece: string, mark: boolean) => {
    if (piece.length === 0) return;
    const previous = parts[parts.length - 1];
    if (previous && previous.mark === mark && !mark) previous.text += piece;
    else parts.push({ text: piece, mark });
  };
  for (const match of text.matchAll(WORD)) {
    if (!wanted.has(match[0].toLowerCase())) continue;
    push(text.slice(last, match.index), false);
    push(match[0], true);
    last = match.index + match[0].length;
  }
  push(text.slice(last), false);
  return parts;
}

/** The search's state: the query, the hits so far (newest first), and whether there are more. */
export interface SearchState {
  query: string;
  hits: SearchHit[];
  loading: boolean;
  /** A full page came back: the next one may have more. */
  hasMore: boolean;
  error: string | null;
  /** A search has answered for this query (so "no results" can be told). */
  done: boolean;
}

export interface SearchOptions {
  /** Asks the server for the hits of `query` older than `before` (newest first). */
  fetch(query: string, before: number | undefined, limit: number): Promise<SearchHit[]>;
  /** The state changed: draw it. */
  changed(): void;
  /** Words for an error. */
  errorText(error: unknown): string;
}

/**
 * Searching messages: a new query starts over (answers to an older query are dropped), "more"
 * asks for the page before the last hit, one request at a time. No page here: the view draws it.
 */
export class Search {
  state: SearchState = emptyState('');
  private generation = 0;

  constructor(private readonly options: SearchOptions) {}

  /** Searches for `query` (trimmed); an empty one clears the results. */
  async run(query: string): Promise<void> {
    const trimmed = query.trim();
    this.generation += 1;
    this.state = emptyState(trimmed);
    if (trimmed.length === 0 || queryWords(trimmed).length === 0) {
      this.options.changed();
      return;
    }
    await this.page(undefined);
  }

  /** The next page of the current query, if it may have one. */
  async more(): Promise<void> {
    const { state } = this;
    if (state.loading || !state.hasMore || state.query.length === 0) return;
    await this.page(state.hits[state.hits.length - 1]?.id);
  }

  /** Forgets the query and its results. */
  clear(): void {
    this.generation += 1;
    this.state = emptyState('');
  }

  private async page(before: number | undefined): Promise<void> {
    const generation = this.generation;
    const state = this.state;
    state.loading = true;
    state.error = null;
    this.options.changed();
    try {
      const hits = await this.options.fetch(state.query, before, SEARCH_PAGE);
      if (generation !== this.generation) return;
      const known = new Set(state.hits.map((hit) => hit.id));
      state.hits.push(...hits.filter((hit) => !known.has(hit.id)));
      state.hasMore = hits.length === SEARCH_PAGE;
    } catch (error) {
      if (generation !== this.generation) return;
      state.error = this.options.errorText(error);
    } finally {
      if (generation === this.generation) {
        state.loading = false;
        state.done = true;
        this.options.changed();
      }
    }
  }
}

function emptyState(query: string): SearchState {
  return { query, hits: [], loading: false, hasMore: false, error: null, done: false };
}
