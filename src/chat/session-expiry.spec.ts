import { expireSessionAt } from './session-expiry';

describe('expireSessionAt', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('ends the session when the token expires, not before', () => {
    const end = jest.fn();
    expireSessionAt(Date.now() + 60_000, end);

    jest.advanceTimersByTime(59_999);
    expect(end).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(end).toHaveBeenCalledTimes(1);
  });

  it('times tokens that live longer than one timer can wait (30 days)', () => {
    const end = jest.fn();
    const thirtyDays = 30 * 24 * 3600 * 1000;
    expireSessionAt(Date.now() + thirtyDays, end);

    jest.advanceTimersByTime(thirtyDays - 1);
    expect(end).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(end).toHaveBeenCalledTimes(1);
  });

  it('can be cancelled when the connection closes first', () => {
    const end = jest.fn();
    const cancel = expireSessionAt(Date.now() + 1_000, end);
    cancel();
    jest.advanceTimersByTime(5_000);
    expect(end).not.toHaveBeenCalled();
  });
});
