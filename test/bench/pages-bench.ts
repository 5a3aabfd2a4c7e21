// Benchmark 4 — pages: requests/s of the rendered operations hub (GET /w/:w/operations, first page,
// 50 rows) and of a run detail page (GET /operations/:id) through the real app (web role, session
// cookie from the real login form), against a bare NestJS MVC app (platform-express, no database,
// no guards, no middleware) rendering the SAME templates through the project's ViewService with a
// STATIC model: the very model the real app rendered on a warm-up request, recorded by wrapping
// ViewService.render. Each server has its own process (app-server-child.ts, bare-pages-child.ts);
// this one is the load generator. A third contender, the *floor*, is the bare app that first
// replays the statements the real app sent for the page (same SQL, values and prepared names, on a
// plain pg pool): what the stack costs for this page's database work plus its render, with none
// of the app's own code. floor/bare says how much of the target the page's SQL alone leaves; app/
// floor is the app's own overhead. The *minimal floor* replays only what no signed-in page can do
// without: the session lookup and the page's own read (the list, the run) — the ceiling of any
// implementation that checks the session and reads fresh truth per request. All are measured in
// interleaved chunks so a noisy neighbour hurts them alike.
import bcrypt from 'bcryptjs';
import * as http from 'node:http';
import type { BareModels, BarePagesStart } from './bare-pages-child';
import { CapturedStatement } from './sql-capture';
import { BenchChild, spawnBenchChild } from './child-process';
import { formatTable, note, round, runBounded } from './harness';
import { cpuMsBetween, cpuTicksByPid } from './proc-stats';
import { percentile, ScaleFixture, startScaleFixture } from './scale-fixture';

export const PAGES_TARGET_RATIO_VS_BARE = 0.5;
type PageName = 'hub' | 'run';
const VIEW_OF: Record<PageName, 'operations/hub' | 'operations/run'> = { hub: 'operations/hub', run: 'operations/run' };
type FloorStatements = NonNullable<BarePagesStart['sql']>['statements'];
/** The statements no signed-in page can skip: the session lookup and the page's own read of runs. */
const ESSENTIAL_SQL = /\bfrom sessions\b|\boperation_runs\b/;
/** The bare page must be this close in size to the real one, or the comparison is not like for like. */
const MAX_SIZE_DIFFERENCE = 0.03;
const PASSWORD = 'pages-bench-password';
/** Active runs kept out of the generator's ~2 %, so the first hub page mixes active and completed runs. */
const KEEP_ACTIVE = 15;
const STALE = 3;

export interface PagesOptions {
  runs: number;
  environments: number;
  requests: number;
  connections: number;
  /** Interleaved chunks per contender (requests are split among them). */
  chunks: number;
}

interface Latencies {
  p50: number;
  p99: number;
  perS: number;
}

/** CPU ms per request of the server under test, of PostgreSQL, and of this load generator. */
interface CpuPerRequest {
  server: number;
  postgres: number;
  loadGenerator: number;
}

interface PageResult {
  path: string;
  app: Latencies;
  bare: Latencies;
  /** The bare app replaying the page's statements before rendering. */
  floor: Latencies;
  /** floor/bare req/s: the ratio the page's database work alone leaves (the app cannot beat it with the same SQL). */
  floorRatio: number;
  /** The bare app replaying only the session lookup and the page's own read. */
  minimalFloor: Latencies;
  minimalFloorRatio: number;
  minimalFloorStatements: number;
  ratio: number;
  /** app/bare req/s per interleaved chunk: the spread a loaded machine adds. */
  ratioByChunk: number[];
  appCpu: CpuPerRequest;
  bareCpu: CpuPerRequest;
  floorCpu: CpuPerRequest;
  appBytes: number;
  bareBytes: number;
  /** SQL statements the app sent for one request of this page (warm-up request), counted at its pg driver. */
  sqlPerRequest: number;
  /** Those statements by verb and first table ("select sessions", …). */
  sqlByKind: Record<string, number>;
  meets: boolean;
}

export interface PagesResult {
  pages: Record<PageName, PageResult>;
  runs: number;
  environments: number;
  activeRuns: number;
  staleRuns: number;
  requests: number;
  connections: number;
  chunks: number;
}

/** The bare contender in its own process; "start" renders nothing yet, it only listens. */
async function startBareApp(
  name: string,
  projectRoot: string,
  models: BareModels,
  sql?: BarePagesStart['sql'],
): Promise<{ child: BenchChild; port: number }> {
  const child = spawnBenchChild(name, 'bare-pages-child.ts');
  try {
    const { port } = await child.call<{ port: number }>('start', { projectRoot, models, sql } satisfies BarePagesStart);
    return { child, port };
  } catch (error) {
    await child.close();
    throw error;
  }
}

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function send(
  port: number,
  path: string,
  o: { agent?: http.Agent; method?: string; cookie?: string; form?: Record<string, string> } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const body = o.form ? new URLSearchParams(o.form).toString() : undefined;
    const headers: http.OutgoingHttpHeaders = { Accept: 'text/html' };
    if (o.cookie) headers.Cookie = o.cookie;
    if (body) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      headers['Content-Length'] = Buffer.byteLength(body);
    }
    const req = http.request({ host: '127.0.0.1', port, path, method: o.method ?? 'GET', agent: o.agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      // A keep-alive socket the server closed for idleness (the phases between measurements can
      // outlast its 5 s timeout) fails on reuse before any byte is answered: retry a GET once.
      const idleReuse = req.reusedSocket && (error.code === 'ECONNRESET' || error.message === 'socket hang up');
      if (idleReuse && (o.method ?? 'GET') === 'GET') send(port, path, o).then(resolve, reject);
      else reject(error);
    });
    req.end(body);
  });
}

function cookiePair(reply: Reply, name: string): string {
  const header = (reply.headers['set-cookie'] ?? []).find((c) => c.startsWith(`${name}=`));
  if (!header) throw new Error(`expected a Set-Cookie header for ${name} (HTTP ${reply.status})`);
  return header.split(';')[0];
}

/** As test/support/browser-session.ts signInAs: GET /login for the CSRF pair, POST the form, keep the session cookie. */
async function signIn(port: number, email: string, password: string): Promise<string> {
  const form = await send(port, '/login');
  const csrf = /<input type="hidden" name="_csrf" value="([^"]*)">/.exec(form.body)?.[1];
  if (form.status !== 200 || !csrf) throw new Error(`GET /login answered ${form.status} without a _csrf field`);
  const res = await send(port, '/login', {
    method: 'POST',
    cookie: cookiePair(form, 'opsdeck_login_csrf'),
    form: { _csrf: csrf, email, password },
  });
  if (res.status !== 303) throw new Error(`sign-in as ${email} answered ${res.status}`);
  return cookiePair(res, 'opsdeck_session');
}

/**
 * One workspace, `environments` environments, `runs` runs from the hub generator; of its ~2 %
 * active runs KEEP_ACTIVE stay (the newest), STALE of the running ones lose their heartbeat.
 */
async function prepareData(f: ScaleFixture): Promise<{ workspace: string; runId: string; email: string; active: number; stale: number }> {
  const { db, data } = f;
  await db.query(
    `delete from operation_runs where status <> 'completed'
       and id not in (select id from operation_runs where status <> 'completed' order by created_at desc limit $1)`,
    [KEEP_ACTIVE],
  );
  const stale = await db.query<{ id: string }>(
    `update operation_runs set created_at = now() - interval '30 minutes', started_at = now() - interval '29 minutes',
            last_heartbeat_at = now() - interval '20 minutes', updated_at = now() - interval '20 minutes'
      where id in (select id from operation_runs where status = 'running' order by created_at desc limit $1)
      returning id`,
    [STALE],
  );
  const [active] = await db.query<{ n: string }>(`select count(*) as n from operation_runs where status <> 'completed'`);
  // A completed run with summary counts (processed and failed), of a catalog type.
  const [run] = await db.query<{ id: string }>(
    `select id from operation_runs where status = 'completed' and outcome = 'partially_succeeded' and type = 'inventory.sync'
      order by created_at desc limit 1`,
  );
  if (!run) throw new Error('no completed inventory.sync run with summary counts: raise --pages-runs');
  const email = 'hub-owner@bench.test';
  await db.query(`update users set password_hash = $1 where email = $2`, [await bcrypt.hash(PASSWORD, 4), email]);
  await db.query('analyze operation_runs');
  return { workspace: data.workspaceSlugs[0], runId: run.id, email, active: Number(active.n), stale: stale.length };
}

export async function runPagesBench(o: PagesOptions): Promise<PagesResult> {
  const fixture = await startScaleFixture({ runs: o.runs, workspaces: 1, environments: o.environments }, o.connections);
  let bare: { child: BenchChild; port: number } | undefined;
  let floor: { child: BenchChild; port: number } | undefined;
  let minimal: { child: BenchChild; port: number } | undefined;
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.connections });
  try {
    const prepared = await prepareData(fixture);
    const server = await fixture.appServer();
    const appPort = server.port;
    const cookie = await signIn(appPort, prepared.email, PASSWORD);
    const paths = { hub: `/w/${prepared.workspace}/operations`, run: `/operations/${prepared.runId}` };

    // One warm-up request per page, recording the model the real app renders (in its process)
    // and counting its statements at the app's pg driver — after a first request per page, so the
    // count is the steady state (a first request also fills what an instance holds: grants, the
    // workspace's environment list).
    for (const path of Object.values(paths)) await send(appPort, path, { agent, cookie });
    const recorder = await server.recordModels(['operations/hub', 'operations/run']);
    const appPages: Record<string, string> = {};
    const sqlByPage: Record<string, Record<string, number>> = {};
    let models: Partial<BareModels>;
    try {
      for (const [name, path] of Object.entries(paths)) {
        const sql = await server.countSql();
        const reply = await send(appPort, path, { agent, cookie });
        sqlByPage[name] = await sql.stop();
        if (reply.status !== 200) throw new Error(`${path}: HTTP ${reply.status} ${reply.body.slice(0, 300)}`);
        appPages[name] = reply.body;
      }
    } finally {
      models = await recorder.stop();
    }
    if (!models['operations/hub'] || !models['operations/run']) throw new Error('the app rendered no operations/hub or operations/run model');
    const rows = (models['operations/hub'].results as { runs?: unknown[] } | undefined)?.runs?.length ?? 0;
    note(`pages: workspace ${prepared.workspace}, ${o.runs} runs (${prepared.active} active, ${prepared.stale} stale), hub rows ${rows}, run ${prepared.runId}`);

    // The statements of one more request per page, replayed by the floor contenders.
    const statements = {} as FloorStatements;
    for (const [name, path] of Object.entries(paths) as [PageName, string][]) {
      const capture = await server.captureSql([]);
      const reply = await send(appPort, path, { agent, cookie });
      statements[VIEW_OF[name]] = await capture.stop();
      if (reply.status !== 200) throw new Error(`${path}: HTTP ${reply.status}`);
    }
    const essential = {} as FloorStatements;
    for (const [view, list] of Object.entries(statements) as [keyof FloorStatements, CapturedStatement[]][]) {
      essential[view] = list.filter((st) => ESSENTIAL_SQL.test(st.text));
      if (essential[view].length !== 2) {
        throw new Error(`${view}: expected the session lookup and one read among the app's statements, found ${essential[view].length}`);
      }
    }
    const startFloor = (name: string, replayed: FloorStatements) =>
      startBareApp(name, server.projectRoot, models as BareModels, { url: fixture.db.url, poolSize: o.connections, statements: replayed });
    bare = await startBareApp('bare-pages', server.projectRoot, models as BareModels);
    floor = await startFloor('floor-pages', statements);
    minimal = await startFloor('minimal-floor-pages', essential);
    const barePort = bare.port;
    const floorPort = floor.port;
    const minimalPort = minimal.port;
    for (const port of [floorPort, minimalPort]) {
      for (const path of Object.values(paths)) {
        const reply = await send(port, path, { agent });
        if (reply.status !== 200) throw new Error(`floor ${path}: HTTP ${reply.status} ${reply.body.slice(0, 300)}`);
      }
    }
    const barePages: Record<string, string> = {};
    for (const [name, path] of Object.entries(paths)) {
      const reply = await send(barePort, path, { agent });
      if (reply.status !== 200) throw new Error(`bare ${path}: HTTP ${reply.status} ${reply.body.slice(0, 300)}`);
      barePages[name] = reply.body;
      const a = Buffer.byteLength(appPages[name]);
      const b = Buffer.byteLength(reply.body);
      if (Math.abs(a - b) / a > MAX_SIZE_DIFFERENCE) {
        throw new Error(`${name}: the bare page is ${b} bytes, the app's ${a}: more than ${MAX_SIZE_DIFFERENCE * 100} % apart`);
      }
    }

    const get = async (port: number, path: string, withCookie: boolean) => {
      const reply = await send(port, path, { agent, cookie: withCookie ? cookie : undefined });
      if (reply.status !== 200) throw new Error(`${path}: HTTP ${reply.status} ${reply.body.slice(0, 300)}`);
    };
    const contender = (pid: number, port: number, path: string, withCookie: boolean) => ({
      pid,
      run: () => get(port, path, withCookie),
      ms: [] as number[],
      wall: 0,
      chunkMs: [] as number[],
      cpu: { server: 0, postgres: 0, loadGenerator: 0 } as CpuPerRequest,
    });
    const pages = {} as PagesResult['pages'];
    for (const [name, path] of Object.entries(paths) as [PageName, string][]) {
      const contenders = [
        contender(server.pid, appPort, path, true),
        contender(bare.child.pid, barePort, path, false),
        contender(floor.child.pid, floorPort, path, false),
        contender(minimal.child.pid, minimalPort, path, false),
      ];
      const warmup = Math.max(o.connections * 2, Math.round(o.requests / 20));
      for (const c of contenders) await runBounded(warmup, o.connections, c.run);
      const perChunk = Math.ceil(o.requests / o.chunks);
      for (let chunk = 0; chunk < o.chunks; chunk++) {
        for (const c of chunk % 2 ? [...contenders].reverse() : contenders) {
          const t0 = performance.now();
          const before = { server: cpuTicksByPid('', c.pid), postgres: cpuTicksByPid('postgres'), self: process.cpuUsage() };
          await runBounded(perChunk, o.connections, async () => {
            const s = performance.now();
            await c.run();
            c.ms.push(performance.now() - s);
          });
          c.chunkMs.push(performance.now() - t0);
          const self = process.cpuUsage(before.self);
          c.cpu.server += cpuMsBetween(before.server, cpuTicksByPid('', c.pid));
          c.cpu.postgres += cpuMsBetween(before.postgres, cpuTicksByPid('postgres'));
          c.cpu.loadGenerator += (self.user + self.system) / 1000;
          c.wall += performance.now() - t0;
        }
      }
      const [app, bareLat, floorLat, minimalLat] = contenders.map((c) => summarize(c.ms, c.wall));
      const ratio = app.perS / bareLat.perS;
      pages[name] = {
        path,
        app,
        bare: bareLat,
        floor: floorLat,
        floorRatio: floorLat.perS / bareLat.perS,
        minimalFloor: minimalLat,
        minimalFloorRatio: minimalLat.perS / bareLat.perS,
        minimalFloorStatements: essential[VIEW_OF[name]].length,
        ratio,
        ratioByChunk: contenders[0].chunkMs.map((ms, i) => contenders[1].chunkMs[i] / ms),
        appCpu: perRequest(contenders[0].cpu, contenders[0].ms.length),
        bareCpu: perRequest(contenders[1].cpu, contenders[1].ms.length),
        floorCpu: perRequest(contenders[2].cpu, contenders[2].ms.length),
        appBytes: Buffer.byteLength(appPages[name]),
        bareBytes: Buffer.byteLength(barePages[name]),
        sqlPerRequest: Object.values(sqlByPage[name]).reduce((a, b) => a + b, 0),
        sqlByKind: sqlByPage[name],
        meets: ratio >= PAGES_TARGET_RATIO_VS_BARE,
      };
      note(`  pages ${name.padEnd(4)} app ${app.perS.toFixed(0)} req/s (p50 ${app.p50.toFixed(2)} p99 ${app.p99.toFixed(2)} ms) | ` +
        `bare ${bareLat.perS.toFixed(0)} req/s (p50 ${bareLat.p50.toFixed(2)} p99 ${bareLat.p99.toFixed(2)} ms) | ratio ${ratio.toFixed(2)} | ` +
        `floor ${floorLat.perS.toFixed(0)} req/s (floor/bare ${(floorLat.perS / bareLat.perS).toFixed(2)}) | ` +
        `minimal floor ${minimalLat.perS.toFixed(0)} req/s (${(minimalLat.perS / bareLat.perS).toFixed(2)})`);
    }
    return {
      pages,
      runs: o.runs,
      environments: o.environments,
      activeRuns: prepared.active,
      staleRuns: prepared.stale,
      requests: perChunkTotal(o),
      connections: o.connections,
      chunks: o.chunks,
    };
  } finally {
    agent.destroy();
    await bare?.child.close();
    await floor?.child.close();
    await minimal?.child.close();
    await fixture.close();
  }
}

const perRequest = (cpu: CpuPerRequest, requests: number): CpuPerRequest => ({
  server: cpu.server / requests,
  postgres: cpu.postgres / requests,
  loadGenerator: cpu.loadGenerator / requests,
});

const perChunkTotal = (o: PagesOptions) => Math.ceil(o.requests / o.chunks) * o.chunks;

function summarize(ms: number[], wallMs: number): Latencies {
  const sorted = [...ms].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), perS: sorted.length / (wallMs / 1000) };
}

export function pagesTable(r: PagesResult): string {
  const f2 = (v: number) => v.toFixed(2);
  const kb = (v: number) => (v / 1024).toFixed(1);
  const rows = Object.entries(r.pages).flatMap(([name, p]) => [
    [`${name} req/s`, p.app.perS.toFixed(0), p.bare.perS.toFixed(0), f2(p.ratio), `>= ${PAGES_TARGET_RATIO_VS_BARE} ${p.meets ? 'ok' : 'MISSED'}`],
    [`${name} p50 ms`, f2(p.app.p50), f2(p.bare.p50), f2(p.app.p50 / p.bare.p50), '-'],
    [`${name} p99 ms`, f2(p.app.p99), f2(p.bare.p99), f2(p.app.p99 / p.bare.p99), '-'],
    [`${name} page KB`, kb(p.appBytes), kb(p.bareBytes), f2(p.appBytes / p.bareBytes), '-'],
    [`${name} SQL statements per request (pg driver)`, String(p.sqlPerRequest), '0', '-', '-'],
    [`${name} CPU ms per request: server`, f2(p.appCpu.server), f2(p.bareCpu.server), f2(p.appCpu.server / p.bareCpu.server), '-'],
    [`${name} CPU ms per request: PostgreSQL`, f2(p.appCpu.postgres), f2(p.bareCpu.postgres), '-', '-'],
    [`${name} CPU ms per request: load generator`, f2(p.appCpu.loadGenerator), f2(p.bareCpu.loadGenerator), '-', '-'],
    [`${name} floor req/s (bare + the page's SQL replayed); bare`, p.floor.perS.toFixed(0), p.bare.perS.toFixed(0), f2(p.floorRatio), 'ceiling'],
    [`${name} minimal floor req/s (session + the page's read, ${p.minimalFloorStatements} statements); bare`, p.minimalFloor.perS.toFixed(0), p.bare.perS.toFixed(0), f2(p.minimalFloorRatio), 'ceiling'],
    [`${name} app req/s; floor`, p.app.perS.toFixed(0), p.floor.perS.toFixed(0), f2(p.app.perS / p.floor.perS), '-'],
    [`${name} floor CPU ms per request: server; PostgreSQL`, f2(p.floorCpu.server), f2(p.floorCpu.postgres), '-', '-'],
  ]);
  return formatTable(['figure (real app; bare MVC, static model)', 'app', 'bare', 'ratio', 'target'], rows);
}

export function pagesJson(r: PagesResult): Record<string, unknown> {
  const out: Record<string, unknown> = {
    pages_runs: r.runs,
    pages_environments: r.environments,
    pages_active_runs: r.activeRuns,
    pages_stale_runs: r.staleRuns,
    pages_requests_per_page: r.requests,
    pages_connections: r.connections,
    pages_chunks: r.chunks,
  };
  for (const [name, p] of Object.entries(r.pages)) {
    const k = `pages_${name}`;
    out[`${k}_path`] = p.path.replace(/[0-9a-f-]{36}$/, ':id');
    out[`${k}_req_per_s`] = round(p.app.perS, 1);
    out[`${k}_bare_req_per_s`] = round(p.bare.perS, 1);
    out[`${k}_ratio_vs_bare`] = round(p.ratio, 3);
    out[`${k}_ratio_vs_bare_by_chunk`] = p.ratioByChunk.map((v) => round(v, 3));
    out[`${k}_p50_ms`] = round(p.app.p50, 3);
    out[`${k}_p99_ms`] = round(p.app.p99, 3);
    out[`${k}_bare_p50_ms`] = round(p.bare.p50, 3);
    out[`${k}_bare_p99_ms`] = round(p.bare.p99, 3);
    out[`${k}_page_kb`] = round(p.appBytes / 1024, 1);
    out[`${k}_bare_page_kb`] = round(p.bareBytes / 1024, 1);
    out[`${k}_sql_per_request`] = p.sqlPerRequest;
    out[`${k}_sql_by_kind`] = p.sqlByKind;
    out[`${k}_cpu_ms_per_request`] = { server: round(p.appCpu.server, 3), postgres: round(p.appCpu.postgres, 3), load_generator: round(p.appCpu.loadGenerator, 3) };
    out[`${k}_floor_req_per_s`] = round(p.floor.perS, 1);
    out[`${k}_floor_ratio_vs_bare`] = round(p.floorRatio, 3);
    out[`${k}_minimal_floor_req_per_s`] = round(p.minimalFloor.perS, 1);
    out[`${k}_minimal_floor_ratio_vs_bare`] = round(p.minimalFloorRatio, 3);
    out[`${k}_ratio_vs_floor`] = round(p.app.perS / p.floor.perS, 3);
    out[`${k}_floor_cpu_ms_per_request`] = { server: round(p.floorCpu.server, 3), postgres: round(p.floorCpu.postgres, 3), load_generator: round(p.floorCpu.loadGenerator, 3) };
    out[`${k}_bare_cpu_ms_per_request`] = { server: round(p.bareCpu.server, 3), postgres: round(p.bareCpu.postgres, 3), load_generator: round(p.bareCpu.loadGenerator, 3) };
    out[`${k}_meets_target`] = p.meets;
  }
  out.pages_target_ratio_vs_bare = PAGES_TARGET_RATIO_VS_BARE;
  out.pages_meets_targets = Object.values(r.pages).every((p) => p.meets);
  return out;
}
