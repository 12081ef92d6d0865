import { LocalTypingThrottle, TYPING_INTERVAL_MS } from './typing-throttle';

describe('LocalTypingThrottle', () => {
  let throttle: LocalTypingThrottle;
  /** What passes of the given events, sent at the given times (ms). */
  const passed = async (events: [at: number, isTyping: boolean][], userId = 1, roomId = 1) => {
    const result: string[] = [];
    for (const [at, isTyping] of events) {
      if (await throttle.admit(userId, roomId, isTyping, at)) {
        result.push(`${at} ${isTyping ? 'start' : 'stop'}`);
      }
    }
    return result;
  };

  beforeEach(() => {
    throttle = new LocalTypingThrottle();
  });

  it('passes 30 starts in one second on once', async () => {
    const burst = Array.from({ length: 30 }, (_, i): [number, boolean] => [i * 33, true]);
    expect(await passed(burst)).toEqual(['0 start']);
  });

  it("passes a client's starts, sent every 3 s while typing, and its stop", async () => {
    expect(
      await passed([
        [0, true],
        [3_000, true],
        [6_000, true],
        [7_000, false],
      ]),
    ).toEqual(['0 start', '3000 start', '6000 start', '7000 stop']);
  });

  it('passes a stop only when it ends a start that was passed on', async () => {
    expect(
      await passed([
        [0, false],
        [10, true],
        [20, false],
        [30, false],
      ]),
    ).toEqual(['10 start', '20 stop']);
  });

  it('bounds toggling to a start and a stop per interval', async () => {
    const toggles = Array.from({ length: 60 }, (_, i): [number, boolean] => [i * 50, i % 2 === 0]);
    const result = await passed(toggles);
    expect(result).toEqual(['0 start', '50 stop', '2500 start', '2550 stop']);
    expect(TYPING_INTERVAL_MS).toBe(2_500);
  });

  it('throttles each user in each room apart', async () => {
    expect(await throttle.admit(1, 1, true, 0)).toBe(true);
    expect(await throttle.admit(1, 2, true, 0)).toBe(true);
    expect(await throttle.admit(2, 1, true, 0)).toBe(true);
    expect(await throttle.admit(1, 1, true, 1)).toBe(false);
  });
});
