import { describe, expect, it } from '@jest/globals';
import type { SearchHit } from '../../src/contract/objects';
import { highlightParts, queryWords, Search, SEARCH_PAGE } from './search';
import { messageFixture } from './spec-fixtures';

const hit = (id: number): SearchHit => ({
  ...messageFixture({ id, room_id: 1, user_id: 2, username: 'ada' }),
  room_name: 'general',
});

describe('search highlights', () => {
  it('takes the words of a query, lower case, once each', () => {
    expect(queryWords('  Deploy the DEPLOY, Straße! ')).toEqual(['deploy', 'the', 'straße']);
    expect(queryWords('*** ...')).toEqual([]);
    expect(queryWords('snake_case e-mail 3.14')).toEqual(['snake', 'case', 'e', 'mail', '3', '14']);
  });

  it('leaves out excluded terms and the or between alternatives, not words in phrases', () => {
    expect(queryWords('"hello world" -edited red OR cat -"not this"')).toEqual([
      'hello',
      'world',
      'red',
      'cat',
    ]);
    expect(queryWords('"this or that" -')).toEqual(['this', 'or', 'that']);
    expect(queryWords('-only -"excluded words"')).toEqual([]);
  });

  it('marks whole words in any letter case, and gives the text back when joined', () => {
    const text = 'Deploying? No: deploy, then re-deploy. DEPLOY!';
    const parts = highlightParts(text, ['deploy']);
    expect(parts.map((part) => part.text).join('')).toBe(text);
    expect(parts.filter((part) => part.mark).map((part) => part.text)).toEqual([
      'deploy',
      'deploy',
      'DEPLOY',
    ]);
    expect(parts[0]).toEqual({ text: 'Deploying? No: ', mark: false });
  });

  it('marks several words, and leaves markup as plain text', () => {
    const parts = highlightParts('<b>café</b> au lait', ['café', 'lait']);
    expect(parts).toEqual([
      { text: '<b>', mark: false },
      { text: 'café', mark: true },
      { text: '</b> au ', mark: false },
      { text: 'lait', mark: true },
    ]);
    expect(highlightParts('nothing here', ['else'])).toEqual([
      { text: 'nothing here', mark: false },
    ]);
    expect(highlightParts('', ['x'])).toEqual([]);
  });
});

describe('Search', () => {
  function setup() {
    const asked: [string, number | undefined][] = [];
    const answers: ((hits: SearchHit[]) => void)[] = [];
    let changes = 0;
    const search = new Search({
      fetch: (query, before) => {
        asked.push([query, before]);
        return new Promise((resolve) => answers.push(resolve));
      },
      changed: () => (changes += 1),
      errorText: () => 'failed',
    });
    return { search, asked, answers, changes: () => changes };
  }

  it('pages on from the last hit while full pages come back', async () => {
    const { search, asked, answers } = setup();
    const first = search.run(' deploy ');
    expect(search.state).toMatchObject({ query: 'deploy', loading: true, done: false });
    answers[0](Array.from({ length: SEARCH_PAGE }, (_, index) => hit(100 - index)));
    await first;
    expect(search.state).toMatchObject({ loading: false, hasMore: true, done: true });
    const more = search.more();
    void search.more();
    answers[1]([hit(50)]);
    await more;
    expect(asked).toEqual([
      ['deploy', undefined],
      ['deploy', 100 - SEARCH_PAGE + 1],
    ]);
    expect(search.state.hits).toHaveLength(SEARCH_PAGE + 1);
    expect(search.state.hasMore).toBe(false);
  });

  it('drops the answer to an older query, and clears on an empty one', async () => {
    const { search, answers, asked } = setup();
    const old = search.run('old');
    const fresh = search.run('new');
    answers[1]([hit(2)]);
    answers[0]([hit(1)]);
    await Promise.all([old, fresh]);
    expect(search.state.hits.map((item) => item.id)).toEqual([2]);
    await search.run('  ');
    expect(search.state).toMatchObject({ query: '', hits: [], done: false });
    expect(asked).toHaveLength(2);
  });

  it('tells a failure', async () => {
    const search = new Search({
      fetch: () => Promise.reject(new Error('down')),
      changed: () => undefined,
      errorText: () => 'The server cannot be reached.',
    });
    await search.run('x');
    expect(search.state).toMatchObject({ error: 'The server cannot be reached.', loading: false });
  });
});
