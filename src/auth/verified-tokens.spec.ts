import { VerifiedTokens } from './verified-tokens';

describe('VerifiedTokens', () => {
  let nowMs = 1_000_000_000_000;
  const clock = () => nowMs;

  it('finds a token until the second its expiry names', () => {
    const tokens = new VerifiedTokens<{ exp: number; sub: number }>(10, clock);
    const exp = nowMs / 1000 + 60;
    tokens.add('a.b.c', { exp, sub: 1 });

    expect(tokens.get('a.b.c')).toEqual({ exp, sub: 1 });
    nowMs += 59_999;
    expect(tokens.get('a.b.c')).toEqual({ exp, sub: 1 });
    nowMs += 1;
    expect(tokens.get('a.b.c')).toBeUndefined();
    nowMs -= 1;
    // Gone for good once found expired.
    expect(tokens.get('a.b.c')).toBeUndefined();
  });

  it('finds only the identical token string', () => {
    const tokens = new VerifiedTokens<{ exp: number }>(10, clock);
    tokens.add('a.b.c', { exp: nowMs / 1000 + 60 });

    expect(tokens.get('a.b.C')).toBeUndefined();
    expect(tokens.get('a.b.c ')).toBeUndefined();
  });

  it('forgets the oldest token when full', () => {
    const tokens = new VerifiedTokens<{ exp: number }>(2, clock);
    const exp = nowMs / 1000 + 60;
    tokens.add('first', { exp });
    tokens.add('second', { exp });
    tokens.add('third', { exp });

    expect(tokens.get('first')).toBeUndefined();
    expect(tokens.get('second')).toEqual({ exp });
    expect(tokens.get('third')).toEqual({ exp });
  });

  it('forgets the tokens whose payloads match, and only those', () => {
    const tokens = new VerifiedTokens<{ exp: number; sid: string }>(10, clock);
    const exp = nowMs / 1000 + 60;
    tokens.add('first', { exp, sid: 'ended' });
    tokens.add('second', { exp, sid: 'live' });
    tokens.add('third', { exp, sid: 'ended' });

    tokens.forget((payload) => payload.sid === 'ended');

    expect(tokens.get('first')).toBeUndefined();
    expect(tokens.get('second')).toEqual({ exp, sid: 'live' });
    expect(tokens.get('third')).toBeUndefined();
  });
});
