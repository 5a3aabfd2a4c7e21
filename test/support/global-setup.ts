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
    await dropDeadQueueKeys(redis);
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
  // The CLI e2e tests run the built CLI (as production does): compile once, not per call.
  const built = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: root,
    encoding: 'utf8',
  });
  // A broken build is `npm run lint`'s finding; here the CLI tests fall back to the sources.
  if (built.status === 0) process.env.OPSDECK_TEST_CLI_BUILT = '1';
  else process.stderr.write(`Build for the CLI tests failed; running the CLI through ts-node instead.\n`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Queue keys of test runs whose process is gone (prefix `opsdeck_test_<pid>_…`). */
async function dropDeadQueueKeys(redis: Redis): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${TEST_DB_PREFIX}*`, 'COUNT', 500);
    cursor = next;
    const dead = keys.filter((key) => {
      const owner = ownerPidOf(key);
      return owner === null || !isAlive(owner);
    });
    if (dead.length) await redis.del(...dead);
  } while (cursor !== '0');
}
