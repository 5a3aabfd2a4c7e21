import { EntityManager } from '@mikro-orm/postgresql';
import { randomBytes } from 'node:crypto';
import { AddressInfo } from 'node:net';
import { Pool } from 'pg';
import { startTestApp, TestApp } from '../support/test-app';
import { BenchDatabase, createBenchDatabase } from './bench-database';
import { generateHubData, HubData, HubDataSpec } from './hub-generator';
import { note } from './harness';
import { BENCH_OPERATION_TYPES, BenchHandlersModule } from './noop-handler';

/** One bench database with the hub data set, the app (web role) listening on a loopback port, and a bare pg pool. */
export interface ScaleFixture {
  db: BenchDatabase;
  data: HubData;
  app: TestApp;
  baseUrl: { host: string; port: number };
  /** Bare baseline pool: as many clients as the load has connections. */
  raw: Pool;
  close(): Promise<void>;
}

export async function startScaleFixture(spec: HubDataSpec, connections: number): Promise<ScaleFixture> {
  const db = await createBenchDatabase(connections);
  let app: TestApp | undefined;
  try {
    note(`scale database ${db.name}: generating ${spec.runs} runs (${spec.workspaces} workspaces x ${spec.environments} environments)`);
    const data = await generateHubData(db, spec);
    note(`  generated in ${(data.generateMs / 1000).toFixed(1)} s, vacuum analyze ${(data.vacuumAnalyzeMs / 1000).toFixed(1)} s, ${data.activeRuns} active`);
    app = await startTestApp({
      roles: ['web'],
      database: db,
      queuePrefix: `opsdeck_bench_${randomBytes(4).toString('hex')}`,
      extraTypes: BENCH_OPERATION_TYPES,
      imports: [BenchHandlersModule],
    });
    await app.app.listen(0, '127.0.0.1');
    const address = app.app.getHttpServer().address() as AddressInfo;
    const started = app;
    return {
      db,
      data,
      app,
      baseUrl: { host: '127.0.0.1', port: address.port },
      raw: db.pool,
      close: async () => {
        await started.close({ keepDatabase: false }).catch((e) => note(`closing the app failed: ${e?.message ?? e}`));
        await db.drop();
      },
    };
  } catch (error) {
    await app?.close().catch(() => undefined);
    await db.drop();
    throw error;
  }
}

/**
 * Records the exact SQL text MikroORM sends (params inlined by the platform, as execute() does)
 * for statements matching `accept`, until `stop()`.
 */
export function captureSql(app: TestApp, accept: (sql: string) => boolean): { stop(): string[] } {
  const connection = app.get<EntityManager>(EntityManager).getConnection();
  const platform = connection.getPlatform();
  const record = connection as unknown as Record<string, unknown>;
  const original = record.execute as (...args: unknown[]) => unknown;
  const own = Object.prototype.hasOwnProperty.call(connection, 'execute');
  const captured: string[] = [];
  record.execute = function (this: unknown, ...args: unknown[]) {
    if (typeof args[0] === 'string' && accept(args[0])) captured.push(platform.formatQuery(args[0], (args[1] as unknown[]) ?? []));
    return original.apply(this, args);
  };
  return {
    stop: () => {
      if (own) record.execute = original;
      else delete record.execute;
      return captured;
    },
  };
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
export async function explain(pool: Pool, sql: string): Promise<ExplainSummary> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const { rows } = await client.query(`explain (analyze, buffers, format json) ${sql}`);
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
