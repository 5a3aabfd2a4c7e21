import { Client } from 'pg';
import { TEST_PG_ADMIN_URL } from './test-env';

/** Drops this run's template; per-file databases are dropped by their own tests. */
export default async function globalTeardown(): Promise<void> {
  const template = process.env.OPSDECK_TEST_TEMPLATE_DB;
  if (!template) return;
  const admin = new Client({ connectionString: TEST_PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`drop database if exists "${template}" with (force)`);
  } finally {
    await admin.end();
  }
}
