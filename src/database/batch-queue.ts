interface Pending<Item, Result> {
  item: Item;
  resolve: (result: Result) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: runs the items added to it in batches, one batch at a time. Items added while a
 * batch runs form the next one (up to `maxBatch`), so under load each item costs a share of one
 * round of work instead of a round of its own. Each item settles with its batch: with its own
 * result, or with the batch's error; a failed batch does not hold up the next.
 */
export class BatchQueue<Item, Result> {
  private queue: Pending<Item, Result>[] = [];
  private running = false;
  /** Settles once the last item added so far has. */
  private lastSettled: Promise<unknown> = Promise.resolve();

  constructor(
    /** Answers one result per item, in the items' order. */
    private readonly runBatch: (items: Item[]) => Promise<Result[]>,
    private readonly maxBatch: number,
  ) {}

  add(item: Item): Promise<Result> {
    const result = new Promise<Result>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
    });
    this.lastSettled = result.catch(() => undefined);
    if (!this.running) {
      this.running = true;
      // Items added in the same turn of the event loop join the first batch.
      setImmediate(() => void this.runAll());
    }
    return result;
  }

  /** Resolves once every item added before the call has settled (items are run in order). */
  async drain(): Promise<void> {
    await this.lastSettled;
  }

  private async runAll(): Promise<void> {
    while (this.queue.length > 0) {
      await this.runOne(this.queue.splice(0, this.maxBatch));
    }
    this.running = false;
  }

  private async runOne(batch: Pending<Item, Result>[]): Promise<void> {
    try {
      const results = await this.runBatch(batch.map((pending) => pending.item));
      batch.forEach((pending, index) => pending.resolve(results[index]));
    } catch (error) {
      for (const pending of batch) pending.reject(error);
    }
  }
}
