import { DataSource } from 'typeorm';
import { testDatabaseUrl } from '../../test/support/test-database';
import { dataSourceOptions } from './data-source-options';

/** The pool settings that keep a slow or unreachable database from stalling requests. */
describe('dataSourceOptions (PostgreSQL)', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = new DataSource(dataSourceOptions(testDatabaseUrl()));
    await dataSource.initialize();
  });
  afterAll(() => dataSource.destroy());

  it('has PostgreSQL cancel statements that run longer than 10 s', async () => {
    const [row] = await dataSource.query<{ statement_timeout: string }[]>('SHOW statement_timeout');
    expect(row.statement_timeout).toBe('10s');
  });

  it('lets a migration lift the limit for its own transaction', async () => {
    const runner = dataSource.createQueryRunner();
    try {
      await runner.startTransaction();
      await runner.query('SET LOCAL statement_timeout = 0');
      const [row] = (await runner.query('SHOW statement_timeout')) as {
        statement_timeout: string;
      }[];
      expect(row.statement_timeout).toBe('0');
      await runner.rollbackTransaction();
    } finally {
      await runner.release();
    }
  });

  it('gives up waiting for an answer a little later, and probes idle connections after 10 s', () => {
    const pool = (dataSource.driver as unknown as { master: { options: Record<string, unknown> } })
      .master;
    expect(pool.options).toMatchObject({
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    });
    expect(pool.options.query_timeout).toBeGreaterThan(10_000);
    expect(pool.options.query_timeout).toBeLessThanOrEqual(15_000);
  });
});
