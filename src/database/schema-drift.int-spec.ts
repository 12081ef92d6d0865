import { DataSource } from 'typeorm';
import { testDatabaseUrl } from '../../test/support/test-database';
import { dataSourceOptions } from './data-source-options';

// The schema comes from migrations alone; the entities describe it to TypeORM. If the two drift
// apart, `migration:generate` would write a migration undoing a hand-written one.
describe('the migrated schema', () => {
  it('is what the entities describe: TypeORM would change nothing', async () => {
    const db = new DataSource(dataSourceOptions(testDatabaseUrl()));
    await db.initialize();
    try {
      const { upQueries } = await db.driver.createSchemaBuilder().log();
      expect(upQueries.map((query) => query.query)).toEqual([]);
    } finally {
      await db.destroy();
    }
  });
});
