import { MikroORM } from '@mikro-orm/postgresql';
import request from 'supertest';
import { DEMO_USERS } from '../../src/cli/demo-seed';
import { preparedStatementNamesEnabled } from '../../src/shared/adapters/persistence/prepared-sql';
import { APP_SESSION_SETTINGS } from '../../src/shared/adapters/persistence/session-settings';
import { LifecycleReconciler } from '../../src/modules/reconciliation/core/lifecycle-reconciler';
import { ApiPersonas, issueDemoTokens } from '../support/api-personas';
import { listenOnLoopback } from '../support/browser';
import { signInAs } from '../support/browser-session';
import { mainPages, seedMainPages } from '../support/main-pages';
import { PgBouncer, startPgBouncer } from '../support/pgbouncer';
import { insertRunRow } from '../support/run-rows';
import { DemoScope, seedDemoScope } from '../support/seed';
import { createTestDatabase } from '../support/test-database';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * The app behind a real PgBouncer (issue 18, poolers), in transaction mode — the usual production
 * setting, where named statements and the `options` startup parameter used to break every start
 * and every hub answer — with Debian 12's 1.18, which has no prepared-statement support (statements
 * run unnamed), and with 1.24.1 and `max_prepared_statements`, which tracks them (the app keeps
 * them named: DATABASE_NAMED_STATEMENTS=on); and in session mode. Web and worker both reach
 * PostgreSQL only through the pooler.
 */
jest.setTimeout(60_000);

interface Pooler {
  mode: 'transaction' | 'session';
  /** PgBouncer ≥ 1.21 with max_prepared_statements, and the app told to keep named statements. */
  preparedStatements?: boolean;
}

/** The environment that points an app at `bouncer` as `pooler` says. */
function poolerEnv(pooler: Pooler, url: string): Record<string, string> {
  return { DATABASE_URL: url, DATABASE_POOLER: pooler.mode, ...(pooler.preparedStatements ? { DATABASE_NAMED_STATEMENTS: 'on' } : {}) };
}

async function appBehind(pooler: Pooler): Promise<{ t: TestApp; bouncer: PgBouncer; scope: DemoScope }> {
  const bouncer = await startPgBouncer(pooler.mode, { preparedStatements: pooler.preparedStatements });
  const database = await createTestDatabase();
  const t = await startTestApp({ roles: ['web', 'worker'], database, env: poolerEnv(pooler, bouncer.url(database.name)) });
  // Listening once, up front: concurrent supertest calls on a server that is not would each re-listen it.
  await listenOnLoopback(t);
  return { t, bouncer, scope: await seedDemoScope(t) };
}

/** PgBouncer's SHOW STATS row of one database. */
function statsOf(rows: Record<string, string>[], database: string): Record<string, string> {
  const row = rows.find((r) => r.database === database);
  if (!row) throw new Error(`SHOW STATS has no row for ${database}`);
  return row;
}

/** What an app connection's session says, asked through the app's own pool (hence the pooler). */
async function sessionSettings(t: TestApp): Promise<Record<string, string>> {
  const connection = t.get<MikroORM>(MikroORM).em.fork().getConnection();
  const out: Record<string, string> = {};
  for (const name of Object.keys(APP_SESSION_SETTINGS)) {
    const [row] = (await connection.execute(`select current_setting('${name}') as value`)) as { value: string }[];
    out[name] = row.value;
  }
  return out;
}

describe.each([
  { name: '1.18 (no prepared-statement support)', pooler: { mode: 'transaction' as const } },
  { name: '1.24.1 with max_prepared_statements', pooler: { mode: 'transaction' as const, preparedStatements: true } },
])('behind PgBouncer $name in transaction mode', ({ pooler }) => {
  let t: TestApp;
  let bouncer: PgBouncer;
  let scope: DemoScope;
  let api: ApiPersonas;

  beforeAll(async () => {
    ({ t, bouncer, scope } = await appBehind(pooler));
    api = await issueDemoTokens(t.db, scope);
  });
  afterAll(async () => {
    await t?.close();
    await t?.db.drop(); // the spec made it (appBehind), so the app leaves it: its client kept Jest alive
    await bouncer?.stop();
  });

  it(`connects through the pooler, with named statements ${pooler.preparedStatements ? 'on' : 'off'} and the session settings in effect`, async () => {
    expect(new URL(t.config.databaseUrl).port).toBe(String(bouncer.port));
    expect(preparedStatementNamesEnabled()).toBe(pooler.preparedStatements === true);
    expect(await sessionSettings(t)).toEqual(APP_SESSION_SETTINGS);
  });

  it('every type runs from dispatch to completion, and every main page answers', async () => {
    const data = await seedMainPages(t, scope); // throws unless each run succeeded
    const cookie = await signInAs(t, DEMO_USERS.find((u) => u.key === 'owner')!.email, scope.password);
    for (const page of mainPages(data)) {
      const req = request(t.app.getHttpServer()).get(page.path).set('Accept', 'text/html');
      const res = await (page.anonymous ? req : req.set('Cookie', cookie));
      expect([page.name, res.status]).toEqual([page.name, page.status.owner]);
    }
  });

  it('twenty identical starts at once make one run', async () => {
    // A web-only app through the same pooler and database, on a queue no worker reads: the run
    // stays active for the whole burst (with a worker, a compose can finish before the last
    // request lands, and a start after it rightly makes a new run — CI saw exactly that once).
    const web = await startTestApp({
      roles: ['web'],
      database: t.db,
      queuePrefix: `${t.config.queuePrefix}_burst`,
      env: poolerEnv(pooler, t.config.databaseUrl),
    });
    try {
      await listenOnLoopback(web);
      const start = () =>
        request(web.app.getHttpServer())
          .post('/api/v1/workspaces/contoso-msp/environments/fabrikam/operations')
          .set(api.auth('owner'))
          .send({ type: 'environment.review.compose', input: { period: '2026-01' } });
      const answers = await Promise.all(Array.from({ length: 20 }, start));
      expect(answers.map((a) => a.status).sort()).toEqual([...Array(19).fill(200), 202].sort());
      expect(new Set(answers.map((a) => a.body.run.id)).size).toBe(1);
    } finally {
      await web.close({ keepDatabase: true });
    }
  });

  it('the hub API answers every one of 50 requests', async () => {
    const before = await bouncer.admin('SHOW STATS');
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => request(t.app.getHttpServer()).get('/api/v1/workspaces/contoso-msp/operations').set(api.auth('owner'))),
    );
    expect(answers.filter((a) => a.status === 200)).toHaveLength(50);
    expect(answers[0].body.items.length).toBeGreaterThan(0);
    const after = await bouncer.admin('SHOW STATS');
    if (pooler.preparedStatements) {
      // The hub's statements stayed named through the pooler: each client connection parsed them
      // once and then only bound them (unnamed, every bind comes with its own parse).
      const delta = (column: string) => Number(statsOf(after, t.db.name)[column]) - Number(statsOf(before, t.db.name)[column]);
      expect(delta('total_bind_count')).toBeGreaterThanOrEqual(150);
      expect(delta('total_client_parse_count')).toBeLessThan(delta('total_bind_count') / 2);
    }
  });

  it('a reconciler sweep closes a stale run (its lock is transaction-scoped, which the pooler keeps)', async () => {
    const id = await insertRunRow(t.db, {
      workspaceId: scope.workspaceId,
      environmentId: scope.environmentIds['contoso-hq'],
      type: 'inventory.sync',
      status: 'running',
      createdAgoS: 3600,
      heartbeatAgoS: 3600,
    });
    const summary = await t.get<LifecycleReconciler>(LifecycleReconciler).sweep();
    expect(summary).toMatchObject({ reconciled: 1 });
    const [row] = await t.db.query<{ status: string; outcome: string }>('select status, outcome from operation_runs where id = $1', [id]);
    // The inventory adapter found no items recorded for this run: failed, reconciled.
    expect(row).toEqual({ status: 'completed', outcome: 'failed' });
  });
});

describe('behind PgBouncer in session mode', () => {
  let t: TestApp;
  let bouncer: PgBouncer;
  let scope: DemoScope;

  beforeAll(async () => {
    ({ t, bouncer, scope } = await appBehind({ mode: 'session' }));
  });
  afterAll(async () => {
    await t?.close();
    await t?.db.drop(); // the spec made it (appBehind), so the app leaves it: its client kept Jest alive
    await bouncer?.stop();
  });

  it('keeps named statements, applies the session settings, runs and lists runs', async () => {
    expect(preparedStatementNamesEnabled()).toBe(true);
    expect(await sessionSettings(t)).toEqual(APP_SESSION_SETTINGS);
    await seedMainPages(t, scope);
    const api = await issueDemoTokens(t.db, scope);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => request(t.app.getHttpServer()).get('/api/v1/workspaces/contoso-msp/operations').set(api.auth('owner'))),
    );
    expect(answers.filter((a) => a.status === 200)).toHaveLength(20);
  });
});
