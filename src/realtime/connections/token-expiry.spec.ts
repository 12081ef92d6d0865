import { EXPIRY_SWEEP_MS, TokenExpiry } from './token-expiry';

describe('TokenExpiry', () => {
  let expiry: TokenExpiry;

  beforeEach(() => {
    jest.useFakeTimers();
    expiry = new TokenExpiry();
  });
  afterEach(() => {
    expiry.onModuleDestroy();
    jest.useRealTimers();
  });

  it('ends the session once the token has expired, not before', () => {
    const end = jest.fn();
    expiry.schedule(Date.now() + 60_000, end);

    jest.advanceTimersByTime(59_999);
    expect(end).not.toHaveBeenCalled();
    jest.advanceTimersByTime(EXPIRY_SWEEP_MS);
    expect(end).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(10 * EXPIRY_SWEEP_MS);
    expect(end).toHaveBeenCalledTimes(1);
  });

  it('ends each of many sessions at its own time', () => {
    const ends = [3, 1, 2].map((seconds) => {
      const end = jest.fn();
      expiry.schedule(Date.now() + seconds * 1_000, end);
      return end;
    });
    jest.advanceTimersByTime(1_000);
    expect(ends.map((end) => end.mock.calls.length)).toEqual([0, 1, 0]);
    jest.advanceTimersByTime(2_000);
    expect(ends.map((end) => end.mock.calls.length)).toEqual([1, 1, 1]);
  });

  it('times tokens that live for weeks (longer than one timer can wait)', () => {
    const end = jest.fn();
    const thirtyDays = 30 * 24 * 3600 * 1000;
    expiry.schedule(Date.now() + thirtyDays, end);

    jest.advanceTimersByTime(thirtyDays - EXPIRY_SWEEP_MS);
    expect(end).not.toHaveBeenCalled();
    jest.advanceTimersByTime(EXPIRY_SWEEP_MS);
    expect(end).toHaveBeenCalledTimes(1);
  });

  it('can be cancelled when the connection closes first, and then keeps no timer', () => {
    const end = jest.fn();
    const handle = expiry.schedule(Date.now() + 1_000, end);
    expect(jest.getTimerCount()).toBe(1);
    expiry.cancel(handle);
    expect(jest.getTimerCount()).toBe(0);
    jest.advanceTimersByTime(5_000);
    expect(end).not.toHaveBeenCalled();
  });

  it('ends a session whose token expired before it was scheduled at the next sweep', () => {
    const end = jest.fn();
    expiry.schedule(Date.now() - 1, end);
    jest.advanceTimersByTime(EXPIRY_SWEEP_MS);
    expect(end).toHaveBeenCalledTimes(1);
  });
});
