// Benchmark 3 — lifecycle reconciler at scale: LifecycleReconciler.sweep() over the hub data set
// with 0 stale runs (bare baseline: the stale-run SELECT alone) and with K stale runs whose jobs
// do not exist in Redis (bare baseline: one set-based UPDATE of those rows, rolled back).
import { LifecycleReconciler, SweepSummary } from '../../src/modules/reconciliation/core/lifecycle-reconciler';
import { formatTable, median, note, round } from './harness';
import { refreshActiveRuns } from './hub-generator';
import { BENCH_NOOP_TYPE } from './noop-handler';
import { explain, ExplainSummary, percentile, ScaleFixture, summarizePlan } from './scale-fixture';
import { CapturedStatement, captureSql } from './sql-capture';

export const TARGET_EMPTY_SWEEP_MS = 10;
export const TARGET_STALE_SWEEP_MS = 1000;

export interface ReconcilerOptions {
  emptySweeps: number;
  staleRuns: number;
  staleRounds: number;
}

export interface ReconcilerResult {
  emptySweepP50: number;
  emptySweepP99: number;
  emptySelectP50: number;
  emptySelectP99: number;
  emptySummary: SweepSummary;
  staleRuns: number;
  staleSweepMs: number;
  staleSweepMsByRound: number[];
  staleUpdateMs: number;
  staleUpdateMsByRound: number[];
  staleSummary: SweepSummary;
  explainEmpty: ExplainSummary;
  explainStaleBatch: ExplainSummary;
}

const isStaleSelect = (sql: string) => sql.includes('jsonb_to_recordset') && sql.includes('order by r.created_at, r.id');

export async function runReconcilerBench(f: ScaleFixture, o: ReconcilerOptions): Promise<ReconcilerResult> {
  // Sweeps are called directly (no HTTP, no load generator): the app in this process serves.
  const app = await f.inProcessApp();
  const reconciler = app.get<LifecycleReconciler>(LifecycleReconciler);
  await refreshActiveRuns(f.db);

  // --- 0 stale among all runs -----------------------------------------------------------------
  const capture = captureSql(isStaleSelect);
  const warm = await reconciler.sweep();
  const [emptySelect] = capture.stop();
  if (!emptySelect) throw new Error('the sweep issued no stale-run SELECT');
  if (warm.examined !== 0) throw new Error(`expected 0 stale runs, the sweep examined ${warm.examined}`);
  const sweepMs: number[] = [];
  const selectMs: number[] = [];
  let emptySummary = warm;
  for (let i = 0; i < o.emptySweeps; i++) {
    let s = performance.now();
    emptySummary = await reconciler.sweep();
    sweepMs.push(performance.now() - s);
    s = performance.now();
    await f.raw.query(emptySelect);
    selectMs.push(performance.now() - s);
  }
  const explainEmpty = await explain(f.raw, emptySelect);
  sweepMs.sort((a, b) => a - b);
  selectMs.sort((a, b) => a - b);
  note(`  reconciler 0 stale: sweep p50 ${percentile(sweepMs, 50).toFixed(2)} ms | SELECT p50 ${percentile(selectMs, 50).toFixed(2)} ms`);

  // --- K stale runs (policy type, no job in Redis): set-based insert -------------------------------
  const W = f.data.workspaceIds.length;
  await f.db.query(
    `insert into operation_runs (id, workspace_id, environment_id, type, status, outcome, fingerprint, context,
                                 summary_counts, attempts, created_at, started_at, last_heartbeat_at, completed_at, updated_at)
     select gen_random_uuid(), w.a[1 + g % $2::int], null, $3, 'running', 'pending', 'stale-' || g,
            jsonb_build_object('attempts', jsonb_build_array(jsonb_build_object(
              'n', 1, 'started_at', now() - interval '2 hours', 'ended_at', null, 'error_code', null))),
            '{}', 1, now() - interval '2 hours' - make_interval(secs => g::float8 / 100), now() - interval '2 hours',
            now() - interval '1 hour', null, now() - interval '1 hour'
       from generate_series(1, $1::int) g, (select array_agg(id order by slug) as a from workspaces where slug like 'hub-w%') w`,
    [o.staleRuns, W, BENCH_NOOP_TYPE],
  );
  await f.db.query('analyze operation_runs');
  const staleSweeps: number[] = [];
  const staleUpdates: number[] = [];
  let staleSummary: SweepSummary | undefined;
  let explainStaleBatch: ExplainSummary | undefined;
  for (let round = 0; round < o.staleRounds; round++) {
    // Bare baseline first (rolled back, so the rows stay stale for the sweep).
    const client = await f.raw.connect();
    try {
      await client.query('begin');
      const s = performance.now();
      const res = await client.query(
        `update operation_runs set status = 'completed', outcome = 'failed', completed_at = now(), updated_at = now(),
                context = context || jsonb_build_object('reconciliation', jsonb_build_object('version', 1, 'reason', 'stale_running',
                  'source', 'scheduled_reconciler', 'decision', 'failed', 'reconciled_at', now(), 'previous_status', status))
          where status = 'running' and type = $1 and fingerprint like 'stale-%'`,
        [BENCH_NOOP_TYPE],
      );
      staleUpdates.push(performance.now() - s);
      await client.query('rollback');
      if (res.rowCount !== o.staleRuns) throw new Error(`baseline UPDATE touched ${res.rowCount} rows, expected ${o.staleRuns}`);
    } finally {
      client.release();
    }
    const cap = round === 0 ? captureSql(isStaleSelect) : null;
    const s = performance.now();
    staleSummary = await reconciler.sweep();
    staleSweeps.push(performance.now() - s);
    const selects = cap?.stop() ?? [];
    if (selects.length) explainStaleBatch ??= await explainFirstBatch(f, selects[0]);
    if (staleSummary.reconciled !== o.staleRuns) {
      throw new Error(`the sweep reconciled ${staleSummary.reconciled} of ${o.staleRuns} stale runs: ${JSON.stringify(staleSummary)}`);
    }
    note(`  reconciler ${o.staleRuns} stale, round ${round + 1}: sweep ${staleSweeps[round].toFixed(0)} ms | UPDATE ${staleUpdates[round].toFixed(0)} ms`);
    if (round < o.staleRounds - 1) {
      // Stale again, for the next round.
      await f.db.query(
        `update operation_runs set status = 'running', outcome = 'pending', completed_at = null, last_heartbeat_at = now() - interval '1 hour',
                context = jsonb_build_object('attempts', jsonb_build_array(jsonb_build_object(
                  'n', 1, 'started_at', now() - interval '2 hours', 'ended_at', null, 'error_code', null))),
                summary_counts = '{}', attempts = 1
          where fingerprint like 'stale-%' and type = $1`,
        [BENCH_NOOP_TYPE],
      );
      await f.db.query('vacuum (analyze) operation_runs');
    }
  }
  return {
    emptySweepP50: percentile(sweepMs, 50),
    emptySweepP99: percentile(sweepMs, 99),
    emptySelectP50: percentile(selectMs, 50),
    emptySelectP99: percentile(selectMs, 99),
    emptySummary,
    staleRuns: o.staleRuns,
    staleSweepMs: median(staleSweeps),
    staleSweepMsByRound: staleSweeps,
    staleUpdateMs: median(staleUpdates),
    staleUpdateMsByRound: staleUpdates,
    staleSummary: staleSummary!,
    explainEmpty,
    explainStaleBatch: explainStaleBatch!,
  };
}

/** The sweep's first batch SELECT, explained over the rows as they were before the sweep closed them. */
async function explainFirstBatch(f: ScaleFixture, statement: CapturedStatement): Promise<ExplainSummary> {
  const client = await f.raw.connect();
  try {
    // The sweep closed them: reopen them inside a rolled-back transaction and explain there.
    await client.query('begin');
    await client.query(
      `update operation_runs set status = 'running', outcome = 'pending', completed_at = null where fingerprint like 'stale-%' and type = $1`,
      [BENCH_NOOP_TYPE],
    );
    const { rows } = await client.query(`explain (analyze, buffers, format json) ${statement.text}`, statement.values);
    await client.query('rollback');
    return summarizePlan(rows[0]['QUERY PLAN'][0]);
  } finally {
    client.release();
  }
}

export function reconcilerTable(r: ReconcilerResult): string {
  const ok = (v: boolean) => (v ? 'ok' : 'MISSED');
  const rows = [
    ['sweep, 0 stale, p50 ms; stale SELECT', r.emptySweepP50, r.emptySelectP50, `<= ${TARGET_EMPTY_SWEEP_MS} ${ok(r.emptySweepP50 <= TARGET_EMPTY_SWEEP_MS)}`],
    ['sweep, 0 stale, p99 ms; stale SELECT', r.emptySweepP99, r.emptySelectP99, '-'],
    [`sweep, ${r.staleRuns} stale, ms; set-based UPDATE`, r.staleSweepMs, r.staleUpdateMs, `<= ${TARGET_STALE_SWEEP_MS} ${ok(r.staleSweepMs <= TARGET_STALE_SWEEP_MS)}`],
  ] as const;
  return formatTable(
    ['figure (reconciler; bare baseline)', 'reconciler', 'baseline', 'ratio', 'target'],
    rows.map(([label, v, b, t]) => [label, v.toFixed(2), b.toFixed(2), (v / b).toFixed(2), t]),
  );
}

export function reconcilerJson(r: ReconcilerResult): Record<string, unknown> {
  return {
    reconciler_empty_sweep_p50_ms: round(r.emptySweepP50, 3),
    reconciler_empty_sweep_p99_ms: round(r.emptySweepP99, 3),
    reconciler_empty_select_p50_ms: round(r.emptySelectP50, 3),
    reconciler_empty_select_p99_ms: round(r.emptySelectP99, 3),
    reconciler_empty_sweep_ratio_vs_select: round(r.emptySweepP50 / r.emptySelectP50, 3),
    reconciler_target_empty_sweep_ms: TARGET_EMPTY_SWEEP_MS,
    reconciler_meets_empty_target: r.emptySweepP50 <= TARGET_EMPTY_SWEEP_MS,
    reconciler_stale_runs: r.staleRuns,
    reconciler_stale_sweep_ms: round(r.staleSweepMs, 1),
    reconciler_stale_sweep_ms_by_round: r.staleSweepMsByRound.map((v) => round(v, 1)),
    reconciler_stale_update_ms: round(r.staleUpdateMs, 1),
    reconciler_stale_update_ms_by_round: r.staleUpdateMsByRound.map((v) => round(v, 1)),
    reconciler_stale_sweep_ratio_vs_update: round(r.staleSweepMs / r.staleUpdateMs, 3),
    reconciler_target_stale_sweep_ms: TARGET_STALE_SWEEP_MS,
    reconciler_meets_stale_target: r.staleSweepMs <= TARGET_STALE_SWEEP_MS,
    reconciler_stale_summary: r.staleSummary,
    reconciler_explain_empty_sweep: r.explainEmpty,
    reconciler_explain_stale_batch: r.explainStaleBatch,
  };
}
