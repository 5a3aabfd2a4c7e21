import { runCli } from '../support/cli-entry';
import { insertRunRow } from '../support/run-rows';
import { DemoScope, seedDemoScope } from '../support/seed';
import { startTestApp, TestApp } from '../support/test-app';
import { TEST_REDIS_URL } from '../support/test-env';

/**
 * `reconcile [--dry-run]` as an operator runs it: a child process over a real PostgreSQL and Redis,
 * against stale runs of every catalog type, each beside the partial domain artifact its adapter
 * cleans up. A dry run must leave every table byte-identical; a real sweep closes every run and
 * applies the adapters' effects; a second one finds nothing and writes nothing.
 */

// Real processes on a shared machine: one CLI call can take several seconds.
jest.setTimeout(120_000);

interface SweepJson {
  examined: number;
  reconciled: number;
  by_reason: Record<string, number>;
  dry_run: boolean;
  [key: string]: unknown;
}

const BY_REASON = {
  inventory_sync_incomplete: 1,
  incomplete_snapshot: 1,
  incomplete_compare: 1,
  incomplete_review: 1,
  // The queued sync: its adapter finds no item recorded for it.
  inventory_sync_no_items: 1,
};

describe('cli reconcile', () => {
  let t: TestApp;
  let scope: DemoScope;
  const runs: Record<'sync' | 'capture' | 'compare' | 'compose' | 'queued', string> = {} as never;
  const artifacts: Record<'snapshot' | 'compare' | 'draft', string> = {} as never;

  function reconcile(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: t.db.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: t.config.queuePrefix,
    };
    delete env.LOG_LEVEL;
    delete env.OPS_LIFECYCLE_OVERRIDES;
    return runCli(['reconcile', ...args], env, 60_000);
  }

  /** The JSON summary: the last stdout line, after a zero exit code. */
  async function sweep(...args: string[]): Promise<SweepJson> {
    const result = await reconcile(args);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    return JSON.parse(result.stdout.trimEnd().split('\n').pop()!);
  }

  /** Row count and a hash of every row's text, per table of the schema: any write shows. */
  async function tableHashes(): Promise<Record<string, string>> {
    const tables = await t.db.query<{ name: string }>(
      `select table_name as name from information_schema.tables
       where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
    );
    const hashes: Record<string, string> = {};
    for (const { name } of tables) {
      const [row] = await t.db.query<{ n: number; hash: string | null }>(
        `select count(*)::int as n, md5(string_agg(r::text, E'\\n' order by r::text)) as hash from "${name}" r`,
      );
      hashes[name] = `${row.n}:${row.hash ?? ''}`;
    }
    return hashes;
  }

  const status = async (table: string, id: string) =>
    (await t.db.query<{ status: string }>(`select status from ${table} where id = $1`, [id]))[0]?.status ?? 'gone';

  beforeAll(async () => {
    // No roles: nothing in this process sweeps, works or writes on its own while the CLI runs.
    t = await startTestApp({ roles: [] });
    scope = await seedDemoScope(t);
    const hq = scope.environmentIds['contoso-hq'];
    const fabrikam = scope.environmentIds.fabrikam;
    const stale = (type: string, environmentId: string, status: 'queued' | 'running' = 'running') =>
      insertRunRow(t.db, { workspaceId: scope.workspaceId, environmentId, type, status, createdAgoS: 7200, heartbeatAgoS: 3600 });

    runs.sync = await stale('inventory.sync', hq);
    await t.db.query(
      `insert into inventory_items (environment_id, kind, external_id, display_name, settings, content_hash, last_synced_run_id)
       values ($1, 'deviceConfiguration', 'p-1', 'Policy 1', '{}', 'h1', $2)`,
      [hq, runs.sync],
    );
    const [profile] = await t.db.query<{ id: string }>(
      `insert into baseline_profiles (workspace_id, name, source_environment_id) values ($1, 'Reconcile baseline', $2) returning id`,
      [scope.workspaceId, hq],
    );
    const [complete] = await t.db.query<{ id: string }>(
      `insert into baseline_snapshots (profile_id, run_id, status, completed_at) values ($1, gen_random_uuid(), 'complete', now()) returning id`,
      [profile.id],
    );
    runs.capture = await stale('baseline.capture', hq);
    artifacts.snapshot = (
      await t.db.query<{ id: string }>(`insert into baseline_snapshots (profile_id, run_id) values ($1, $2) returning id`, [profile.id, runs.capture])
    )[0].id;
    runs.compare = await stale('baseline.compare', fabrikam);
    artifacts.compare = (
      await t.db.query<{ id: string }>(
        `insert into baseline_compare_results (profile_id, snapshot_id, target_environment_id, run_id) values ($1, $2, $3, $4) returning id`,
        [profile.id, complete.id, fabrikam, runs.compare],
      )
    )[0].id;
    runs.compose = await stale('environment.review.compose', fabrikam);
    artifacts.draft = (
      await t.db.query<{ id: string }>(
        `insert into environment_reviews (workspace_id, environment_id, period_from, period_to, period_label, fingerprint, run_id)
         values ($1, $2, '2026-10-01', '2026-11-01', '2026-10', 'half-done', $3) returning id`,
        [scope.workspaceId, fabrikam, runs.compose],
      )
    )[0].id;
    runs.queued = await stale('inventory.sync', fabrikam, 'queued');
  });

  afterAll(async () => {
    await t?.close();
  });

  it('--dry-run reports every stale run it would close and leaves every table byte-identical', async () => {
    const before = await tableHashes();
    expect(Object.keys(before)).toEqual(
      expect.arrayContaining(['operation_runs', 'baseline_snapshots', 'baseline_compare_results', 'environment_reviews', 'audit_events']),
    );

    const summary = await sweep('--dry-run');

    expect(summary).toEqual({
      examined: 5,
      reconciled: 5,
      skipped_alive: 0,
      skipped_unverified: 0,
      deferred: 0,
      by_reason: BY_REASON,
      apply_failed: 0,
      dry_run: true,
      lock: 'acquired',
    });
    expect(await tableHashes()).toEqual(before);
  });

  it('applies: every run closed by its adapter, and only then the partial artifacts cleaned up', async () => {
    const summary = await sweep();

    expect(summary).toEqual({
      examined: 5,
      reconciled: 5,
      skipped_alive: 0,
      skipped_unverified: 0,
      deferred: 0,
      by_reason: BY_REASON,
      apply_failed: 0,
      dry_run: false,
      lock: 'acquired',
    });
    const closed = await t.db.query<{ id: string; status: string; outcome: string; reason: string; source: string }>(
      `select id, status, outcome, context->'reconciliation'->>'reason' as reason, context->'reconciliation'->>'source' as source
       from operation_runs where id = any($1::uuid[])`,
      [Object.values(runs)],
    );
    const byId = new Map(closed.map((r) => [r.id, r]));
    expect(byId.get(runs.sync)).toMatchObject({ status: 'completed', outcome: 'partially_succeeded', reason: 'inventory_sync_incomplete', source: 'adapter' });
    expect(byId.get(runs.capture)).toMatchObject({ status: 'completed', outcome: 'failed', reason: 'incomplete_snapshot', source: 'adapter' });
    expect(byId.get(runs.compare)).toMatchObject({ status: 'completed', outcome: 'failed', reason: 'incomplete_compare', source: 'adapter' });
    expect(byId.get(runs.compose)).toMatchObject({ status: 'completed', outcome: 'failed', reason: 'incomplete_review', source: 'adapter' });
    expect(byId.get(runs.queued)).toMatchObject({ status: 'completed', outcome: 'failed', reason: 'inventory_sync_no_items', source: 'adapter' });
    expect(await status('baseline_snapshots', artifacts.snapshot)).toBe('unusable');
    expect(await status('baseline_compare_results', artifacts.compare)).toBe('unusable');
    expect(await status('environment_reviews', artifacts.draft)).toBe('gone');
  });

  it('a second apply finds nothing to do and writes nothing', async () => {
    const before = await tableHashes();

    const summary = await sweep();

    expect(summary).toEqual({
      examined: 0,
      reconciled: 0,
      skipped_alive: 0,
      skipped_unverified: 0,
      deferred: 0,
      by_reason: {},
      apply_failed: 0,
      dry_run: false,
      lock: 'acquired',
    });
    expect(await tableHashes()).toEqual(before);
  });

  it('refuses an unknown flag without sweeping', async () => {
    const before = await tableHashes();
    const result = await reconcile(['--dryrun']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/dryrun/);
    expect(await tableHashes()).toEqual(before);
  });
});
