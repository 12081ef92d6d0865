import { rejection } from '../../test/support/rejection';
import { BatchQueue } from './batch-queue';

/** A batch runner that records its batches and finishes each one when told to. */
class ControlledRunner {
  readonly batches: number[][] = [];
  private finishers: (() => void)[] = [];
  failNext: Error | null = null;

  readonly run = (items: number[]): Promise<string[]> => {
    this.batches.push(items);
    const failure = this.failNext;
    this.failNext = null;
    return new Promise((resolve, reject) => {
      this.finishers.push(() =>
        failure ? reject(failure) : resolve(items.map((item) => `done ${item}`)),
      );
    });
  };

  /** Finishes the batch in flight. */
  finish(): void {
    const finisher = this.finishers.shift();
    if (!finisher) throw new Error('no batch in flight');
    finisher();
  }

  get inFlight(): number {
    return this.finishers.length;
  }
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('BatchQueue', () => {
  let runner: ControlledRunner;
  let queue: BatchQueue<number, string>;

  beforeEach(() => {
    runner = new ControlledRunner();
    queue = new BatchQueue(runner.run, 3);
  });

  it('runs the items added in one turn as one batch, answering each its own result', async () => {
    const results = [queue.add(1), queue.add(2)];
    await nextTurn();

    expect(runner.batches).toEqual([[1, 2]]);
    runner.finish();
    expect(await Promise.all(results)).toEqual(['done 1', 'done 2']);
  });

  it('keeps one batch in flight; items added meanwhile form the next, up to the cap', async () => {
    const first = queue.add(1);
    await nextTurn();
    const later = [2, 3, 4, 5].map((item) => queue.add(item));
    await nextTurn();

    expect(runner.batches).toEqual([[1]]);
    expect(runner.inFlight).toBe(1);

    runner.finish();
    expect(await first).toBe('done 1');
    await nextTurn();
    expect(runner.batches).toEqual([[1], [2, 3, 4]]);
    expect(runner.inFlight).toBe(1);

    runner.finish();
    await nextTurn();
    expect(runner.batches).toEqual([[1], [2, 3, 4], [5]]);
    runner.finish();
    expect(await Promise.all(later)).toEqual(['done 2', 'done 3', 'done 4', 'done 5']);
  });

  it('runs up to maxInFlight batches at once; the next waits for a free one', async () => {
    const twoAtOnce = new BatchQueue(runner.run, 3, 2);
    const first = twoAtOnce.add(1);
    await nextTurn();
    const second = [2, 3].map((item) => twoAtOnce.add(item));
    await nextTurn();
    expect(runner.batches).toEqual([[1], [2, 3]]);

    const third = twoAtOnce.add(4);
    await nextTurn();
    expect(runner.inFlight).toBe(2);
    expect(runner.batches).toHaveLength(2);

    runner.finish();
    expect(await first).toBe('done 1');
    await nextTurn();
    expect(runner.batches).toEqual([[1], [2, 3], [4]]);
    runner.finish();
    runner.finish();
    expect(await Promise.all([...second, third])).toEqual(['done 2', 'done 3', 'done 4']);
  });

  it("rejects every item of a failed batch with the batch's error, and runs the next batch", async () => {
    const failure = new Error('connection refused');
    runner.failNext = failure;
    const failed = [queue.add(1), queue.add(2)];
    await nextTurn();
    const next = queue.add(3);

    runner.finish();
    expect(await Promise.all(failed.map(rejection))).toEqual([failure, failure]);
    await nextTurn();
    runner.finish();
    expect(await next).toBe('done 3');
  });

  it('starts again after going idle', async () => {
    const first = queue.add(1);
    await nextTurn();
    runner.finish();
    await first;

    const second = queue.add(2);
    await nextTurn();
    runner.finish();

    expect(await second).toBe('done 2');
    expect(runner.batches).toEqual([[1], [2]]);
  });

  describe('drain', () => {
    it('resolves once every item added before it has settled, failed ones included', async () => {
      runner.failNext = new Error('down');
      const failed = rejection(queue.add(1));
      await nextTurn();
      const queued = queue.add(2);
      let drained = false;
      const draining = queue.drain().then(() => (drained = true));

      runner.finish();
      await failed;
      await nextTurn();
      expect(drained).toBe(false);
      runner.finish();
      await draining;

      expect(await queued).toBe('done 2');
    });

    it('does not wait for items added after it', async () => {
      const before = queue.add(1);
      await nextTurn();
      const draining = queue.drain();
      const after = queue.add(2);
      runner.finish();

      await draining;
      expect(await before).toBe('done 1');
      await nextTurn();
      expect(runner.inFlight).toBe(1);
      runner.finish();
      expect(await after).toBe('done 2');
    });

    it('resolves at once when nothing was added', async () => {
      await expect(queue.drain()).resolves.toBeUndefined();
    });
  });

  describe("a batch that failed for one item's fault", () => {
    const refused = Object.assign(new Error('value too long'), { code: '22001' });
    const batches: number[][] = [];
    const runBatch = async (items: number[]) => {
      batches.push(items);
      if (items.includes(13)) throw refused;
      return items.map((item) => `done ${item}`);
    };

    beforeEach(() => {
      batches.length = 0;
    });

    it('runs its items again one at a time, in order: only that item fails', async () => {
      const isolating = new BatchQueue(runBatch, 10, 1, (error) => error === refused);
      const results = [1, 13, 2].map((item) => isolating.add(item));

      expect(await results[0]).toBe('done 1');
      expect(await rejection(results[1])).toBe(refused);
      expect(await results[2]).toBe('done 2');
      expect(batches).toEqual([[1, 13, 2], [1], [13], [2]]);
    });

    it('fails every item together when the error is not one item’s fault', async () => {
      const together = new BatchQueue(runBatch, 10, 1, () => false);
      const errors = await Promise.all([1, 13].map((item) => rejection(together.add(item))));

      expect(errors).toEqual([refused, refused]);
      expect(batches).toEqual([[1, 13]]);
    });
  });
});
