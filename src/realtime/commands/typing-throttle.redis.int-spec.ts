import { twoNodesForSuite } from '../../../test/support/redis-node';
import { RedisTypingThrottle } from './typing-throttle.redis';

describe('RedisTypingThrottle (on a redis-server of its own)', () => {
  const suite = twoNodesForSuite();
  let nextUserId = 1;

  it('passes one start per interval for a user in a room, across nodes, and its stop once', async () => {
    const [a, b] = suite.nodes().map((node) => new RedisTypingThrottle(node));
    const userId = nextUserId++;

    expect(await a.admit(userId, 7, false)).toBe(false);
    expect(await a.admit(userId, 7, true)).toBe(true);
    expect(await b.admit(userId, 7, true)).toBe(false);
    expect(await a.admit(userId, 8, true)).toBe(true);
    expect(await b.admit(userId, 7, false)).toBe(true);
    expect(await a.admit(userId, 7, false)).toBe(false);
    expect(await a.admit(userId, 7, true)).toBe(false);
  });

  it('passes every event while Redis hangs', async () => {
    const throttle = new RedisTypingThrottle(suite.nodes()[0]);
    const userId = nextUserId++;
    expect(await throttle.admit(userId, 1, true)).toBe(true);
    suite.redis().pause();
    expect(await throttle.admit(userId, 1, true)).toBe(true);
  });
});
