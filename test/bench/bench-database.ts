import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { Client, Pool } from 'pg';
import { APP_SESSION_OPTIONS } from '../../src/shared/adapters/persistence/mikro-orm.config';
import { TestDatabase } from '../support/test-database';
import { databaseUrl, TEST_PG_ADMIN_URL } from '../support/test-env';

export interface BenchDatabase extends TestDatabase {
  workspaceId: string;
  environmentId: string;
  /** A pool as large as the app's MikroORM pool, for the naive contender. */
  pool: Pool;
  /** The monitor client behind `query` (polling, seeding): not a measured connection. */
  monitor: Client;
  /** Ends this process's pool and monitor client; the database stays. */
  disconnect(): Promise<void>;
}

/** What a child process needs to open a database its parent created (sent over IPC). */
export interface BenchDatabaseRef {
  name: string;
  url: string;
  workspaceId: string;
  environmentId: string;
}

export const benchDatabaseRef = (db: BenchDatabase): BenchDatabaseRef => ({
  name: db.name,
  url: db.url,
  workspaceId: db.workspaceId,
  environmentId: db.environmentId,
});

/**
 * A fresh, migrated database for one benchmark run. Named opsdeck_bench_test_*: databaseUrl()
 * only accepts names containing "test", and the Jest setup owns (and drops) opsdeck_test_*.
 * The monitor client (polling, seeding) is separate from the measured pools.
 */
export async function createBenchDatabase(poolSize: number): Promise<BenchDatabase> {
  const name = `opsdeck_bench_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const url = databaseUrl(name);
  migrate(url);
  const monitor = new Client({ connectionString: url });
  await monitor.connect();
  const [workspace] = (await monitor.query<{ id: string }>(
    `insert into workspaces (slug, name) values ('bench', 'Benchmark') returning id`,
  )).rows;
  const [environment] = (await monitor.query<{ id: string }>(
    `insert into managed_environments (workspace_id, slug, display_name) values ($1, 'bench', 'Benchmark') returning id`,
    [workspace.id],
  )).rows;
  await monitor.end();
  const db = await openBenchDatabase({ name, url, workspaceId: workspace.id, environmentId: environment.id }, poolSize);
  return {
    ...db,
    drop: async () => {
      await db.disconnect();
      const admin = new Client({ connectionString: TEST_PG_ADMIN_URL });
      await admin.connect();
      try {
        await admin.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await admin.end();
      }
    },
  };
}

/**
 * Connects to a database created by createBenchDatabase (here or in the parent process). Its
 * `drop` refuses: only the creator drops, so a child can never remove its parent's database.
 */
export async function openBenchDatabase(ref: BenchDatabaseRef, poolSize: number): Promise<BenchDatabase> {
  const monitor = new Client({ connectionString: ref.url });
  await monitor.connect();
  // The same session settings as the app's connections (mikro-orm.config.ts: JIT off, generic plans), so a
  // baseline replaying the app's SQL measures the app's overhead, not a different plan path.
  const pool = new Pool({ connectionString: ref.url, max: poolSize, options: APP_SESSION_OPTIONS });
  // An idle client terminated by the server (drop … with force, a fault test's pg_terminate_backend
  // on a shared PostgreSQL) must not crash the run before its JSON line.
  pool.on('error', (error) => process.stderr.write(`[bench] idle pg client lost: ${error.message}\n`));
  monitor.on('error', (error) => process.stderr.write(`[bench] monitor pg client lost: ${error.message}\n`));
  let connected = true;
  const disconnect = async () => {
    if (!connected) return;
    connected = false;
    await pool.end();
    await monitor.end();
  };
  return {
    ...ref,
    pool,
    monitor,
    query: async <T>(sql: string, params: unknown[] = []) => (await monitor.query(sql, params)).rows as T[],
    disconnect,
    drop: async () => {
      throw new Error(`database ${ref.name} belongs to the process that created it`);
    },
  };
}

/** Creates and migrates the database in a child process, as the Jest global setup does: the migrator logs to stdout. */
function migrate(url: string): void {
  const root = path.resolve(__dirname, '..', '..');
  const child = spawnSync(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', path.join(root, 'test/support/migrate-template.ts'), url],
    { cwd: root, encoding: 'utf8' },
  );
  if (child.status !== 0) throw new Error(`Migrating the benchmark database failed:\n${child.stderr}`);
}

/**
 * Polls every 50 ms until `n` runs of `type` created since `since` are completed, then returns
 * the exact wall time from `since` to the last completion (completed_at, not the poll tick).
 */
export async function waitForCompletedRuns(
  db: BenchDatabase,
  type: string,
  since: Date,
  n: number,
  timeoutMs = 120_000,
  table = 'operation_runs',
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await db.query<{ done: string; unsuccessful: string; last: Date | null }>(
      `select count(*) filter (where status = 'completed') as done,
              count(*) filter (where status = 'completed' and outcome <> 'succeeded') as unsuccessful,
              max(completed_at) as last
         from ${table} where type = $1 and created_at >= $2`,
      [type, since],
    );
    // A failed run is not throughput: stop rather than report a flattering figure.
    if (Number(row.unsuccessful) > 0) throw new Error(`${row.unsuccessful} ${type} runs did not succeed`);
    if (Number(row.done) >= n && row.last) return row.last.getTime() - since.getTime();
    if (Date.now() > deadline) throw new Error(`Timed out: ${row.done}/${n} ${type} runs completed`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
