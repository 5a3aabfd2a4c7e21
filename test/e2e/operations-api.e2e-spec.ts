import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { ApiPersonas, issueDemoTokens, NOT_FOUND_BODY } from '../support/api-personas';
import { DemoScope, seedDemoScope } from '../support/seed';
import { startTestApp, TestApp } from '../support/test-app';
import { TestDatabase } from '../support/test-database';

/**
 * The operations JSON API over HTTP: scoped lists and tab counts, keyset pagination, filters,
 * start semantics with audit, diagnostics gating, bad input, OpenAPI. The app runs without a
 * worker, so started runs stay queued and the fixture rows stay as written.
 */

type Tab = 'all' | 'active' | 'active_stale_attention' | 'terminal_follow_up' | 'reconciled';
const TABS: Tab[] = ['all', 'active', 'active_stale_attention', 'terminal_follow_up', 'reconciled'];

interface FixtureRun {
  status: 'queued' | 'running' | 'completed';
  outcome?: string;
  type?: string;
  createdAgoS: number;
  heartbeatAgoS?: number;
  context?: Record<string, unknown>;
  tabs: Tab[];
}

/** One of each shape; inventory.sync: stale queued after 300 s, stale running after 90 s. */
const SHAPES: FixtureRun[] = [
  { status: 'queued', createdAgoS: 5, tabs: ['all', 'active'] },
  { status: 'queued', createdAgoS: 3600, tabs: ['all', 'active', 'active_stale_attention'] },
  { status: 'running', createdAgoS: 20, heartbeatAgoS: 2, tabs: ['all', 'active'] },
  { status: 'running', createdAgoS: 7200, heartbeatAgoS: 3600, tabs: ['all', 'active', 'active_stale_attention'] },
  { status: 'completed', outcome: 'succeeded', createdAgoS: 400, tabs: ['all'] },
  { status: 'completed', outcome: 'failed', createdAgoS: 410, tabs: ['all', 'terminal_follow_up'] },
  { status: 'completed', outcome: 'blocked', createdAgoS: 420, tabs: ['all', 'terminal_follow_up'] },
  { status: 'completed', outcome: 'partially_succeeded', createdAgoS: 430, tabs: ['all', 'terminal_follow_up'] },
  { status: 'completed', outcome: 'cancelled', createdAgoS: 440, tabs: ['all'] },
  {
    status: 'completed',
    outcome: 'failed',
    createdAgoS: 450,
    context: { reconciliation: { version: 1, reason: 'stale_running', source: 'scheduled_reconciler' } },
    tabs: ['all', 'reconciled'],
  },
  { status: 'completed', outcome: 'failed', createdAgoS: 460, context: { reconciliation: null }, tabs: ['all', 'terminal_follow_up'] },
  { status: 'queued', type: 'inventory_sync', createdAgoS: 3000, tabs: ['all', 'active', 'active_stale_attention'] },
  { status: 'queued', type: 'legacy.unknown_type', createdAgoS: 99999, tabs: ['all', 'active'] },
];

async function insertRun(
  db: TestDatabase,
  workspaceId: string,
  environmentId: string | null,
  run: FixtureRun,
): Promise<string> {
  const id = randomUUID();
  await db.query(
    `insert into operation_runs (id, workspace_id, environment_id, type, status, outcome, fingerprint, context,
       attempts, created_at, started_at, last_heartbeat_at, completed_at, updated_at)
     values ($1, $2, $3, $4, $5, $6, $13, $7::jsonb, $8,
       now() - make_interval(secs => $9), $10, $11, $12, now())`,
    [
      id,
      workspaceId,
      environmentId,
      run.type ?? 'inventory.sync',
      run.status,
      run.outcome ?? 'pending',
      JSON.stringify(run.context ?? {}),
      run.status === 'queued' ? 0 : 1,
      run.createdAgoS,
      run.status === 'queued' ? null : new Date(Date.now() - run.createdAgoS * 1000 + 1000),
      run.heartbeatAgoS === undefined ? null : new Date(Date.now() - run.heartbeatAgoS * 1000),
      run.status === 'completed' ? new Date() : null,
      `fp-${id}`,
    ],
  );
  return id;
}

describe('operations JSON API', () => {
  let t: TestApp;
  let scope: DemoScope;
  let personas: ApiPersonas;
  const fixtureIds = new Map<string, { env: string | null; tabs: Tab[] }>();
  const server = () => t.app.getHttpServer();
  const api = (persona: 'owner' | 'operator' | 'viewer' | 'outsider') => ({
    get: (path: string) => request(server()).get(path).set(personas.auth(persona)),
    post: (path: string) => request(server()).post(path).set(personas.auth(persona)),
  });
  const OPS = '/api/v1/workspaces/contoso-msp/operations';

  beforeAll(async () => {
    t = await startTestApp({ roles: ['web'] });
    scope = await seedDemoScope(t);
    personas = await issueDemoTokens(t.db, scope);
    const [tailspin] = await t.db.query<{ id: string; env: string }>(
      `select w.id, e.id as env from workspaces w join managed_environments e on e.workspace_id = w.id where w.slug = 'tailspin-msp'`,
    );
    const envs: (string | null)[] = [...Object.values(scope.environmentIds), null];
    for (const env of envs) {
      for (const shape of SHAPES) fixtureIds.set(await insertRun(t.db, scope.workspaceId, env, shape), { env, tabs: shape.tabs });
    }
    for (const shape of SHAPES) await insertRun(t.db, tailspin.id, tailspin.env, shape);
  });

  afterAll(async () => {
    await t?.close();
  });

  async function listAll(persona: 'owner' | 'operator' | 'viewer', query: string): Promise<{ ids: string[]; counts: Record<Tab, number> }> {
    const res = await api(persona).get(`${OPS}?limit=200&${query}`).expect(200);
    expect(res.body.next_cursor).toBeNull();
    return { ids: res.body.items.map((r: { id: string }) => r.id), counts: res.body.counts };
  }

  describe('scoping and counts', () => {
    const expected = (visible: (string | null)[]) => {
      const counts = Object.fromEntries(TABS.map((tab) => [tab, 0])) as Record<Tab, number>;
      for (const { env, tabs } of fixtureIds.values()) if (visible.includes(env)) tabs.forEach((tab) => counts[tab]++);
      return counts;
    };

    it('owner sees every contoso run (workspace-level included) and nothing of tailspin', async () => {
      const { ids, counts } = await listAll('owner', 'tab=all');
      expect(new Set(ids)).toEqual(new Set(fixtureIds.keys()));
      expect(counts).toEqual(expected([...Object.values(scope.environmentIds), null]));
    });

    it('operator (contoso-hq + fabrikam) sees no northwind or workspace-level run in items or any count', async () => {
      const visible = [scope.environmentIds['contoso-hq'], scope.environmentIds.fabrikam];
      const counts = expected(visible);
      for (const tab of TABS) {
        const res = await listAll('operator', `tab=${tab}`);
        expect(res.counts).toEqual(counts);
        expect(res.ids).toHaveLength(counts[tab]);
        for (const id of res.ids) {
          expect(visible).toContain(fixtureIds.get(id)!.env);
          expect(fixtureIds.get(id)!.tabs).toContain(tab);
        }
      }
    });

    it('per tab, counts equal the items listed, for every persona of contoso', async () => {
      for (const persona of ['owner', 'operator', 'viewer'] as const) {
        for (const tab of TABS) {
          const res = await listAll(persona, `tab=${tab}`);
          expect({ persona, tab, n: res.ids.length }).toEqual({ persona, tab, n: res.counts[tab] });
          for (const id of res.ids) expect(fixtureIds.get(id)!.tabs).toContain(tab);
        }
      }
    });

    it('filters narrow items and counts alike: environment, type alias, status, outcome', async () => {
      const hq = scope.environmentIds['contoso-hq'];
      const byEnv = await listAll('owner', 'environment=contoso-hq');
      expect(byEnv.ids.every((id) => fixtureIds.get(id)!.env === hq)).toBe(true);
      expect(byEnv.counts).toEqual(expected([hq]));

      const byAlias = await listAll('owner', 'type=inventory_sync&environment=contoso-hq');
      expect(byAlias.ids).toHaveLength(SHAPES.filter((s) => s.type !== 'legacy.unknown_type').length);

      const failed = await api('owner').get(`${OPS}?status=completed&outcome=failed&limit=200`).expect(200);
      expect(failed.body.items.length).toBe(4 * 3);
      for (const item of failed.body.items) expect([item.status, item.outcome]).toEqual(['completed', 'failed']);
      expect(failed.body.counts.all).toBe(12);
    });

    it('items carry the presenter truth (a stale queued run is escalated, a reconciled run says so)', async () => {
      const res = await api('owner').get(`${OPS}?tab=active_stale_attention&environment=fabrikam`).expect(200);
      for (const item of res.body.items) {
        expect(item.problem_class).toBe('active_stale_attention');
        expect(item.freshness).toBe('likely_stale');
        expect(item.presentation.headline).toBe('Past the lifecycle window. Review worker health and logs before retrying.');
        expect(item).not.toHaveProperty('diagnostics');
      }
      const reconciled = await api('owner').get(`${OPS}?tab=reconciled&environment=fabrikam`).expect(200);
      expect(reconciled.body.items).toHaveLength(1);
      expect(reconciled.body.items[0].problem_class).toBe('reconciled');
    });
  });

  describe('keyset pagination', () => {
    it('walks every run exactly once, newest first, including runs created in the same instant', async () => {
      const at = '2024-06-01T12:00:00.123456Z';
      const tied: string[] = [];
      for (let i = 0; i < 3; i++) {
        const id = randomUUID();
        tied.push(id);
        await t.db.query(
          `insert into operation_runs (id, workspace_id, environment_id, type, status, outcome, fingerprint, created_at, updated_at)
           values ($1, $2, $3, 'inventory.sync', 'completed', 'succeeded', $5, $4::timestamptz, now())`,
          [id, scope.workspaceId, scope.environmentIds.fabrikam, at, `fp-${id}`],
        );
        fixtureIds.set(id, { env: scope.environmentIds.fabrikam, tabs: ['all'] });
      }
      const { ids: full } = await listAll('owner', 'tab=all');
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res: request.Response = await api('owner')
          .get(`${OPS}?limit=7${cursor ? `&cursor=${cursor}` : ''}`)
          .expect(200);
        seen.push(...res.body.items.map((r: { id: string }) => r.id));
        expect(res.body.items.length).toBeLessThanOrEqual(7);
        cursor = res.body.next_cursor;
        pages++;
      } while (cursor && pages < 100);
      expect(seen).toEqual(full);
      expect(new Set(seen).size).toBe(seen.length);
      const created = await t.db.query<{ id: string; created_at: Date }>('select id, created_at from operation_runs where id = any($1)', [seen]);
      const at_ = new Map(created.map((r) => [r.id, new Date(r.created_at).getTime()]));
      for (let i = 1; i < seen.length; i++) expect(at_.get(seen[i - 1])!).toBeGreaterThanOrEqual(at_.get(seen[i])!);
      // The tie is broken by id, descending.
      const tiedOrder = seen.filter((id) => tied.includes(id));
      expect(tiedOrder).toEqual([...tied].sort().reverse());
    });

    it('a cursor keeps the filters of the request it is used with', async () => {
      const first = await api('operator').get(`${OPS}?tab=active&limit=2`).expect(200);
      expect(first.body.next_cursor).toEqual(expect.any(String));
      const next = await api('operator').get(`${OPS}?tab=active&limit=200&cursor=${first.body.next_cursor}`).expect(200);
      expect(first.body.items.length + next.body.items.length).toBe(first.body.counts.active);
    });
  });

  describe('start', () => {
    const START_HQ = '/api/v1/workspaces/contoso-msp/environments/contoso-hq/operations';
    const events = (action: string) =>
      t.db.query<{ actor_user_id: string | null; environment_id: string | null; subject_id: string | null; metadata: Record<string, unknown> }>(
        'select actor_user_id, environment_id, subject_id, metadata from audit_events where action = $1 order by id',
        [action],
      );

    it('queues a run (202, created) and returns the active duplicate next time (200), both audited', async () => {
      const first = await api('operator').post(START_HQ).send({ type: 'inventory.sync' }).expect(202);
      expect(first.body.created).toBe(true);
      expect(first.body.run).toMatchObject({
        type: 'inventory.sync',
        status: 'queued',
        outcome: 'pending',
        environment: { slug: 'contoso-hq' },
        workspace: { slug: 'contoso-msp' },
        initiator: { id: scope.userIds.operator, name: 'Oscar Operator' },
      });
      expect(first.body.run).not.toHaveProperty('diagnostics');
      const again = await api('owner').post(START_HQ).send({ type: 'inventory_sync', input: {} }).expect(200);
      expect(again.body).toMatchObject({ created: false, run: { id: first.body.run.id } });
      expect(again.body.run).toHaveProperty('diagnostics');

      const [requested] = await events('operation.start_requested');
      expect(requested).toMatchObject({
        actor_user_id: scope.userIds.operator,
        environment_id: scope.environmentIds['contoso-hq'],
        subject_id: first.body.run.id,
        metadata: { type: 'inventory.sync', created: true },
      });
      const [duplicate] = await events('operation.start_duplicate');
      expect(duplicate).toMatchObject({ actor_user_id: scope.userIds.owner, subject_id: first.body.run.id });
      const [row] = await t.db.query<{ initiator_user_id: string }>('select initiator_user_id from operation_runs where id = $1', [
        first.body.run.id,
      ]);
      expect(row.initiator_user_id).toBe(scope.userIds.operator);
    });

    it('audits denials of members without revealing hidden environments, and never those of outsiders', async () => {
      await api('viewer').post(START_HQ).send({ type: 'inventory.sync' }).expect(403);
      await api('operator').post('/api/v1/workspaces/contoso-msp/environments/northwind/operations').send({ type: 'inventory.sync' }).expect(404);
      await api('operator').post('/api/v1/workspaces/contoso-msp/environments/atlantis/operations').send({ type: 'inventory.sync' }).expect(404);
      await api('outsider').post(START_HQ).send({ type: 'inventory.sync' }).expect(404);
      const denied = await events('operation.start_denied');
      expect(denied).toEqual([
        expect.objectContaining({
          actor_user_id: scope.userIds.viewer,
          environment_id: scope.environmentIds['contoso-hq'],
          metadata: { type: 'inventory.sync', reason: 'forbidden' },
        }),
        // Hidden and unknown environments leave records of the very same shape.
        expect.objectContaining({
          actor_user_id: scope.userIds.operator,
          environment_id: null,
          metadata: { type: 'inventory.sync', reason: 'not_found', environment: 'northwind' },
        }),
        expect.objectContaining({
          actor_user_id: scope.userIds.operator,
          environment_id: null,
          metadata: { type: 'inventory.sync', reason: 'not_found', environment: 'atlantis' },
        }),
      ]);
    });
  });

  describe('diagnostics', () => {
    it('appear only for callers holding operations.view_diagnostics', async () => {
      const id = await insertRun(t.db, scope.workspaceId, scope.environmentIds['contoso-hq'], {
        status: 'completed',
        outcome: 'failed',
        createdAgoS: 30,
        context: {
          failures: [{ code: 'job_failed', message: 'The job failed.' }],
          diagnostics: { final_error: { class: 'Error', message: 'connect ECONNREFUSED 10.0.0.7:443' } },
        },
        tabs: ['all', 'terminal_follow_up'],
      });
      const owner = await api('owner').get(`/api/v1/operations/${id}`).expect(200);
      expect(owner.body.diagnostics).toEqual({ final_error: { class: 'Error', message: 'connect ECONNREFUSED 10.0.0.7:443' } });
      expect(owner.body.failures).toEqual([{ code: 'job_failed', message: 'The job failed.' }]);
      for (const persona of ['operator', 'viewer'] as const) {
        const res = await api(persona).get(`/api/v1/operations/${id.toUpperCase()}`).expect(200);
        expect(res.body).not.toHaveProperty('diagnostics');
        expect(JSON.stringify(res.body)).not.toContain('ECONNREFUSED');
      }
    });
  });

  describe('bad input answers 4xx with a clear message, never 500', () => {
    const START = '/api/v1/workspaces/contoso-msp/environments/fabrikam/operations';
    const cases: { name: string; send: () => request.Test; status: number; code?: string; message: RegExp }[] = [
      { name: 'unknown operation type', send: () => api('owner').post(START).send({ type: 'inventory.explode' }), status: 400, code: 'unknown_operation_type', message: /Unknown operation type "inventory\.explode"\. Known types: .*inventory\.sync/ },
      { name: 'missing type', send: () => api('owner').post(START).send({}), status: 400, message: /type must be a string/ },
      { name: 'type not a string', send: () => api('owner').post(START).send({ type: 42 }), status: 400, message: /type must be a string/ },
      { name: 'unknown body field', send: () => api('owner').post(START).send({ type: 'inventory.sync', priority: 'high' }), status: 400, message: /property priority should not exist/ },
      { name: 'input not an object', send: () => api('owner').post(START).send({ type: 'inventory.sync', input: 'full' }), status: 400, message: /input must be a JSON object/ },
      { name: 'input the handler rejects', send: () => api('owner').post(START).send({ type: 'inventory.sync', input: { full: true } }), status: 400, code: 'invalid_input', message: /unexpected field "full"/ },
      { name: 'a JSON array body', send: () => api('owner').post(START).set('Content-Type', 'application/json').send('[1,2]'), status: 400, message: /type must be a string/ },
      { name: 'malformed JSON', send: () => api('owner').post(START).set('Content-Type', 'application/json').send('{"type": "inventory.sync",'), status: 400, message: /JSON/ },
      { name: 'no body', send: () => api('owner').post(START), status: 400, message: /type must be a string/ },
      { name: 'oversized body', send: () => api('owner').post(START).send({ type: 'inventory.sync', input: { blob: 'x'.repeat(110 * 1024) } }), status: 413, code: 'payload_too_large', message: /too large/ },
      { name: 'bad cursor', send: () => api('owner').get(`${OPS}?cursor=bm90LWEtY3Vyc29y`), status: 400, code: 'invalid_cursor', message: /cursor is not valid/ },
      { name: 'cursor with bad characters', send: () => api('owner').get(`${OPS}?cursor=${encodeURIComponent('{"a":1}')}`), status: 400, code: 'invalid_cursor', message: /cursor/ },
      { name: 'bad tab', send: () => api('owner').get(`${OPS}?tab=stale`), status: 400, message: /tab must be one of: all, active, active_stale_attention, terminal_follow_up, reconciled/ },
      { name: 'repeated tab', send: () => api('owner').get(`${OPS}?tab=all&tab=active`), status: 400, message: /tab must be one of/ },
      { name: 'bad status', send: () => api('owner').get(`${OPS}?status=done`), status: 400, message: /status must be one of: queued, running, completed/ },
      { name: 'bad outcome', send: () => api('owner').get(`${OPS}?outcome=ok`), status: 400, message: /outcome must be one of: pending, succeeded/ },
      { name: 'limit 0', send: () => api('owner').get(`${OPS}?limit=0`), status: 400, message: /limit must be a whole number between 1 and 200/ },
      { name: 'limit 201', send: () => api('owner').get(`${OPS}?limit=201`), status: 400, message: /limit must be a whole number between 1 and 200/ },
      { name: 'limit not a number', send: () => api('owner').get(`${OPS}?limit=lots`), status: 400, message: /limit must be a whole number/ },
      { name: 'unknown query parameter', send: () => api('owner').get(`${OPS}?sort=asc`), status: 400, message: /property sort should not exist/ },
      { name: 'unknown type filter', send: () => api('owner').get(`${OPS}?type=nope`), status: 400, code: 'unknown_operation_type', message: /Unknown operation type "nope"/ },
      { name: 'unknown environment filter', send: () => api('owner').get(`${OPS}?environment=atlantis`), status: 404, code: 'not_found', message: /^Not found\.$/ },
    ];

    it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
      const res = await c.send();
      expect(res.status).toBe(c.status);
      expect(res.body.error.message).toMatch(c.message);
      if (c.code) expect(res.body.error.code).toBe(c.code);
    });

    it('an unknown run id and a malformed one give the same 404', async () => {
      for (const id of [randomUUID(), 'x', '1 or 1=1', '00000000-0000-0000-0000-00000000000g']) {
        const res = await api('owner').get(`/api/v1/operations/${encodeURIComponent(id)}`);
        expect({ status: res.status, body: res.body }).toEqual({ status: 404, body: NOT_FOUND_BODY });
      }
    });
  });

  describe('OpenAPI', () => {
    it('serves the document for every /api/v1 route with bearer auth, and the UI', async () => {
      const res = await request(server()).get('/api/docs-json').expect(200);
      expect(res.body.openapi).toMatch(/^3\./);
      const paths = Object.keys(res.body.paths);
      expect(paths).toEqual(
        expect.arrayContaining([
          '/api/v1/me',
          '/api/v1/operations/{id}',
          '/api/v1/workspaces',
          '/api/v1/workspaces/{workspace}/environments',
          '/api/v1/workspaces/{workspace}/environments/{environment}/operations',
          '/api/v1/workspaces/{workspace}/operations',
        ]),
      );
      // Pages, probes and metrics are not part of the API document.
      expect(paths.every((p) => p.startsWith('/api/v1/'))).toBe(true);
      const list = res.body.paths['/api/v1/workspaces/{workspace}/operations'].get;
      expect(list.parameters.map((p: { name: string }) => p.name)).toEqual(
        expect.arrayContaining(['workspace', 'tab', 'environment', 'type', 'status', 'outcome', 'limit', 'cursor']),
      );
      expect(res.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
      expect(res.body.components.schemas).toHaveProperty('RunResourceDoc');
      const ui = await request(server()).get('/api/docs').redirects(1);
      expect(ui.status).toBe(200);
      expect(ui.text).toContain('swagger');
    });
  });
});

describe('operations JSON API with the job queue unreachable', () => {
  let t: TestApp;
  let scope: DemoScope;
  let personas: ApiPersonas;

  beforeAll(async () => {
    t = await startTestApp({ roles: ['web'], env: { REDIS_URL: 'redis://127.0.0.1:1' } });
    scope = await seedDemoScope(t);
    personas = await issueDemoTokens(t.db, scope);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('answers 503 dispatch_failed naming the failed run it recorded, leaves no queued run behind and audits the request', async () => {
    const res = await request(t.app.getHttpServer())
      .post('/api/v1/workspaces/contoso-msp/environments/contoso-hq/operations')
      .set(personas.auth('owner'))
      .send({ type: 'inventory.sync' });
    expect(res.status).toBe(503);
    const runs = await t.db.query<{ id: string; status: string; outcome: string }>('select id, status, outcome from operation_runs');
    expect(runs).toEqual([{ id: expect.any(String), status: 'completed', outcome: 'failed' }]);
    expect(res.body.error).toEqual({
      code: 'dispatch_failed',
      message: expect.stringContaining('job queue is unreachable'),
      run_id: runs[0].id,
    });
    const run = await request(t.app.getHttpServer()).get(`/api/v1/operations/${res.body.error.run_id}`).set(personas.auth('owner'));
    expect(run.body).toMatchObject({ status: 'completed', outcome: 'failed', failures: [{ code: 'dispatch_failed' }] });
    const [event] = await t.db.query<{ subject_id: string; metadata: Record<string, unknown> }>(
      `select subject_id, metadata from audit_events where action = 'operation.start_requested'`,
    );
    expect(event).toEqual({ subject_id: runs[0].id, metadata: { type: 'inventory.sync', created: true, dispatch_failed: true } });
  });
});
