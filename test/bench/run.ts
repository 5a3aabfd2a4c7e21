// Benchmarks: 1 — run throughput: the real app against a naive job table and bare BullMQ, same run;
// 2 — operations hub at scale (hub-bench.ts); 3 — lifecycle reconciler at scale (reconciler-bench.ts);
// 4 — rendered pages (hub, run detail) vs a bare NestJS MVC app with a static model (pages-bench.ts);
// 5 — bulk cancel: N queued runs cancelled through one bulk run, time and statements per run (bulk-bench.ts).
//   npm run bench [-- --quick] [-- --runs=N] [-- --rounds=K] [-- --hub-runs=N] [-- --hub-requests=N]
//                 [-- --stale-runs=N] [-- --pages-runs=N] [-- --pages-requests=N]
//                 [-- --bulk-runs=N] [-- --only=throughput,hub,reconciler,pages,bulk]
// Throughput (throughput-bench.ts): all three contenders stay up, each in its own child process;
// after a warm-up each, they are measured in interleaved rounds so a noisy neighbour hurts them
// alike; figures are medians over the rounds.
// Progress goes to stderr; stdout is the tables followed by ONE JSON line with every figure of every benchmark.
// Each benchmark's module is loaded only when it runs: the throughput bench's process is then
// the driver alone (its peak RSS is a context figure), not the app's module graph as well.
import 'reflect-metadata';

const BENCHES = ['throughput', 'hub', 'reconciler', 'pages', 'bulk'] as const;
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
  bulkRuns: number;
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
    bulkRuns: int('bulk-runs', quick ? 200 : 1000),
  };
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
  if (options.only.includes('throughput')) {
    const { runThroughputBench } = await import('./throughput-bench');
    json = { ...json, ...(await runThroughputBench(options)) };
  }
  if (options.only.includes('hub') || options.only.includes('reconciler')) json = { ...json, ...(await scaleBenches(options)) };
  if (options.only.includes('pages')) json = { ...json, ...(await pagesBench(options)) };
  if (options.only.includes('bulk')) json = { ...json, ...(await bulkBench(options)) };
  process.stdout.write(`${JSON.stringify(json)}\n`);
}

/** Benchmarks 2 and 3 share one database with the hub data set (the app: in its own process for the hub, in this one for the reconciler). */
async function scaleBenches(o: Options): Promise<Record<string, unknown>> {
  const [{ startScaleFixture }, { hubJson, hubTable, runHubBench }, { reconcilerJson, reconcilerTable, runReconcilerBench }] =
    await Promise.all([import('./scale-fixture'), import('./hub-bench'), import('./reconciler-bench')]);
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

/** Benchmark 5: its own database, N queued runs, and the app (web + worker) in this process. */
async function bulkBench(o: Options): Promise<Record<string, unknown>> {
  const { bulkJson, bulkTable, runBulkBench } = await import('./bulk-bench');
  const result = await runBulkBench({ runs: o.bulkRuns });
  process.stdout.write(
    `Benchmark 5 - bulk cancel: ${o.bulkRuns} queued runs cancelled through one operations.bulk_cancel run ` +
      `(worker in process, each run through CancelRun); bare baseline: one set-based UPDATE of as many rows\n\n${bulkTable(result)}\n\n`,
  );
  return bulkJson(result);
}

/** Benchmark 4: its own small database (one workspace) and app, plus the bare MVC contender. */
async function pagesBench(o: Options): Promise<Record<string, unknown>> {
  const { pagesJson, pagesTable, PAGES_TARGET_RATIO_VS_BARE, runPagesBench } = await import('./pages-bench');
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

main().catch((error) => {
  process.stderr.write(`[bench] failed: ${error?.stack ?? error}\n`);
  process.exitCode = 1;
});
