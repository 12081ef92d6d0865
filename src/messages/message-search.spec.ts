import { matchesSearch, parseSearchQuery, toWebsearch, wordsOf } from './message-search';

/** Whether `content` matches `q`; false when q has nothing to look for. */
function matches(q: string, content: string): boolean {
  const query = parseSearchQuery(q);
  return query !== null && matchesSearch(query, content);
}

describe('the search rule', () => {
  it('splits text into lower-case words of letters and digits', () => {
    expect(wordsOf("Hello, WORLD! don't foo-bar a_b 3.14 Café Émile")).toEqual([
      'hello',
      'world',
      'don',
      't',
      'foo',
      'bar',
      'a',
      'b',
      '3',
      '14',
      'café',
      'émile',
    ]);
  });

  it('finds a word in any letter case, as a whole word only', () => {
    expect(matches('deploy', 'We DEPLOY today.')).toBe(true);
    expect(matches('DEPLOY', 'deploy, then rest')).toBe(true);
    expect(matches('deploy', 'deployed yesterday')).toBe(false);
    expect(matches('ploy', 'deploy')).toBe(false);
  });

  it('needs every word, anywhere in the message', () => {
    expect(matches('red fox', 'the fox is red')).toBe(true);
    expect(matches('red fox', 'the fox is brown')).toBe(false);
  });

  it('needs the words of a quoted phrase next to each other, in order', () => {
    expect(matches('"quick fox"', 'the quick fox')).toBe(true);
    expect(matches('"quick fox"', 'the Quick, fox')).toBe(true);
    expect(matches('"quick fox"', 'the fox is quick')).toBe(false);
    expect(matches('"quick fox"', 'quick brown fox')).toBe(false);
    expect(matches('"unclosed phrase', 'an unclosed phrase')).toBe(true);
  });

  it('reads a word written with punctuation inside as a phrase of its words', () => {
    expect(matches('foo-bar', 'a foo-bar here')).toBe(true);
    expect(matches("don't", "I don't know")).toBe(true);
    expect(matches("don't", 'I don know t')).toBe(false);
  });

  it('excludes messages with a -word or a -"phrase"', () => {
    expect(matches('fox -red', 'a brown fox')).toBe(true);
    expect(matches('fox -red', 'a red fox')).toBe(false);
    expect(matches('fox -"red fox"', 'a red and brown fox')).toBe(true);
    expect(matches('fox -"red fox"', 'a red fox')).toBe(false);
    expect(matches('fox - red', 'a red fox')).toBe(false);
    expect(matches('fox --red', 'a red fox')).toBe(true);
    expect(matches('fox-red', 'a fox red')).toBe(true);
  });

  it('takes `or` between terms as alternatives, and binds tighter than or', () => {
    expect(matches('cat or dog', 'a dog')).toBe(true);
    expect(matches('cat OR dog', 'a cat')).toBe(true);
    expect(matches('cat or dog', 'a bird')).toBe(false);
    // (red and cat) or dog
    expect(matches('red cat or dog', 'a red dog')).toBe(true);
    expect(matches('red cat or dog', 'a red bird')).toBe(false);
    // `or` first or last is a word
    expect(matches('or cat', 'cat or mouse')).toBe(true);
    expect(matches('or cat', 'a cat')).toBe(false);
    expect(matches('cat or', 'a cat')).toBe(false);
    expect(matches('cat orange', 'a cat')).toBe(false);
  });

  it('finds nothing for a query without a word to look for', () => {
    for (const q of ['', '   ', '...', '!!! ???', '""', '-', '-cat', '-cat -"a dog"', '- - -']) {
      expect({ q, query: parseSearchQuery(q) }).toEqual({ q, query: null });
    }
    // An alternative of exclusions only finds nothing by itself.
    expect(matches('cat or -dog', 'a bird')).toBe(false);
    expect(matches('cat or -dog', 'a cat')).toBe(true);
  });

  it('ignores terms without letters or digits', () => {
    expect(matches('cat ... !!', 'a cat')).toBe(true);
    expect(parseSearchQuery('cat ...')).toEqual(parseSearchQuery('cat'));
  });

  it('writes the parsed query for websearch_to_tsquery, every term quoted', () => {
    const websearch = (q: string) => toWebsearch(parseSearchQuery(q)!);
    expect(websearch('Red fox')).toBe('"Red" "fox"');
    expect(websearch('"quick fox" -red')).toBe('"quick fox" -"red"');
    expect(websearch('red cat or dog')).toBe('"red" "cat" or "dog"');
    expect(websearch('foo-bar -"a or b"')).toBe('"foo-bar" -"a or b"');
    expect(websearch('cat or -dog or bird')).toBe('"cat" or "bird"');
  });
});
