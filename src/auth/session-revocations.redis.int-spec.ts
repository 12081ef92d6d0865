import { redisKey } from '../cluster/redis-connection';
import { until } from '../../test/support/polling';
import { twoNodesForSuite } from '../../test/support/redis-node';
import { RedisSessionRevocations } from './session-revocations.redis';

describe('RedisSessionRevocations (on a redis-server of its own)', () => {
  const suite = twoNodesForSuite();
  let a: RedisSessionRevocations;
  let b: RedisSessionRevocations;
  let endedOnA: string[][];
  let endedOnB: string[][];

  beforeAll(async () => {
    [a, b] = suite.nodes().map((node) => new RedisSessionRevocations(node));
    [endedOnA, endedOnB] = [[], []];
    a.onEnded((ids) => endedOnA.push([...ids]));
    b.onEnded((ids) => endedOnB.push([...ids]));
    const [nodeA] = suite.nodes();
    await until('both nodes to subscribe', async () => {
      const [, subscribers] = (await nodeA.commands.pubsub(
        'NUMSUB',
        redisKey('sessions', 'ended'),
      )) as [string, number];
      return subscribers === 2;
    });
  });

  it('tells the publishing node at once, and the other node, each once', async () => {
    const publishing = a.publish(['s1', 's2']);
    expect(endedOnA).toEqual([['s1', 's2']]);
    await publishing;
    await until('node B to learn of it', () => endedOnB.length === 1);
    expect(endedOnB).toEqual([['s1', 's2']]);

    // A later news from B reaching A shows that A's own came back to it, and was not told twice.
    await b.publish(['s3']);
    await until('node A to learn of B’s', () => endedOnA.length === 2);
    expect(endedOnA).toEqual([['s1', 's2'], ['s3']]);
    expect(endedOnB).toEqual([['s1', 's2'], ['s3']]);
  });

  it('says news may have been missed once Redis is back after an outage', async () => {
    let missed = 0;
    b.onMissed(() => missed++);
    const [, nodeB] = suite.nodes();

    await suite.redis().stop();
    await until('node B to see Redis down', () => !nodeB.isReady);
    await suite.redis().start();

    await until('node B to report the recovery', () => missed === 1);
  }, 30_000);
});
