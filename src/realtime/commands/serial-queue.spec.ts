import { SerialQueue } from './serial-queue';

describe('SerialQueue', () => {
  it('runs tasks one at a time in the order given, even when earlier ones are slower', async () => {
    const queue = new SerialQueue();
    const log: string[] = [];
    const task = (name: string, ticks: number) => async () => {
      log.push(`start ${name}`);
      for (let i = 0; i < ticks; i++) await Promise.resolve();
      log.push(`end ${name}`);
      return name;
    };

    const results = await Promise.all([queue.run(task('a', 5)), queue.run(task('b', 0))]);

    expect(results).toEqual(['a', 'b']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b']);
  });

  it('goes on after a task fails, and hands the failure to that task’s caller', async () => {
    const queue = new SerialQueue();
    const failed = queue.run(() => Promise.reject(new Error('boom')));
    const next = queue.run(async () => 'next');

    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('next');
  });

  it('starts a task at once when nothing is queued, and in turn when something is', async () => {
    const queue = new SerialQueue();
    const started: string[] = [];
    let finishFirst!: () => void;
    const first = queue.run(() => {
      started.push('first');
      return new Promise<void>((resolve) => (finishFirst = resolve));
    });
    expect(started).toEqual(['first']);

    const second = queue.run(async () => void started.push('second'));
    await Promise.resolve();
    expect(started).toEqual(['first']);

    finishFirst();
    await Promise.all([first, second]);
    expect(started).toEqual(['first', 'second']);

    await queue.run(async () => void started.push('third'));
    expect(started).toEqual(['first', 'second', 'third']);
  });

  it('hands a task that throws before returning a promise a rejection, and goes on', async () => {
    const queue = new SerialQueue();
    const thrown = queue.run((): Promise<void> => {
      throw new Error('at once');
    });

    await expect(thrown).rejects.toThrow('at once');
    await expect(queue.run(async () => 'after')).resolves.toBe('after');
  });
});
