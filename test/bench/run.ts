// Benchmarks: 1 — run throughput: the real app against a naive job table and bare BullMQ, same run;
// 2 — operations hub at scale (hub-bench.ts); 3 — lifecycle reconciler at scale (reconciler-bench.ts);
// 4 — rendered pages (hub, run detail) vs a bare NestJS MVC app with a static model (pages-bench.ts).
//   npm run bench [-- --quick] [-- --runs=N] [-- --rounds=K] [-- --hub-runs=N] [-- --hub-requests=N]
//                 [-- --stale-runs=N] [-- --pages-runs=N] [-- --pages-requests=N]
//                 [-- --only=throughput,hub,reconciler,pages]
// All three contenders stay up; after a warm-up each, they are measured in interleaved rounds so
// a noisy neighbour hurts them alike; figures are medians over the rounds.
// Progress goes to stderr; stdout is the tables followed by ONE JSON line with every figure of every benchmark.
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { findProjectRoot } from '../../src/shared/adapters/config/app-config';
import { buildOrmOptions } from '../../src/shared/adapters/persistence/mikro-orm.config';
import { BenchDatabase, createBenchDatabase } from './bench-database';
import { BatchResult, BenchSettings, Contender, startBareBullmq, startNaive, startOpsdeck } from './contenders';
import { formatTable, median, note, round, sampleRss } from './harness';
import { hubJson, hubTable, runHubBench } from './hub-bench';
import { pagesJson, pagesTable, PAGES_TARGET_RATIO_VS_BARE, runPagesBench } from './pages-bench';
import { reconcilerJson, reconcilerTable, runReconcilerBench } from './reconciler-bench';
import { startScaleFixture } from './scale-fixture';

const TARGET_RATIO_VS_NAIVE = 0.7;
const TARGET_SQL_PER_RUN = 4;
const TARGET_PEAK_RSS_MB = 300;
const MIB = 2 ** 20;
/** Statements about run rows: Opsdeck's operation_runs, or the naive contender's trigger-less copy. */
const isRunSql = (kind: string) => /[ .]operation_runs$/.test(kind);

const BENCHES = ['throughput', 'hub', 'reconciler', 'pages'] as const;
type Bench = (typeof BENCHES)[number];

interface Options {
  quick: boolean;
  runs: number;
  warmup: number;
  rounds: number;
  only: Bench[];
  hubRuns: number;
  hubRequests: number;
  hubConnections: number;
  staleRuns: number;
  emptySweeps: number;
  staleRounds: number;
  pagesRuns: number;
  pagesRequests: number;
  pagesChunks: number;
}

function parseArgs(argv: string[]): Options {
  const int = (name: string, fallback: number) => {
    const arg = argv.find((a) => a.startsWith(`--${name}=`));
    const value = arg ? Number(arg.slice(name.length + 3)) : fallback;
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer (got ${arg})`);
    return value;
  };
  const quick = argv.includes('--quick');
  const runs = int('runs', quick ? 500 : 3000);
  const onlyArg = argv.find((a) => a.startsWith('--only='));
  const only = onlyArg ? (onlyArg.slice(7).split(',').filter(Boolean) as Bench[]) : [...BENCHES];
  const unknown = only.filter((b) => !BENCHES.includes(b));
  if (unknown.length) throw new Error(`--only: unknown benchmark(s) ${unknown.join(', ')} (known: ${BENCHES.join(', ')})`);
  return {
    quick,
    runs,
    warmup: Math.max(200, Math.round(runs / 10)),
    rounds: int('rounds', 3),
    only,
    hubRuns: int('hub-runs', quick ? 100_000 : 1_000_000),
    hubRequests: int('hub-requests', quick ? 100 : 2000),
    hubConnections: 10,
    staleRuns: int('stale-runs', quick ? 1000 : 10_000),
    emptySweeps: quick ? 20 : 100,
    staleRounds: quick ? 1 : 3,
    pagesRuns: int('pages-runs', 5000),
    pagesRequests: int('pages-requests', quick ? 300 : 3000),
    pagesChunks: quick ? 2 : 6,
  };
}

interface Measured extends BatchResult {
  /** CPU time of this Node process (user + system) per unit of work; PostgreSQL and Redis not included. */
  cpuMsPerRun: number;
}

async function measure(contender: Contender, runs: number): Promise<Measured> {
  const cpu = process.cpuUsage();
  const result = await contender.runBatch(runs);
  const used = process.cpuUsage(cpu);
  const cpuMsPerRun = (used.user + used.system) / 1000 / runs;
  note(`  ${contender.name.padEnd(11)} ${runs} in ${(result.ms / 1000).toFixed(3)} s = ${Math.round(runs / (result.ms / 1000))}/s` +
    ` (dispatch ${(result.dispatchMs / 1000).toFixed(3)} s), ${cpuMsPerRun.toFixed(3)} ms node CPU per run`);
  return { ...result, cpuMsPerRun };
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  let json: Record<string, unknown> = {
    date: new Date().toISOString(),
    benchmark: 'all',
    benchmarks: options.only,
    quick: options.quick,
    node: process.version,
  };
  if (options.only.includes('throughput')) json = { ...json, ...(await throughputBench(options)) };
  if (options.only.includes('hub') || options.only.includes('reconciler')) json = { ...json, ...(await scaleBenches(options)) };
  if (options.only.includes('pages')) json = { ...json, ...(await pagesBench(options)) };
  process.stdout.write(`${JSON.stringify(json)}\n`);
}

/** Benchmarks 2 and 3 share one database with the hub data set and one app. */
async function scaleBenches(o: Options): Promise<Record<string, unknown>> {
  const spec = { runs: o.hubRuns, workspaces: 50, environments: 20 };
  const fixture = await startScaleFixture(spec, o.hubConnections);
  try {
    const json: Record<string, unknown> = {
      scale_runs: spec.runs,
      scale_workspaces: spec.workspaces,
      scale_environments: spec.environments,
      scale_active_runs: fixture.data.activeRuns,
      scale_generate_ms: fixture.data.generateMs,
      scale_vacuum_analyze_ms: fixture.data.vacuumAnalyzeMs,
    };
    if (o.only.includes('hub')) {
      const hub = await runHubBench(fixture, { requests: o.hubRequests, connections: o.hubConnections });
      process.stdout.write(
        `Benchmark 2 - operations hub: GET /api/v1/workspaces/:w/operations over ${spec.runs} runs ` +
          `(${spec.workspaces} workspaces x ${spec.environments} environments), ${o.hubRequests} requests per scenario, ` +
          `${o.hubConnections} keep-alive connections; baseline: the same SQL text via a pg pool of ${o.hubConnections}\n\n${hubTable(hub)}\n\n`,
      );
      Object.assign(json, hubJson(hub));
    }
    if (o.only.includes('reconciler')) {
      const rec = await runReconcilerBench(fixture, { emptySweeps: o.emptySweeps, staleRuns: o.staleRuns, staleRounds: o.staleRounds });
      process.stdout.write(
        `Benchmark 3 - lifecycle reconciler over ${spec.runs} runs: ${o.emptySweeps} sweeps with 0 stale; ` +
          `${o.staleRuns} stale runs (no job in Redis), median of ${o.staleRounds} sweep(s)\n\n${reconcilerTable(rec)}\n\n`,
      );
      Object.assign(json, reconcilerJson(rec));
    }
    return json;
  } finally {
    await fixture.close();
  }
}

/** Benchmark 4: its own small database (one workspace) and app, plus the bare MVC contender. */
async function pagesBench(o: Options): Promise<Record<string, unknown>> {
  const environments = 3;
  const pages = await runPagesBench({
    runs: o.pagesRuns,
    environments,
    requests: o.pagesRequests,
    connections: o.hubConnections,
    chunks: o.pagesChunks,
  });
  process.stdout.write(
    `Benchmark 4 - pages: GET /w/:w/operations (hub, first page) and GET /operations/:id (completed run) over ` +
      `${o.pagesRuns} runs (1 workspace x ${environments} environments, ${pages.activeRuns} active of which ${pages.staleRuns} stale), ` +
      `${pages.requests} requests per page and contender in ${pages.chunks} interleaved chunks, ${pages.connections} keep-alive connections; ` +
      `baseline: a bare NestJS MVC app rendering the same templates with the recorded model (target ratio >= ${PAGES_TARGET_RATIO_VS_BARE})` +
      `\n\n${pagesTable(pages)}\n\n`,
  );
  return pagesJson(pages);
}

async function throughputBench(options: Options): Promise<Record<string, unknown>> {
  const { runs, warmup, rounds } = options;
  const poolSize = buildOrmOptions('postgres://x/y', findProjectRoot(__dirname)).pool?.max ?? 10;
  const settings: BenchSettings = {
    queuePrefix: `opsdeck_bench_${randomBytes(4).toString('hex')}`,
    dispatchConcurrency: 20,
    workerConcurrency: 20,
  };
  note(`${runs} runs x ${rounds} rounds (warm-up ${warmup}), dispatch concurrency ${settings.dispatchConcurrency}, ` +
    `worker concurrency ${settings.workerConcurrency}, pg pool ${poolSize}`);

  let db: BenchDatabase | undefined;
  const contenders: Contender[] = [];
  try {
    db = await createBenchDatabase(poolSize);
    note(`database ${db.name}, queue prefix ${settings.queuePrefix}`);
    const rssBeforeAppMb = process.memoryUsage().rss / MIB;
    const rss = sampleRss();
    const benchDb = db;
    for (const start of [() => startOpsdeck(benchDb, settings), () => startNaive(benchDb, settings), () => startBareBullmq(settings)]) {
      contenders.push(await start()); // one at a time, so a failed start still closes the earlier ones
    }
    for (const contender of contenders) await contender.runBatch(warmup);
    const results: Record<string, Measured[]> = Object.fromEntries(contenders.map((c) => [c.name, []]));
    for (let r = 1; r <= rounds; r++) {
      note(`round ${r}/${rounds}`);
      for (const contender of contenders) results[contender.name].push(await measure(contender, runs));
    }
    const peakRssMb = rss.stop();
    return report({ ...options, settings, poolSize, results, peakRssMb, rssBeforeAppMb });
  } finally {
    for (const contender of contenders.reverse()) {
      await contender.close().catch((error) => note(`closing ${contender.name} failed: ${error?.message ?? error}`));
    }
    await db?.drop();
  }
}

interface Figures extends Options {
  settings: BenchSettings;
  poolSize: number;
  results: Record<string, Measured[]>;
  peakRssMb: number;
  rssBeforeAppMb: number;
}

/** Medians over the rounds for one contender. */
function summarize(rounds: Measured[], runs: number) {
  const statements: Record<string, number> = {};
  for (const r of rounds) for (const [kind, n] of Object.entries(r.sql ?? {})) statements[kind] = (statements[kind] ?? 0) + n;
  const total = runs * rounds.length;
  const perRun = Object.fromEntries(
    Object.entries(statements).filter(([kind]) => isRunSql(kind)).map(([kind, n]) => [kind, n / total]),
  );
  return {
    perS: median(rounds.map((r) => runs / (r.ms / 1000))),
    perSByRound: rounds.map((r) => runs / (r.ms / 1000)),
    dispatchPerS: median(rounds.map((r) => runs / (r.dispatchMs / 1000))),
    cpuMsPerRun: median(rounds.map((r) => r.cpuMsPerRun)),
    sqlPerRun: Object.values(perRun).reduce((a, b) => a + b, 0),
    sqlBreakdownPerRun: perRun,
    /** Statements not about runs (worker heartbeats, …) over the whole measurement. */
    sqlBackground: Object.entries(statements).filter(([kind]) => !isRunSql(kind)).reduce((a, [, n]) => a + n, 0),
  };
}

function report(f: Figures): Record<string, unknown> {
  const opsdeck = summarize(f.results.opsdeck, f.runs);
  const naive = summarize(f.results.naive, f.runs);
  const bare = summarize(f.results['bare-bullmq'], f.runs);
  const ratioVsNaive = opsdeck.perS / naive.perS;
  const ratiosByRound = opsdeck.perSByRound.map((v, i) => v / naive.perSByRound[i]);
  const ok = (pass: boolean) => (pass ? 'ok' : 'MISSED');
  const rows: [string, number, number, number, string][] = [
    ['runs/s end to end; naive', opsdeck.perS, naive.perS, 0, `>= ${TARGET_RATIO_VS_NAIVE} ${ok(ratioVsNaive >= TARGET_RATIO_VS_NAIVE)}`],
    ['runs/s end to end; bare BullMQ jobs/s', opsdeck.perS, bare.perS, 0, 'context'],
    ['dispatch calls/s; naive', opsdeck.dispatchPerS, naive.dispatchPerS, 0, '-'],
    ['SQL statements per run; naive', opsdeck.sqlPerRun, naive.sqlPerRun, 2, `<= ${TARGET_SQL_PER_RUN} ${ok(opsdeck.sqlPerRun <= TARGET_SQL_PER_RUN)}`],
    ['node CPU ms per run; naive', opsdeck.cpuMsPerRun, naive.cpuMsPerRun, 3, '-'],
    ['peak RSS MiB (process: app + contenders); before app boot', f.peakRssMb, f.rssBeforeAppMb, 0,
      `<= ${TARGET_PEAK_RSS_MB} ${ok(f.peakRssMb <= TARGET_PEAK_RSS_MB)}`],
  ];
  const table = formatTable(
    ['figure (opsdeck; baseline)', 'opsdeck', 'baseline', 'ratio', 'target'],
    rows.map(([label, value, baseline, digits, target]) => [label, fmt(value, digits), fmt(baseline, digits), fmt(value / baseline, 2), target]),
  );
  process.stdout.write(
    `Benchmark 1 - run throughput: ${f.runs} no-op runs, median of ${f.rounds} interleaved rounds (warm-up ${f.warmup}), ` +
      `dispatch concurrency ${f.settings.dispatchConcurrency}, worker concurrency ${f.settings.workerConcurrency}, ` +
      `pg pool ${f.poolSize}\n\n${table}\n\n`,
  );
  const r = (values: number[], digits = 1) => values.map((v) => round(v, digits));
  return {
    runs: f.runs,
    rounds: f.rounds,
    warmup_runs: f.warmup,
    dispatch_concurrency: f.settings.dispatchConcurrency,
    worker_concurrency: f.settings.workerConcurrency,
    pg_pool_size: f.poolSize,
    opsdeck_runs_per_s: round(opsdeck.perS, 1),
    naive_runs_per_s: round(naive.perS, 1),
    ratio_vs_naive: round(ratioVsNaive, 3),
    target_ratio_vs_naive: TARGET_RATIO_VS_NAIVE,
    meets_ratio_target: ratioVsNaive >= TARGET_RATIO_VS_NAIVE,
    bare_bullmq_jobs_per_s: round(bare.perS, 1),
    ratio_vs_bare_bullmq: round(opsdeck.perS / bare.perS, 3),
    sql_round_trips_per_run: round(opsdeck.sqlPerRun, 3),
    target_sql_round_trips_per_run: TARGET_SQL_PER_RUN,
    meets_sql_target: opsdeck.sqlPerRun <= TARGET_SQL_PER_RUN,
    naive_sql_round_trips_per_run: round(naive.sqlPerRun, 3),
    sql_per_run_by_kind: Object.fromEntries(Object.entries(opsdeck.sqlBreakdownPerRun).map(([k, v]) => [k, round(v, 3)])),
    sql_background_statements: opsdeck.sqlBackground,
    peak_rss_mb: round(f.peakRssMb, 1),
    target_peak_rss_mb: TARGET_PEAK_RSS_MB,
    meets_rss_target: f.peakRssMb <= TARGET_PEAK_RSS_MB,
    naive_job_table: 'naive_bench.operation_runs (same columns, constraints, indexes; no triggers)',
    rss_before_app_mb: round(f.rssBeforeAppMb, 1),
    opsdeck_dispatch_per_s: round(opsdeck.dispatchPerS, 1),
    naive_dispatch_per_s: round(naive.dispatchPerS, 1),
    opsdeck_node_cpu_ms_per_run: round(opsdeck.cpuMsPerRun, 3),
    naive_node_cpu_ms_per_run: round(naive.cpuMsPerRun, 3),
    bare_bullmq_node_cpu_ms_per_job: round(bare.cpuMsPerRun, 3),
    opsdeck_runs_per_s_by_round: r(opsdeck.perSByRound),
    naive_runs_per_s_by_round: r(naive.perSByRound),
    bare_bullmq_jobs_per_s_by_round: r(bare.perSByRound),
    ratio_vs_naive_by_round: r(ratiosByRound, 3),
  };
}

function fmt(value: number, digits: number): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

main().catch((error) => {
  process.stderr.write(`[bench] failed: ${error?.stack ?? error}\n`);
  process.exitCode = 1;
});
