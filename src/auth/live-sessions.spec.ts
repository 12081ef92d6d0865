import { CONFIRM_INTERVAL_MS, LiveSessions } from './live-sessions';

describe('LiveSessions', () => {
  const ENDED_FOR_MS = 3_600_000;
  let nowMs: number;
  let live: LiveSessions;

  beforeEach(() => {
    nowMs = 1_000_000_000_000;
    live = new LiveSessions(ENDED_FOR_MS, 10, () => nowMs);
  });

  it('knows a confirmed session and its user until the confirmation is a minute old', () => {
    expect(live.userOf('a')).toBeUndefined();
    expect(live.confirm('a', 7)).toBe(true);

    nowMs += CONFIRM_INTERVAL_MS - 1;
    expect(live.userOf('a')).toBe(7);
    nowMs += 1;
    expect(live.userOf('a')).toBeUndefined();
    expect(live.confirm('a', 7)).toBe(true);
    expect(live.userOf('a')).toBe(7);
  });

  it('forgets an ended session at once, and marks it ended', () => {
    live.confirm('a', 7);
    live.confirm('b', 7);

    live.end(['a']);

    expect(live.userOf('a')).toBeUndefined();
    expect(live.hasEnded('a')).toBe(true);
    expect(live.userOf('b')).toBe(7);
    expect(live.hasEnded('b')).toBe(false);
  });

  it('refuses a confirmation that arrives after the session ended (read from the store before)', () => {
    live.end(['a']);

    expect(live.confirm('a', 7)).toBe(false);
    expect(live.userOf('a')).toBeUndefined();
  });

  it('keeps an ended session marked for as long as its tokens could live, then lets it go', () => {
    live.end(['a']);
    nowMs += ENDED_FOR_MS - 1;
    live.end(['b']);
    expect(live.hasEnded('a')).toBe(true);

    nowMs += 1;
    live.end(['c']);

    expect(live.hasEnded('a')).toBe(false);
    expect(live.hasEnded('b')).toBe(true);
    expect(live.hasEnded('c')).toBe(true);
  });

  it('forgets every confirmation when news may have been missed, but not what ended', () => {
    live.confirm('a', 7);
    live.end(['b']);

    live.forgetConfirmed();

    expect(live.userOf('a')).toBeUndefined();
    expect(live.hasEnded('b')).toBe(true);
  });

  it('forgets the oldest confirmation when full', () => {
    const small = new LiveSessions(ENDED_FOR_MS, 2, () => nowMs);
    small.confirm('a', 1);
    small.confirm('b', 2);
    small.confirm('c', 3);

    expect(small.userOf('a')).toBeUndefined();
    expect(small.userOf('b')).toBe(2);
    expect(small.userOf('c')).toBe(3);
  });
});
