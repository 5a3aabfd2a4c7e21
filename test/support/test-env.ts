/** Where the test tiers find PostgreSQL and Redis (the machine's defaults unless overridden). */
export const TEST_PG_ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Every test database is named `opsdeck_test_<owner pid>_…`, so a run only ever drops databases
 * whose owning process is gone: two test runs on one machine never touch each other's data.
 */
export const TEST_DB_PREFIX = 'opsdeck_test_';

/** The migrated template of this test run (set by the global setup, inherited by workers). */
export function templateDatabase(): string {
  const name = process.env.OPSDECK_TEST_TEMPLATE_DB;
  if (!name) throw new Error('OPSDECK_TEST_TEMPLATE_DB is not set: run tests through Jest (global setup).');
  return name;
}

export function ownerPidOf(databaseName: string): number | null {
  const match = new RegExp(`^${TEST_DB_PREFIX}(\\d+)_`).exec(databaseName);
  return match ? Number(match[1]) : null;
}

export function databaseUrl(name: string): string {
  if (!name.includes('test')) throw new Error(`Refusing to use "${name}": test database names must contain "test".`);
  const url = new URL(TEST_PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}
