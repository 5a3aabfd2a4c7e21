import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { startTestApp, TestApp } from '../support/test-app';
import { PgBouncer, startPgBouncer } from '../support/pgbouncer';
import { AppServer, startAppServer } from './app-server';
import { BenchDatabase, createBenchDatabase } from './bench-database';
import { generateHubData, HubData, HubDataSpec } from './hub-generator';
import { note } from './harness';
import { BENCH_OPERATION_TYPES, BenchHandlersModule } from './noop-handler';
import { removeQueueKeys } from './redis-cleanup';
import { CapturedStatement } from './sql-capture';

/**
 * One bench database with the hub data set, a bare pg pool, and the app (web role) two ways,
 * each started on first use and closed with the fixture: listening on a loopback port in its own
 * process for HTTP load (so the load generator here has its own event loop), or in this process.
 */
export interface ScaleFixture {
  db: BenchDatabase;
  data: HubData;
  /** The app under HTTP load, in its own process. */
  appServer(): Promise<AppServer>;
  /**
   * The same app, in its own process, connected only through a real PgBouncer in transaction mode:
   * Debian 12's 1.18 (unnamed statements), or with `named` a ≥ 1.21 build keeping them named.
   */
  pooledAppServer(named?: boolean): Promise<AppServer>;
  /** Bare baseline pool: as many clients as the load has connections. */
  raw: Pool;
  /** The app in this process, for benchmarks that call its services directly with no load generator beside it (the reconciler's sweeps). */
  inProcessApp(): Promise<TestApp>;
  close(): Promise<void>;
}

export async function startScaleFixture(spec: HubDataSpec, connections: number): Promise<ScaleFixture> {
  const db = await createBenchDatabase(connections);
  const queuePrefix = `opsdeck_bench_${randomBytes(4).toString('hex')}`;
  let server: Promise<AppServer> | undefined;
  const pooled = new Map<boolean, Promise<{ server: AppServer; bouncer: PgBouncer }>>();
  let local: Promise<TestApp> | undefined;
  const close = async () => {
    await (await server?.catch(() => undefined))?.close();
    for (const started of pooled.values()) {
      const behind = await started.catch(() => undefined);
      await behind?.server.close();
      await behind?.bouncer.stop();
    }
    const app = await local?.catch(() => undefined);
    await app?.close({ keepDatabase: false }).catch((e) => note(`closing the in-process app failed: ${e?.message ?? e}`));
    await removeQueueKeys(queuePrefix).catch((e) => note(`removing queue keys failed: ${e?.message ?? e}`));
    await db.drop();
  };
  try {
    note(`scale database ${db.name}: generating ${spec.runs} runs (${spec.workspaces} workspaces x ${spec.environments} environments)`);
    const data = await generateHubData(db, spec);
    note(`  generated in ${(data.generateMs / 1000).toFixed(1)} s, vacuum analyze ${(data.vacuumAnalyzeMs / 1000).toFixed(1)} s, ${data.activeRuns} active`);
    return {
      db,
      data,
      raw: db.pool,
      appServer: () => (server ??= startAppServer(db, queuePrefix)),
      pooledAppServer: async (named = false) => {
        if (!pooled.has(named)) {
          pooled.set(
            named,
            (async () => {
              const bouncer = await startPgBouncer('transaction', { preparedStatements: named });
              return { bouncer, server: await startAppServer(db, queuePrefix, { url: bouncer.url(db.name), namedStatements: named }) };
            })(),
          );
        }
        return (await pooled.get(named)!).server;
      },
      inProcessApp: () =>
        (local ??= startTestApp({
          roles: ['web'],
          database: db,
          queuePrefix,
          extraTypes: BENCH_OPERATION_TYPES,
          imports: [BenchHandlersModule],
        })),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

export interface ExplainSummary {
  execution_ms: number;
  planning_ms: number;
  indexes: string[];
  seq_scans: string[];
  shared_hit_blocks: number;
  shared_read_blocks: number;
  /** The three nodes with the most exclusive (self) time: where the time goes. */
  top_nodes: { node: string; self_ms: number; rows: number }[];
}

/** EXPLAIN (ANALYZE, BUFFERS) of one statement, summarized. Runs inside a rolled-back transaction. */
export async function explain(pool: Pool, statement: CapturedStatement): Promise<ExplainSummary> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const { rows } = await client.query(`explain (analyze, buffers, format json) ${statement.text}`, statement.values);
    await client.query('rollback');
    return summarizePlan(rows[0]['QUERY PLAN'][0]);
  } finally {
    client.release();
  }
}

/** Index names, seq scans, buffers, execution time and the costliest nodes of one EXPLAIN (FORMAT JSON) result. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function summarizePlan(root: Record<string, any>): ExplainSummary {
  const indexes = new Set<string>();
  const seq = new Set<string>();
  const nodes: { node: string; self_ms: number; rows: number }[] = [];
  const walk = (n: Record<string, any>) => {
    if (n['Index Name']) indexes.add(n['Index Name']);
    if (n['Node Type'] === 'Seq Scan') seq.add(n['Relation Name']);
    const loops = n['Actual Loops'] ?? 1;
    const total = (n['Actual Total Time'] ?? 0) * loops;
    const children: Record<string, any>[] = n.Plans ?? [];
    const childTotal = children.reduce((a, c) => a + (c['Actual Total Time'] ?? 0) * (c['Actual Loops'] ?? 1), 0);
    const label = [n['Node Type'], n['Index Name'] ?? n['Relation Name'] ?? n['CTE Name'] ?? ''].filter(Boolean).join(' ');
    nodes.push({ node: label, self_ms: Math.max(0, total - childTotal), rows: (n['Actual Rows'] ?? 0) * loops });
    children.forEach(walk);
  };
  walk(root.Plan);
  const r2 = (v: number) => Math.round(v * 100) / 100;
  return {
    execution_ms: r2(root['Execution Time']),
    planning_ms: r2(root['Planning Time']),
    indexes: [...indexes],
    seq_scans: [...seq],
    shared_hit_blocks: root.Plan['Shared Hit Blocks'] ?? 0,
    shared_read_blocks: root.Plan['Shared Read Blocks'] ?? 0,
    top_nodes: nodes
      .sort((a, b) => b.self_ms - a.self_ms)
      .slice(0, 3)
      .map((n) => ({ ...n, self_ms: r2(n.self_ms) })),
  };
}

export function percentile(sortedMs: number[], p: number): number {
  if (!sortedMs.length) return NaN;
  return sortedMs[Math.min(sortedMs.length - 1, Math.max(0, Math.ceil((p / 100) * sortedMs.length) - 1))];
}
