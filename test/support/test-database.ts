import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { sessionDefaultsSql } from '../../src/shared/adapters/persistence/session-settings';
import { databaseUrl, TEST_DB_PREFIX, TEST_PG_ADMIN_URL, templateDatabase } from './test-env';

export interface TestDatabase {
  name: string;
  url: string;
  /** Runs one parameterized query directly (assertions and fault injection in tests). */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

/** A fresh, migrated database for one test file, cloned from the template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `${TEST_DB_PREFIX}${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`create database "${name}" template "${templateDatabase()}"`));
  const client = new Client({ connectionString: databaseUrl(name) });
  await client.connect();
  // As db:migrate does: a clone does not inherit its template's database-level settings.
  await client.query(sessionDefaultsSql());
  return {
    name,
    url: databaseUrl(name),
    query: async <T>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as T[],
    drop: async () => {
      await client.end();
      await admin((c) => c.query(`drop database if exists "${name}" with (force)`));
    },
  };
}

async function admin(work: (client: Client) => Promise<unknown>): Promise<void> {
  const client = new Client({ connectionString: TEST_PG_ADMIN_URL });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}
