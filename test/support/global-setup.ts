import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { Client } from 'pg';
import Redis from 'ioredis';
import { databaseUrl, ownerPidOf, TEST_DB_PREFIX, TEST_PG_ADMIN_URL, TEST_REDIS_URL } from './test-env';

/**
 * Builds one migrated template database; every module/e2e test file then clones its own fresh
 * database from it. Refuses to touch a database whose name does not say it is a test database.
 */
export default async function globalSetup(): Promise<void> {
  const TEMPLATE_DB = `${TEST_DB_PREFIX}${process.pid}_template`;
  process.env.OPSDECK_TEST_TEMPLATE_DB = TEMPLATE_DB;
  const admin = new Client({ connectionString: TEST_PG_ADMIN_URL });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(`PostgreSQL is not reachable at ${TEST_PG_ADMIN_URL}: ${(error as Error).message}`);
  }
  const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new Error(`Redis is not reachable at ${TEST_REDIS_URL}: ${(error as Error).message}`);
  } finally {
    redis.disconnect();
  }
  try {
    // Leftovers of interrupted runs would pile up; databases of live test runs are left alone.
    const found = await admin.query(`select datname from pg_database where datname like 'opsdeck\\_test\\_%'`);
    for (const { datname } of found.rows as { datname: string }[]) {
      const owner = ownerPidOf(datname);
      if (owner === null || !isAlive(owner)) await admin.query(`drop database if exists "${datname}" with (force)`);
    }
    await admin.query(`create database "${TEMPLATE_DB}"`);
  } finally {
    await admin.end();
  }
  const root = path.resolve(__dirname, '..', '..');
  const migrated = spawnSync(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', path.join(root, 'test/support/migrate-template.ts'), databaseUrl(TEMPLATE_DB)],
    { cwd: root, encoding: 'utf8' },
  );
  if (migrated.status !== 0) throw new Error(`Migrating the test template failed:\n${migrated.stderr}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
