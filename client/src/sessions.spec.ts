import { describe, expect, it } from '@jest/globals';
import { describeAgent, sessionViews } from './sessions';

const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0';
const CHROME =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36';
const SAFARI =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';

describe('the session list', () => {
  it('lists the current session first, then the most recently used', () => {
    const views = sessionViews([
      { id: 'a', created_at: '2026-01-01T00:00:00Z', last_used_at: '2026-01-02T00:00:00Z' },
      { id: 'b', created_at: '2026-01-01T00:00:00Z', last_used_at: '2026-01-05T00:00:00Z' },
      { id: 'c', created_at: '2026-01-03T00:00:00Z', last_used_at: null, current: true },
    ]);
    expect(views.map((view) => view.id)).toEqual(['c', 'b', 'a']);
    expect(views[0]).toEqual({
      id: 'c',
      createdAt: '2026-01-03T00:00:00Z',
      lastUsedAt: '2026-01-03T00:00:00Z',
      userAgent: '',
      current: true,
    });
  });

  it('reads what it can of unexpected answers, and leaves out sessions without an id', () => {
    expect(sessionViews(null)).toEqual([]);
    expect(sessionViews({ sessions: [] })).toEqual([]);
    const views = sessionViews([7, null, { user_agent: 'x' }, { id: 12, current: 'yes' }]);
    expect(views).toEqual([
      { id: '12', createdAt: null, lastUsedAt: null, userAgent: '', current: false },
    ]);
  });
});

describe('a session device', () => {
  it('names the browser and the system', () => {
    expect(describeAgent(FIREFOX)).toBe('Firefox on Windows');
    expect(describeAgent(CHROME)).toBe('Chrome on Linux');
    expect(describeAgent(SAFARI)).toBe('Safari on iOS');
  });

  it('falls back to the agent itself, or says it is unknown', () => {
    expect(describeAgent('')).toBe('Unknown device');
    expect(describeAgent('curl/8.5.0')).toBe('curl/8.5.0');
  });
});
