/**
 * Every test app's server admin (ADMIN_USERNAME), the first account of each store: made by the
 * global setup in the run's database, by the app at start in memory. So no user a test registers
 * is an admin by being first.
 */
export const TEST_ADMIN = { username: 'test_admin', password: 'test admin password' } as const;
