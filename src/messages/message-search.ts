/**
 * The search rule both stores share. A query is read as PostgreSQL's websearch_to_tsquery reads
 * one, and then handed to each store in that parsed form, so that they agree on its structure:
 *
 * - words are runs of letters and digits, in any letter case: `Deploy` finds `deploy,` and
 *   `DEPLOY!`, never `deployed` (whole words only);
 * - every term must occur (`deploy failed`);
 * - `"quoted words"` must occur in that order, next to each other (a phrase); a term written with
 *   punctuation inside (`foo-bar`, `don't`) is a phrase of its words too;
 * - `-word` and `-"a phrase"` exclude the messages that contain them;
 * - `or` between terms gives alternatives (`deploy or release`); and binds tighter than or.
 *
 * A search must look for something: an alternative made of exclusions only finds nothing by
 * itself, and a query without any word to find (only punctuation, only exclusions) finds nothing.
 */

/** A word or a phrase (words next to each other, in order) of a search, or one it excludes. */
export interface SearchTerm {
  /** The term as written, without quotes and without the minus: PostgreSQL splits it itself. */
  readonly text: string;
  /** Its words, lower case, in order; never empty. */
  readonly words: readonly string[];
  readonly excluded: boolean;
}

/** Alternatives (`or`); a message matches one when it holds all its terms. */
export interface SearchQuery {
  readonly alternatives: readonly (readonly SearchTerm[])[];
}

const WORD = /[\p{L}\p{N}]+/gu;
const SPACE = /\s/u;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/** The words of a text, lower case, in order. */
export function wordsOf(text: string): string[] {
  return Array.from(text.matchAll(WORD), (match) => match[0].toLowerCase());
}

/**
 * Reads a query as websearch_to_tsquery does; null when there is nothing to look for. A minus
 * right before a term (or before its opening quote) excludes it; a term with no letter or digit
 * counts for nothing.
 */
export function parseSearchQuery(q: string): SearchQuery | null {
  const alternatives: SearchTerm[][] = [[]];
  let waitingForTerm = true;
  let minuses = 0;
  let at = 0;
  while (at < q.length) {
    const char = q[at];
    if (SPACE.test(char)) {
      at += 1;
    } else if (!waitingForTerm) {
      // Between terms: `or`, or else an implied "and" before the next term.
      waitingForTerm = true;
      if (isOr(q, at)) {
        alternatives.push([]);
        at += 2;
      }
    } else if (char === '-') {
      minuses += 1;
      at += 1;
    } else {
      let end: number;
      let text: string;
      if (char === '"') {
        const close = q.indexOf('"', at + 1);
        end = close < 0 ? q.length : close + 1;
        text = q.slice(at + 1, close < 0 ? q.length : close);
      } else {
        end = at;
        while (end < q.length && !SPACE.test(q[end]) && q[end] !== '"') end += 1;
        text = q.slice(at, end);
      }
      const words = wordsOf(text);
      if (words.length > 0) {
        alternatives[alternatives.length - 1].push({ text, words, excluded: minuses % 2 === 1 });
      }
      minuses = 0;
      waitingForTerm = false;
      at = end;
    }
  }
  const searchable = alternatives.filter((terms) => terms.some((term) => !term.excluded));
  return searchable.length > 0 ? { alternatives: searchable } : null;
}

/**
 * `or` (any case) at `at` is the operator when a character other than a letter, a digit, `-` or
 * `_` follows it, and then something other than spaces: PostgreSQL's rule.
 */
function isOr(q: string, at: number): boolean {
  if (q.slice(at, at + 2).toLowerCase() !== 'or') return false;
  const next = q[at + 2];
  if (next === undefined || next === '-' || next === '_' || LETTER_OR_DIGIT.test(next)) {
    return false;
  }
  return /\S/u.test(q.slice(at + 3));
}

/** Whether a message's content matches the query (the memory store's search). */
export function matchesSearch(query: SearchQuery, content: string): boolean {
  // Most messages lack a word the query needs: a look for it as text is cheaper than the words.
  const text = content.toLowerCase();
  const candidate = query.alternatives.some((terms) =>
    terms.every((term) => term.excluded || term.words.every((word) => text.includes(word))),
  );
  if (!candidate) return false;
  const words = wordsOf(content);
  return query.alternatives.some((terms) =>
    terms.every((term) => containsPhrase(words, term.words) !== term.excluded),
  );
}

function containsPhrase(words: readonly string[], phrase: readonly string[]): boolean {
  for (let start = 0; start + phrase.length <= words.length; start++) {
    if (phrase.every((word, offset) => words[start + offset] === word)) return true;
  }
  return false;
}

/**
 * The query in websearch_to_tsquery's syntax, every term quoted: PostgreSQL reads exactly the
 * structure parsed here, and splits each term into words by its own parser.
 */
export function toWebsearch(query: SearchQuery): string {
  return query.alternatives
    .map((terms) => terms.map((term) => `${term.excluded ? '-' : ''}"${term.text}"`).join(' '))
    .join(' or ');
}
