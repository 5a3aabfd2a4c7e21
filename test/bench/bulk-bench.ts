// Benchmark 5 — bulk cancel: N queued runs cancelled through ONE bulk run (operations.bulk_cancel),
// started as an owner would (StartBulkAction) and worked by the real worker in this process, which
// acts on each run through CancelRun (scope check, compare-and-set, job removal, audit) and records
// its children in batches. Reported: wall time from the start to the bulk run's completion, runs
// per second, and SQL statements per cancelled run counted at the pg driver. Beside it, the bare
// baseline: the same N rows closed by one set-based UPDATE (no checks, no audit, no queue), which
// no honest per-run action can match; the ratio says what acting run by run costs.
import { randomBytes } from 'node:crypto';
import { AccessOfUser } from '../../src/modules/rbac/application/access-of-user.query';
import { StartBulkAction } from '../../src/modules/bulk-runs/application/start-bulk-action.use-case';
import { createBenchDatabase } from './bench-database';
import { formatTable, note, round } from './harness';
import { removeQueueKeys } from './redis-cleanup';
import { installDriverSqlCounter } from './sql-counter';
import { startTestApp } from '../support/test-app';

export interface BulkOptions {
  runs: number;
}

export interface BulkResult {
  runs: number;
  bulkMs: number;
  runsPerS: number;
  statementsPerRun: number;
  statementsByKind: Record<string, number>;
  bareUpdateMs: number;
  outcome: string;
  cancelled: number;
}

const seedQueued = (n: number, tag: string) =>
  `insert into operation_runs (id, workspace_id, environment_id, type, status, outcome, fingerprint, context, summary_counts, attempts, created_at, updated_at)
   select gen_random_uuid(), $1, $2, 'inventory.sync', 'queued', 'pending', format('${tag}-%s', g), '{"inputs":{}}'::jsonb, '{}'::jsonb, 0,
          now() - make_interval(secs => g), now()
     from generate_series(1, ${n}) g`;

export async function runBulkBench(o: BulkOptions): Promise<BulkResult> {
  const db = await createBenchDatabase(10);
  const queuePrefix = `opsdeck_bench_${randomBytes(4).toString('hex')}`;
  try {
    const [owner] = await db.query<{ id: string }>(
      `insert into users (email, display_name, password_hash) values ('bulk-owner@bench.test', 'Bulk owner', 'x') returning id`,
    );
    await db.query(`insert into memberships (user_id, workspace_id, role, all_environments) values ($1, $2, 'owner', true)`, [
      owner.id,
      db.workspaceId,
    ]);

    // Bare baseline first, on its own rows, then removed: one statement closes them all.
    await db.query(seedQueued(o.runs, 'bare'), [db.workspaceId, db.environmentId]);
    let s = performance.now();
    await db.query(`update operation_runs set status = 'completed', outcome = 'cancelled', completed_at = now(), updated_at = now() where status = 'queued'`);
    const bareUpdateMs = performance.now() - s;
    await db.query(`delete from operation_runs`);

    await db.query(seedQueued(o.runs, 'bulk'), [db.workspaceId, db.environmentId]);
    await db.query('vacuum analyze operation_runs');
    const app = await startTestApp({ roles: ['web', 'worker'], database: db, queuePrefix });
    try {
      const counter = installDriverSqlCounter((client) => client === db.monitor);
      const caller = (await app.get<AccessOfUser>(AccessOfUser).execute(owner.id))!;
      counter.start();
      s = performance.now();
      const { run } = await app.get<StartBulkAction>(StartBulkAction).execute(caller, 'bench', { action: 'cancel', filter: { tab: 'active' } });
      let done: { status: string; outcome: string } | undefined;
      while (!done || done.status !== 'completed') {
        await new Promise((r) => setTimeout(r, 20));
        [done] = await db.query<{ status: string; outcome: string }>(`select status, outcome from operation_runs where id = $1`, [run.id]);
      }
      const bulkMs = performance.now() - s;
      const byKind = counter.stop();
      const [{ n }] = await db.query<{ n: string }>(`select count(*) as n from operation_runs where outcome = 'cancelled' and id <> $1`, [run.id]);
      const statements = Object.values(byKind).reduce((a, b) => a + b, 0);
      return {
        runs: o.runs,
        bulkMs,
        runsPerS: o.runs / (bulkMs / 1000),
        statementsPerRun: statements / o.runs,
        statementsByKind: byKind,
        bareUpdateMs,
        outcome: done.outcome,
        cancelled: Number(n),
      };
    } finally {
      await app.close({ keepDatabase: true });
    }
  } finally {
    await removeQueueKeys(queuePrefix).catch((e) => note(`removing queue keys failed: ${e?.message ?? e}`));
    await db.drop();
  }
}

export function bulkTable(r: BulkResult): string {
  const top = Object.entries(r.statementsByKind)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([kind, n]) => `${kind} ${round(n / r.runs, 2)}`)
    .join('; ');
  return formatTable(
    ['figure', 'value'],
    [
      ['runs cancelled by one bulk run', `${r.cancelled} of ${r.runs} (bulk run ${r.outcome})`],
      ['bulk run wall time', `${round(r.bulkMs / 1000, 2)} s (${round(r.runsPerS, 0)} runs/s)`],
      ['bare: one set-based UPDATE of the same count', `${round(r.bareUpdateMs, 1)} ms`],
      ['bulk ÷ bare time', `${round(r.bulkMs / r.bareUpdateMs, 0)}×`],
      ['SQL statements per cancelled run', `${round(r.statementsPerRun, 2)}`],
    ],
  ) + `\nper run by kind: ${top}`;
}

export function bulkJson(r: BulkResult): Record<string, unknown> {
  return {
    bulk_cancel_runs: r.runs,
    bulk_cancel_cancelled: r.cancelled,
    bulk_cancel_outcome: r.outcome,
    bulk_cancel_ms: round(r.bulkMs, 0),
    bulk_cancel_runs_per_s: round(r.runsPerS, 1),
    bulk_cancel_statements_per_run: round(r.statementsPerRun, 2),
    bulk_cancel_bare_update_ms: round(r.bareUpdateMs, 1),
  };
}
