interface Pending<Item, Result> {
  item: Item;
  resolve: (result: Result) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: runs the items added to it in batches, at most `maxInFlight` at a time. Items
 * added while batches run form the next one (up to `maxBatch`), so under load each item costs a
 * share of one round of work instead of a round of its own. Each item settles with its batch: with
 * its own result, or with the batch's error; a failed batch does not hold up the next. When
 * `isOneItemsFault` says a batch's error may come from one item alone (a row the database
 * refuses), its items run again one at a time, in order, so that only that item fails.
 */
export class BatchQueue<Item, Result> {
  private queue: Pending<Item, Result>[] = [];
  private running = 0;
  private scheduled = false;
  /** The results not settled yet, queued or running. */
  private readonly unsettled = new Set<Promise<unknown>>();

  constructor(
    /** Answers one result per item, in the items' order. */
    private readonly runBatch: (items: Item[]) => Promise<Result[]>,
    private readonly maxBatch: number,
    /** Batches run at the same time; the items of one batch wait for a free one. */
    private readonly maxInFlight = 1,
    private readonly isOneItemsFault: (error: unknown) => boolean = () => false,
  ) {}

  add(item: Item): Promise<Result> {
    const result = new Promise<Result>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
    });
    const forget = (): void => void this.unsettled.delete(settled);
    const settled: Promise<void> = result.then(forget, forget);
    this.unsettled.add(settled);
    if (!this.scheduled && this.running < this.maxInFlight) {
      this.scheduled = true;
      // Items added in the same turn of the event loop join one batch.
      setImmediate(() => {
        this.scheduled = false;
        this.start();
      });
    }
    return result;
  }

  /** Resolves once every item added before the call has settled. */
  async drain(): Promise<void> {
    await Promise.all([...this.unsettled]);
  }

  private start(): void {
    while (this.running < this.maxInFlight && this.queue.length > 0) {
      this.running += 1;
      void this.runOne(this.queue.splice(0, this.maxBatch)).then(() => {
        this.running -= 1;
        this.start();
      });
    }
  }

  private async runOne(batch: Pending<Item, Result>[]): Promise<void> {
    try {
      const results = await this.runBatch(batch.map((pending) => pending.item));
      batch.forEach((pending, index) => pending.resolve(results[index]));
    } catch (error) {
      if (batch.length > 1 && this.isOneItemsFault(error)) {
        for (const pending of batch) await this.runOne([pending]);
      } else {
        for (const pending of batch) pending.reject(error);
      }
    }
  }
}
