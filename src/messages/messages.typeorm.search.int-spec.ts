import { DataSource } from 'typeorm';
import { testDatabaseUrl } from '../../test/support/test-database';
import { dataSourceOptions } from '../database/data-source-options';
import { parseSearchQuery } from './message-search';
import { searchStatement } from './messages.typeorm.search';

/** The names of the relations a plan (EXPLAIN FORMAT JSON) reads through an index. */
function indexesOf(plan: unknown): string[] {
  if (Array.isArray(plan)) return plan.flatMap(indexesOf);
  if (typeof plan !== 'object' || plan === null) return [];
  const node = plan as Record<string, unknown>;
  const own = typeof node['Index Name'] === 'string' ? [node['Index Name']] : [];
  return [...own, ...Object.values(node).flatMap(indexesOf)];
}

// What the shared suite cannot see: that the search can use its index at all (its condition is
// the index's expression and predicate), and that the planner has the expression's statistics,
// without which it takes every word for a rare one (a partial index's own are not used).
describe('message search on PostgreSQL', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = new DataSource(dataSourceOptions(testDatabaseUrl()));
    await dataSource.initialize();
  });
  afterAll(() => dataSource.destroy());

  it('can answer from the GIN index of words', async () => {
    const { sql, parameters } = searchStatement({
      // Rooms enough that their index narrows nothing down.
      roomIds: Array.from({ length: 10_000 }, (_, i) => i + 1),
      query: parseSearchQuery('"deploy failed" -staging or release')!,
      before: 1_000,
      limit: 50,
    });
    const runner = dataSource.createQueryRunner();
    try {
      await runner.startTransaction();
      // However few rows the test database holds, a plan without the index is the last resort.
      await runner.query('SET LOCAL enable_seqscan = off');
      await runner.query('SET LOCAL enable_indexscan = off');
      const [{ 'QUERY PLAN': plan }] = (await runner.query(
        `EXPLAIN (FORMAT JSON) ${sql}`,
        parameters,
      )) as { 'QUERY PLAN': unknown }[];
      expect(indexesOf(plan)).toContain('messages_content_search_idx');
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });

  it('has statistics of the indexed expression', async () => {
    const rows = await dataSource.query<{ definition: string }[]>(
      `SELECT pg_get_statisticsobjdef(oid) AS definition FROM pg_statistic_ext
       WHERE stxname = 'messages_content_search_stats'`,
    );
    expect(rows).toEqual([{ definition: expect.stringContaining("to_tsvector('simple'") }]);
  });
});
