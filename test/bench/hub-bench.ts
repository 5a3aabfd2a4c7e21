// Benchmark 2 — operations hub at scale: GET /api/v1/workspaces/:w/operations (items + tab counts)
// through the real app under N keep-alive connections, against the very SQL text it sends, replayed
// through a bare pg pool of N clients. Figures: p50/p99 per scenario and their ratios. The app runs
// in its own process (scale-fixture.ts); this one is the load generator and the pg baseline.
import * as http from 'node:http';
import { encodeRunCursor } from '../../src/modules/operations/core/run-cursor';
import { formatTable, note, round, runBounded } from './harness';
import { explain, ExplainSummary, percentile, ScaleFixture } from './scale-fixture';

export const HUB_TARGET_P50_MS = 5;
export const HUB_TARGET_P99_MS = 20;
const PAGE_SIZE = 50;

interface Scenario {
  name: string;
  token: 'owner' | 'limited';
  /** Path and query for request i (workspaces rotate, so no single page stays hot). */
  path(i: number): string;
}

export interface HubOptions {
  requests: number;
  connections: number;
}

interface Latencies {
  p50: number;
  p99: number;
  mean: number;
  perS: number;
}

export interface HubResult {
  scenarios: Record<string, { app: Latencies; raw: Latencies; p50Ratio: number; p99Ratio: number; meets: boolean }>;
  /**
   * First page through a real PgBouncer (transaction mode), interleaved with the direct app:
   * 1.18 with unnamed statements (`pooled`), 1.24.1 keeping them named (`pooledNamed`).
   */
  pgbouncer: { direct: Latencies; pooled: Latencies; pooledNamed: Latencies };
  explainFirstPage: ExplainSummary;
  requests: number;
  connections: number;
}

export async function runHubBench(f: ScaleFixture, o: HubOptions): Promise<HubResult> {
  const { data } = f;
  const server = await f.appServer();
  const W = data.workspaceSlugs.length;
  const ws = (i: number) => data.workspaceSlugs[i % W];
  // Page 40 by cursor: the keyset position after 39 full pages, as next_cursor would carry it.
  const cursors: (string | null)[] = [];
  for (const id of data.workspaceIds) {
    cursors.push(
      await (async () => {
      const [row] = await f.db.query<{ at: string; id: string }>(
        `select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at, id from operation_runs
          where workspace_id = $1 order by created_at desc, id desc offset $2 limit 1`,
        [id, 39 * PAGE_SIZE - 1],
      );
      return row ? encodeRunCursor({ createdAt: row.at, id: row.id }) : null;
      })(),
    );
  }
  if (cursors.some((c) => !c)) throw new Error('a hub workspace has fewer than 39 pages of runs: raise --hub-runs');
  const envs = data.environmentSlugs;
  const scenarios: Scenario[] = [
    { name: 'first_page', token: 'owner', path: (i) => `/api/v1/workspaces/${ws(i)}/operations` },
    {
      name: 'filtered_page',
      token: 'owner',
      path: (i) => `/api/v1/workspaces/${ws(i)}/operations?environment=${envs[(i * 7) % envs.length]}&type=inventory.sync`,
    },
    { name: 'page_40', token: 'owner', path: (i) => `/api/v1/workspaces/${ws(i)}/operations?cursor=${cursors[i % W]}` },
    {
      // Tab counts under a limited membership (5 of 20 environments): the entitlement scope path.
      name: 'tab_counts_scoped',
      token: 'limited',
      path: (i) => `/api/v1/workspaces/${ws(i)}/operations?tab=active_stale_attention&limit=1`,
    },
  ];
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.connections });
  const tokens = { owner: data.ownerToken, limited: data.limitedToken };
  const get = (scenario: Scenario, i: number, port = server.port) =>
    new Promise<void>((resolve, reject) => {
      const req = http.get(
        { host: '127.0.0.1', port, path: scenario.path(i), agent, headers: { Authorization: `Bearer ${tokens[scenario.token]}` } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            if (res.statusCode !== 200) reject(new Error(`${scenario.name}: HTTP ${res.statusCode} ${Buffer.concat(chunks).toString().slice(0, 300)}`));
            else resolve();
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
    });

  const result: HubResult['scenarios'] = {};
  let explainFirstPage: ExplainSummary | undefined;
  let pgbouncer: HubResult['pgbouncer'] | undefined;
  try {
    for (const scenario of scenarios) {
      // Warm-up: one request per workspace, capturing the list statement the app sends for each.
      const capture = await server.captureSql(['jsonb_to_recordset', 'counts as']);
      for (let i = 0; i < W; i++) await get(scenario, i);
      const sqlByWorkspace = await capture.stop();
      if (sqlByWorkspace.length !== W) throw new Error(`${scenario.name}: captured ${sqlByWorkspace.length} list statements for ${W} requests`);
      if (scenario.name === 'first_page') explainFirstPage = await explain(f.raw, sqlByWorkspace[0]);
      await runBounded(W, o.connections, (i) => f.raw.query(sqlByWorkspace[i]));  // prepares each statement on the raw pool too
      // Interleaved halves, so drift (autovacuum, a noisy neighbour) hurts both alike.
      const app: number[] = [];
      const raw: number[] = [];
      let appMs = 0;
      let rawMs = 0;
      for (const half of [0, 1]) {
        const n = Math.ceil(o.requests / 2);
        const offset = half * n;
        let t0 = performance.now();
        await runBounded(n, o.connections, async (i) => {
          const s = performance.now();
          await get(scenario, offset + i);
          app.push(performance.now() - s);
        });
        appMs += performance.now() - t0;
        t0 = performance.now();
        await runBounded(n, o.connections, async (i) => {
          const s = performance.now();
          await f.raw.query(sqlByWorkspace[(offset + i) % W]);
          raw.push(performance.now() - s);
        });
        rawMs += performance.now() - t0;
      }
      const a = summarize(app, appMs);
      const r = summarize(raw, rawMs);
      result[scenario.name] = {
        app: a,
        raw: r,
        p50Ratio: a.p50 / r.p50,
        p99Ratio: a.p99 / r.p99,
        meets: a.p50 <= HUB_TARGET_P50_MS && a.p99 <= HUB_TARGET_P99_MS,
      };
      note(`  hub ${scenario.name.padEnd(18)} app p50 ${a.p50.toFixed(2)} p99 ${a.p99.toFixed(2)} ms | raw SQL p50 ${r.p50.toFixed(2)} p99 ${r.p99.toFixed(2)} ms`);
    }
    // The first page again, the same app behind PgBouncer in transaction mode (issue 18), session
    // settings from the database's defaults: 1.18 with unnamed statements, and 1.24.1
    // (max_prepared_statements) with named ones.
    const pooledServer = await f.pooledAppServer();
    const namedServer = await f.pooledAppServer(true);
    const firstPage = scenarios[0];
    for (let i = 0; i < W; i++) await get(firstPage, i, pooledServer.port);
    for (let i = 0; i < W; i++) await get(firstPage, i, namedServer.port);
    const times = { direct: [] as number[], pooled: [] as number[], pooledNamed: [] as number[] };
    const walls = { direct: 0, pooled: 0, pooledNamed: 0 };
    for (const half of [0, 1]) {
      const n = Math.ceil(o.requests / 2);
      const servers = [['direct', server.port], ['pooled', pooledServer.port], ['pooledNamed', namedServer.port]] as const;
      for (const [which, port] of servers) {
        const t0 = performance.now();
        await runBounded(n, o.connections, async (i) => {
          const s = performance.now();
          await get(firstPage, half * n + i, port);
          times[which].push(performance.now() - s);
        });
        walls[which] += performance.now() - t0;
      }
    }
    pgbouncer = {
      direct: summarize(times.direct, walls.direct),
      pooled: summarize(times.pooled, walls.pooled),
      pooledNamed: summarize(times.pooledNamed, walls.pooledNamed),
    };
    const pg = pgbouncer;
    note(
      `  hub first_page through PgBouncer 1.18 p50 ${pg.pooled.p50.toFixed(2)} p99 ${pg.pooled.p99.toFixed(2)} ms | 1.24.1 named p50 ${pg.pooledNamed.p50.toFixed(2)} p99 ${pg.pooledNamed.p99.toFixed(2)} ms | direct p50 ${pg.direct.p50.toFixed(2)} p99 ${pg.direct.p99.toFixed(2)} ms`,
    );
  } finally {
    agent.destroy();
  }
  return { scenarios: result, pgbouncer: pgbouncer!, explainFirstPage: explainFirstPage!, requests: o.requests, connections: o.connections };
}

function summarize(ms: number[], wallMs: number): Latencies {
  const sorted = [...ms].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    mean: sorted.reduce((a, b) => a + b, 0) / sorted.length,
    perS: sorted.length / (wallMs / 1000),
  };
}

export function hubTable(h: HubResult): string {
  const f2 = (v: number) => v.toFixed(2);
  const rows = Object.entries(h.scenarios).flatMap(([name, s]) => [
    [`${name} p50 ms`, f2(s.app.p50), f2(s.raw.p50), f2(s.p50Ratio), `<= ${HUB_TARGET_P50_MS} ${s.app.p50 <= HUB_TARGET_P50_MS ? 'ok' : 'MISSED'}`],
    [`${name} p99 ms`, f2(s.app.p99), f2(s.raw.p99), f2(s.p99Ratio), `<= ${HUB_TARGET_P99_MS} ${s.app.p99 <= HUB_TARGET_P99_MS ? 'ok' : 'MISSED'}`],
    [`${name} req/s`, s.app.perS.toFixed(0), s.raw.perS.toFixed(0), f2(s.app.perS / s.raw.perS), '-'],
  ]);
  const p = h.pgbouncer;
  rows.push(
    ['first_page p50 ms through PgBouncer 1.18 (unnamed); direct app', f2(p.pooled.p50), f2(p.direct.p50), f2(p.pooled.p50 / p.direct.p50), 'context'],
    ['first_page p99 ms through PgBouncer 1.18 (unnamed); direct app', f2(p.pooled.p99), f2(p.direct.p99), f2(p.pooled.p99 / p.direct.p99), 'context'],
    ['first_page p50 ms through PgBouncer 1.24.1 (named); direct app', f2(p.pooledNamed.p50), f2(p.direct.p50), f2(p.pooledNamed.p50 / p.direct.p50), 'context'],
    ['first_page p99 ms through PgBouncer 1.24.1 (named); direct app', f2(p.pooledNamed.p99), f2(p.direct.p99), f2(p.pooledNamed.p99 / p.direct.p99), 'context'],
  );
  return formatTable(['figure (HTTP via app; raw SQL via pg)', 'app', 'raw SQL', 'ratio', 'target'], rows);
}

export function hubJson(h: HubResult): Record<string, unknown> {
  const out: Record<string, unknown> = { hub_requests_per_scenario: h.requests, hub_connections: h.connections };
  for (const [name, s] of Object.entries(h.scenarios)) {
    out[`hub_${name}_p50_ms`] = round(s.app.p50, 3);
    out[`hub_${name}_p99_ms`] = round(s.app.p99, 3);
    out[`hub_${name}_raw_sql_p50_ms`] = round(s.raw.p50, 3);
    out[`hub_${name}_raw_sql_p99_ms`] = round(s.raw.p99, 3);
    out[`hub_${name}_p50_ratio_vs_raw_sql`] = round(s.p50Ratio, 3);
    out[`hub_${name}_p99_ratio_vs_raw_sql`] = round(s.p99Ratio, 3);
    out[`hub_${name}_req_per_s`] = round(s.app.perS, 1);
    out[`hub_${name}_raw_sql_per_s`] = round(s.raw.perS, 1);
    out[`hub_${name}_meets_target`] = s.meets;
  }
  out.hub_target_p50_ms = HUB_TARGET_P50_MS;
  out.hub_target_p99_ms = HUB_TARGET_P99_MS;
  out.hub_meets_targets = Object.values(h.scenarios).every((s) => s.meets);
  out.hub_first_page_pgbouncer_p50_ms = round(h.pgbouncer.pooled.p50, 3);
  out.hub_first_page_pgbouncer_p99_ms = round(h.pgbouncer.pooled.p99, 3);
  out.hub_first_page_direct_p50_ms = round(h.pgbouncer.direct.p50, 3);
  out.hub_first_page_pgbouncer_p50_ratio_vs_direct = round(h.pgbouncer.pooled.p50 / h.pgbouncer.direct.p50, 3);
  out.hub_first_page_pgbouncer_named_p50_ms = round(h.pgbouncer.pooledNamed.p50, 3);
  out.hub_first_page_pgbouncer_named_p99_ms = round(h.pgbouncer.pooledNamed.p99, 3);
  out.hub_first_page_pgbouncer_named_p50_ratio_vs_direct = round(h.pgbouncer.pooledNamed.p50 / h.pgbouncer.direct.p50, 3);
  out.hub_explain_first_page = h.explainFirstPage;
  return out;
}
