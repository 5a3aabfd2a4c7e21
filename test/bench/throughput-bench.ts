// Benchmark 1 — run throughput: the real app (worker role) against a naive job table and bare
// BullMQ. Each contender lives in its own child process (throughput-child.ts), so the app's peak
// RSS and CPU are the app's own; this process only drives the interleaved rounds, reads the
// children's RSS and the PostgreSQL / Redis processes' CPU from /proc, and reports.
import { randomBytes } from 'node:crypto';
import { findProjectRoot } from '../../src/shared/adapters/config/app-config';
import { buildOrmOptions } from '../../src/shared/adapters/persistence/mikro-orm.config';
import { BenchDatabase, benchDatabaseRef, createBenchDatabase } from './bench-database';
import { BenchChild, startChildren } from './child-process';
import { BenchSettings } from './contenders';
import { formatTable, median, note, round, sampleRss } from './harness';
import { removeQueueKeys } from './redis-cleanup';
import { PgBouncer, startPgBouncer } from '../support/pgbouncer';
import { RssPeak, sampleProcessRss, serverCpuDuring } from './proc-stats';
// Types only: importing the child's module for real would start serving IPC in this process.
import type { ContenderName, FleetMemberName, ThroughputBatch, ThroughputStart } from './throughput-child';

const TARGET_RATIO_VS_NAIVE = 0.7;
const TARGET_SQL_PER_RUN = 4;
/** The app's peak RSS under this benchmark: the opsdeck child process. */
const TARGET_PEAK_RSS_MB = 300;
const CONTENDERS: ContenderName[] = ['opsdeck', 'opsdeck-pgbouncer', 'opsdeck-fleet', 'naive', 'bare-bullmq'];
/** Started beside opsdeck-fleet (same queue), never measured on their own (issue 18's fleet figure). */
const FLEET_MEMBERS: FleetMemberName[] = ['opsdeck-fleet-2', 'opsdeck-fleet-scheduler'];
/** Statements about run rows: Opsdeck's operation_runs, or the naive contender's trigger-less copy. */
const isRunSql = (kind: string) => /[ .]operation_runs$/.test(kind);

export interface ThroughputOptions {
  runs: number;
  warmup: number;
  rounds: number;
}

interface Measured extends ThroughputBatch {
  nodeCpuMsPerRun: number;
  /** CPU of all PostgreSQL / Redis processes on the machine while the batch ran, per run. */
  pgCpuMsPerRun: number;
  redisCpuMsPerRun: number;
}

async function measure(child: BenchChild, runs: number): Promise<Measured> {
  const { value: batch, pgMs, redisMs } = await serverCpuDuring(() => child.call<ThroughputBatch>('batch', { n: runs }));
  const m = { ...batch, nodeCpuMsPerRun: batch.nodeCpuMs / runs, pgCpuMsPerRun: pgMs / runs, redisCpuMsPerRun: redisMs / runs };
  note(`  ${child.name.padEnd(11)} ${runs} in ${(m.ms / 1000).toFixed(3)} s = ${Math.round(runs / (m.ms / 1000))}/s` +
    ` (dispatch ${(m.dispatchMs / 1000).toFixed(3)} s), CPU ms per run: node ${m.nodeCpuMsPerRun.toFixed(3)},` +
    ` PostgreSQL ${m.pgCpuMsPerRun.toFixed(3)}, Redis ${m.redisCpuMsPerRun.toFixed(3)}`);
  return m;
}

export async function runThroughputBench(options: ThroughputOptions): Promise<Record<string, unknown>> {
  const { runs, warmup, rounds } = options;
  const poolSize = buildOrmOptions('postgres://x/y', findProjectRoot(__dirname)).pool?.max ?? 10;
  const settings: BenchSettings = {
    queuePrefix: `opsdeck_bench_${randomBytes(4).toString('hex')}`,
    dispatchConcurrency: 20,
    workerConcurrency: 20,
  };
  note(`${runs} runs x ${rounds} rounds (warm-up ${warmup}), dispatch concurrency ${settings.dispatchConcurrency}, ` +
    `worker concurrency ${settings.workerConcurrency}, pg pool ${poolSize}, one child process per contender`);

  const benchRss = sampleRss();
  let db: BenchDatabase | undefined;
  let children: BenchChild[] = [];
  let bouncer: PgBouncer | undefined;
  try {
    db = await createBenchDatabase(poolSize);
    // The app once more, connected only through a real PgBouncer in transaction mode (issue 18).
    bouncer = await startPgBouncer('transaction');
    note(`database ${db.name}, queue prefix ${settings.queuePrefix}`);
    const ref = benchDatabaseRef(db);
    const started = await startChildren<{ bootMs: number; rssMb: number }>(
      [...CONTENDERS, ...FLEET_MEMBERS].map((contender) => ({
        name: contender,
        entry: 'throughput-child.ts',
        args: {
          contender,
          db: ref,
          poolSize,
          settings,
          ...(contender === 'opsdeck-pgbouncer' ? { poolerUrl: bouncer!.url(ref.name) } : {}),
        } satisfies ThroughputStart,
      })),
    );
    children = started.children;
    const measured = children.filter((c) => (CONTENDERS as string[]).includes(c.name));
    const boot = Object.fromEntries(children.map((c, i) => [c.name, started.started[i]]));
    note(`children up: ${children.map((c) => `${c.name} pid ${c.pid} (${(boot[c.name].bootMs / 1000).toFixed(1)} s, ${boot[c.name].rssMb.toFixed(0)} MiB)`).join(', ')}`);
    const rss = sampleProcessRss(Object.fromEntries(children.map((c) => [c.name, c.pid])));
    let peaks: Record<string, RssPeak>;
    const results: Record<string, Measured[]> = Object.fromEntries(measured.map((c) => [c.name, []]));
    try {
      for (const child of measured) await child.call('batch', { n: warmup });
      for (let r = 1; r <= rounds; r++) {
        note(`round ${r}/${rounds}`);
        for (const child of measured) results[child.name].push(await measure(child, runs));
      }
    } finally {
      peaks = rss.stop();
    }
    return report({ ...options, settings, poolSize, results, peaks, bootRssMb: boot.opsdeck.rssMb, benchPeakRssMb: benchRss.stop() });
  } finally {
    benchRss.stop();
    await Promise.all(children.map((c) => c.close()));
    for (const prefix of [settings.queuePrefix, `${settings.queuePrefix}_pgbouncer`, `${settings.queuePrefix}_fleet`]) {
      const left = await removeQueueKeys(prefix).catch((error) => note(`removing queue keys failed: ${error.message}`));
      if (left) note(`removed ${left} Redis keys a child left under ${prefix}`);
    }
    await db?.drop();
    await bouncer?.stop();
  }
}

interface Figures extends ThroughputOptions {
  settings: BenchSettings;
  poolSize: number;
  results: Record<string, Measured[]>;
  peaks: Record<string, RssPeak>;
  bootRssMb: number;
  benchPeakRssMb: number;
}

/** Medians over the rounds for one contender. */
function summarize(rounds: Measured[], runs: number) {
  const statements: Record<string, number> = {};
  for (const r of rounds) for (const [kind, n] of Object.entries(r.sql ?? {})) statements[kind] = (statements[kind] ?? 0) + n;
  const total = runs * rounds.length;
  const perRun = Object.fromEntries(
    Object.entries(statements).filter(([kind]) => isRunSql(kind)).map(([kind, n]) => [kind, n / total]),
  );
  const background = Object.fromEntries(Object.entries(statements).filter(([kind]) => !isRunSql(kind)));
  return {
    perS: median(rounds.map((r) => runs / (r.ms / 1000))),
    perSByRound: rounds.map((r) => runs / (r.ms / 1000)),
    dispatchPerS: median(rounds.map((r) => runs / (r.dispatchMs / 1000))),
    nodeCpuMsPerRun: median(rounds.map((r) => r.nodeCpuMsPerRun)),
    pgCpuMsPerRun: median(rounds.map((r) => r.pgCpuMsPerRun)),
    redisCpuMsPerRun: median(rounds.map((r) => r.redisCpuMsPerRun)),
    sqlPerRun: Object.values(perRun).reduce((a, b) => a + b, 0),
    sqlBreakdownPerRun: perRun,
    /** Statements not about runs (worker heartbeats, …) over the whole measurement. */
    sqlBackground: Object.values(background).reduce((a, b) => a + b, 0),
    sqlBackgroundByKind: background,
  };
}

function report(f: Figures): Record<string, unknown> {
  const opsdeck = summarize(f.results.opsdeck, f.runs);
  const naive = summarize(f.results.naive, f.runs);
  const bare = summarize(f.results['bare-bullmq'], f.runs);
  const pooled = summarize(f.results['opsdeck-pgbouncer'], f.runs);
  const fleet = summarize(f.results['opsdeck-fleet'], f.runs);
  const appRss = f.peaks.opsdeck;
  const ratioVsNaive = opsdeck.perS / naive.perS;
  const ratiosByRound = opsdeck.perSByRound.map((v, i) => v / naive.perSByRound[i]);
  const ok = (pass: boolean) => (pass ? 'ok' : 'MISSED');
  const rows: [string, number, number | null, number, string][] = [
    ['runs/s end to end; naive', opsdeck.perS, naive.perS, 0, `>= ${TARGET_RATIO_VS_NAIVE} ${ok(ratioVsNaive >= TARGET_RATIO_VS_NAIVE)}`],
    ['runs/s end to end; bare BullMQ jobs/s', opsdeck.perS, bare.perS, 0, 'context'],
    ['runs/s through PgBouncer (transaction mode); direct', pooled.perS, opsdeck.perS, 0, 'context'],
    ['runs/s fleet (2 web+worker, 1 scheduler); one process', fleet.perS, opsdeck.perS, 0, 'context'],
    ['SQL statements per run through PgBouncer; direct', pooled.sqlPerRun, opsdeck.sqlPerRun, 2, '-'],
    ['PostgreSQL CPU ms per run through PgBouncer; direct', pooled.pgCpuMsPerRun, opsdeck.pgCpuMsPerRun, 3, '-'],
    ['dispatch calls/s; naive', opsdeck.dispatchPerS, naive.dispatchPerS, 0, '-'],
    ['SQL statements per run (pg driver); naive', opsdeck.sqlPerRun, naive.sqlPerRun, 2, `<= ${TARGET_SQL_PER_RUN} ${ok(opsdeck.sqlPerRun <= TARGET_SQL_PER_RUN)}`],
    ['node CPU ms per run (contender process); naive', opsdeck.nodeCpuMsPerRun, naive.nodeCpuMsPerRun, 3, '-'],
    ['PostgreSQL CPU ms per run; naive', opsdeck.pgCpuMsPerRun, naive.pgCpuMsPerRun, 3, '-'],
    ['Redis CPU ms per run; naive', opsdeck.redisCpuMsPerRun, naive.redisCpuMsPerRun, 3, '-'],
    ['peak RSS MiB (app process); naive process', appRss.peakMb, f.peaks.naive.peakMb, 0, `<= ${TARGET_PEAK_RSS_MB} ${ok(appRss.peakMb <= TARGET_PEAK_RSS_MB)}`],
    ['peak RSS MiB: bench process (driver only); -', f.benchPeakRssMb, null, 0, 'context'],
  ];
  const table = formatTable(
    ['figure (opsdeck; baseline)', 'opsdeck', 'baseline', 'ratio', 'target'],
    rows.map(([label, value, baseline, digits, target]) => [
      label,
      fmt(value, digits),
      baseline === null ? '-' : fmt(baseline, digits),
      baseline === null ? '-' : fmt(value / baseline, 2),
      target,
    ]),
  );
  process.stdout.write(
    `Benchmark 1 - run throughput: ${f.runs} no-op runs, median of ${f.rounds} interleaved rounds (warm-up ${f.warmup}), ` +
      `dispatch concurrency ${f.settings.dispatchConcurrency}, worker concurrency ${f.settings.workerConcurrency}, ` +
      `pg pool ${f.poolSize}; each contender in its own process; PostgreSQL / Redis CPU: all their processes on the machine` +
      `\n\n${table}\n\n`,
  );
  const r = (values: number[], digits = 1) => values.map((v) => round(v, digits));
  const byKind = (kinds: Record<string, number>, digits: number) =>
    Object.fromEntries(Object.entries(kinds).map(([k, v]) => [k, round(v, digits)]));
  return {
    runs: f.runs,
    rounds: f.rounds,
    warmup_runs: f.warmup,
    dispatch_concurrency: f.settings.dispatchConcurrency,
    worker_concurrency: f.settings.workerConcurrency,
    pg_pool_size: f.poolSize,
    contender_processes: 'one child process per contender (throughput-child.ts)',
    opsdeck_runs_per_s: round(opsdeck.perS, 1),
    naive_runs_per_s: round(naive.perS, 1),
    ratio_vs_naive: round(ratioVsNaive, 3),
    target_ratio_vs_naive: TARGET_RATIO_VS_NAIVE,
    meets_ratio_target: ratioVsNaive >= TARGET_RATIO_VS_NAIVE,
    bare_bullmq_jobs_per_s: round(bare.perS, 1),
    pgbouncer_transaction_runs_per_s: round(pooled.perS, 1),
    pgbouncer_ratio_vs_direct: round(pooled.perS / opsdeck.perS, 3),
    pgbouncer_sql_round_trips_per_run: round(pooled.sqlPerRun, 3),
    fleet_runs_per_s: round(fleet.perS, 1),
    fleet_ratio_vs_one_process: round(fleet.perS / opsdeck.perS, 3),
    fleet_processes: 'opsdeck-fleet (dispatches, web+worker), opsdeck-fleet-2 (web+worker), opsdeck-fleet-scheduler (scheduler); one queue',
    ratio_vs_bare_bullmq: round(opsdeck.perS / bare.perS, 3),
    sql_counted_at: 'pg Client.prototype.query in the contender process',
    sql_round_trips_per_run: round(opsdeck.sqlPerRun, 3),
    target_sql_round_trips_per_run: TARGET_SQL_PER_RUN,
    meets_sql_target: opsdeck.sqlPerRun <= TARGET_SQL_PER_RUN,
    naive_sql_round_trips_per_run: round(naive.sqlPerRun, 3),
    sql_per_run_by_kind: byKind(opsdeck.sqlBreakdownPerRun, 3),
    naive_sql_per_run_by_kind: byKind(naive.sqlBreakdownPerRun, 3),
    sql_background_statements: opsdeck.sqlBackground,
    sql_background_by_kind: opsdeck.sqlBackgroundByKind,
    peak_rss_mb: round(appRss.peakMb, 1),
    target_peak_rss_mb: TARGET_PEAK_RSS_MB,
    meets_rss_target: appRss.peakMb <= TARGET_PEAK_RSS_MB,
    peak_rss_subject: 'opsdeck child process: max(VmRSS sampled every 100 ms, VmHWM at the end)',
    opsdeck_rss_sampled_peak_mb: round(appRss.sampledMb, 1),
    opsdeck_rss_hwm_mb: round(appRss.hwmMb, 1),
    opsdeck_rss_after_boot_mb: round(f.bootRssMb, 1),
    naive_peak_rss_mb: round(f.peaks.naive.peakMb, 1),
    bare_bullmq_peak_rss_mb: round(f.peaks['bare-bullmq'].peakMb, 1),
    bench_process_peak_rss_mb: round(f.benchPeakRssMb, 1),
    naive_job_table: 'naive_bench.operation_runs (same columns, constraints, indexes; no triggers)',
    opsdeck_dispatch_per_s: round(opsdeck.dispatchPerS, 1),
    naive_dispatch_per_s: round(naive.dispatchPerS, 1),
    opsdeck_node_cpu_ms_per_run: round(opsdeck.nodeCpuMsPerRun, 3),
    naive_node_cpu_ms_per_run: round(naive.nodeCpuMsPerRun, 3),
    bare_bullmq_node_cpu_ms_per_job: round(bare.nodeCpuMsPerRun, 3),
    opsdeck_pg_cpu_ms_per_run: round(opsdeck.pgCpuMsPerRun, 3),
    naive_pg_cpu_ms_per_run: round(naive.pgCpuMsPerRun, 3),
    opsdeck_redis_cpu_ms_per_run: round(opsdeck.redisCpuMsPerRun, 3),
    naive_redis_cpu_ms_per_run: round(naive.redisCpuMsPerRun, 3),
    bare_bullmq_redis_cpu_ms_per_job: round(bare.redisCpuMsPerRun, 3),
    opsdeck_runs_per_s_by_round: r(opsdeck.perSByRound),
    naive_runs_per_s_by_round: r(naive.perSByRound),
    bare_bullmq_jobs_per_s_by_round: r(bare.perSByRound),
    ratio_vs_naive_by_round: r(ratiosByRound, 3),
  };
}

function fmt(value: number, digits: number): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
