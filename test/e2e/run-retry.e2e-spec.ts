import request from 'supertest';
import { DEMO_USERS } from '../../src/cli/demo-seed';
import { computeRunFingerprint } from '../../src/modules/operations/core/run-fingerprint';
import { OperationRunService } from '../../src/modules/operations/core/operation-run.service';
import { ApiPersonas, issueDemoTokens } from '../support/api-personas';
import { signInAs } from '../support/browser-session';
import { insertRunRow } from '../support/run-rows';
import { DemoScope, seedDemoScope } from '../support/seed';
import { TEST_OPERATION_TYPES, TestHandlersModule } from '../support/test-handlers';
import { startTestApp, TestApp, waitFor } from '../support/test-app';

/**
 * Retry (issue 17) over real PostgreSQL, Redis and a worker: lineage both ways, dedupe against an
 * identical active run, the refusals (409 / 403 / 404), and a successful retry taking the failed
 * run out of Needs follow-up. `test.noop` succeeds at once; its input is kept as given.
 */
describe('retry a run (real PostgreSQL + Redis + worker)', () => {
  let t: TestApp;
  let scope: DemoScope;
  let api: ApiPersonas;
  const http = () => request(t.app.getHttpServer());

  beforeAll(async () => {
    t = await startTestApp({ roles: ['web', 'worker'], extraTypes: TEST_OPERATION_TYPES, imports: [TestHandlersModule] });
    scope = await seedDemoScope(t);
    api = await issueDemoTokens(t.db, scope);
  });
  afterAll(() => t?.close());

  /**
   * A failed `test.noop {n}` in contoso-hq, with the fingerprint a start of `{n}` computes (any
   * member may start test.noop), or a failed run of `type` (inventory.sync: a viewer may not).
   */
  async function failedNoop(n: number, environment = 'contoso-hq', type = 'test.noop'): Promise<string> {
    const environmentId = scope.environmentIds[environment];
    const id = await insertRunRow(t.db, {
      workspaceId: scope.workspaceId,
      environmentId,
      type,
      status: 'completed',
      outcome: 'failed',
      context: { inputs: type === 'test.noop' ? { n } : {}, failures: [{ code: 'job_failed', message: 'It failed.' }] },
    });
    const fingerprint = computeRunFingerprint({ type, workspaceId: scope.workspaceId, environmentId, basis: { n } });
    await t.db.query(`update operation_runs set fingerprint = $2 where id = $1`, [id, fingerprint]);
    return id;
  }

  it('a failed run retried: 202, lineage both ways, and its success takes the old run out of Needs follow-up', async () => {
    const old = await failedNoop(1);
    const res = await http().post(`/api/v1/operations/${old}/retry`).set(api.auth('operator'));
    expect(res.status).toBe(202);
    expect(res.body.created).toBe(true);
    expect(res.body.run).toMatchObject({ type: 'test.noop', retry_of: old, retried_as: null, initiator: { id: scope.userIds.operator } });
    expect(res.body.run.presentation.links.retry_of).toBe(`/operations/${old}`);
    const retry = res.body.run.id as string;

    const service = t.get<OperationRunService>(OperationRunService);
    const done = await waitFor(() => service.findById(retry), (r) => r?.status === 'completed', { what: 'the retry to finish' });
    expect(done).toMatchObject({ outcome: 'succeeded', context: { inputs: { n: 1 } } });

    const before = await http().get(`/api/v1/operations/${old}`).set(api.auth('owner'));
    expect(before.body).toMatchObject({ retried_as: retry, problem_class: 'none' });
    expect(before.body.presentation.links).toMatchObject({ retried_as: `/operations/${retry}`, superseded_by: `/operations/${retry}` });
    const audit = await t.db.query<{ metadata: Record<string, unknown> }>(
      `select metadata from audit_events where action = 'operation.start_requested' and subject_id = $1`,
      [retry],
    );
    expect(audit).toEqual([{ metadata: { type: 'test.noop', created: true, retry_of: old } }]);
  });

  it('an identical run already active is returned (200, created: false)', async () => {
    // A web-only app over the same database: its queue has no worker, so the first retry stays queued.
    const web = await startTestApp({ roles: ['web'], database: t.db, queuePrefix: `${t.config.queuePrefix}_web`, extraTypes: TEST_OPERATION_TYPES, imports: [TestHandlersModule] });
    try {
      const old = await failedNoop(2);
      const first = await request(web.app.getHttpServer()).post(`/api/v1/operations/${old}/retry`).set(api.auth('owner'));
      expect(first.status).toBe(202);
      const second = await request(web.app.getHttpServer()).post(`/api/v1/operations/${old}/retry`).set(api.auth('owner'));
      expect(second.status).toBe(200);
      expect(second.body).toMatchObject({ created: false, run: { id: first.body.run.id } });
    } finally {
      await web.close({ keepDatabase: true });
    }
  });

  it('refuses what is not retryable (409), a viewer (403) and anything outside scope (404, like a missing run)', async () => {
    const succeeded = await insertRunRow(t.db, { workspaceId: scope.workspaceId, environmentId: scope.environmentIds['contoso-hq'], type: 'test.noop', status: 'completed' });
    const running = await insertRunRow(t.db, { workspaceId: scope.workspaceId, environmentId: scope.environmentIds['contoso-hq'], type: 'test.noop', status: 'running', heartbeatAgoS: 1 });
    for (const id of [succeeded, running]) {
      const res = await http().post(`/api/v1/operations/${id}/retry`).set(api.auth('owner'));
      expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 409, code: 'run_not_retryable' });
    }
    const old = await failedNoop(3, 'contoso-hq', 'inventory.sync');
    const viewer = await http().post(`/api/v1/operations/${old}/retry`).set(api.auth('viewer'));
    expect({ status: viewer.status, code: viewer.body.error?.code }).toEqual({ status: 403, code: 'forbidden' });
    const hidden = await failedNoop(4, 'northwind');
    const outside = await http().post(`/api/v1/operations/${hidden}/retry`).set(api.auth('operator'));
    const missing = await http().post('/api/v1/operations/00000000-0000-4000-8000-0000000000ff/retry').set(api.auth('operator'));
    expect({ status: outside.status, body: outside.body }).toEqual({ status: missing.status, body: missing.body });
    expect(outside.status).toBe(404);
    const [count] = await t.db.query<{ n: string }>(`select count(*) as n from operation_runs where context->>'retry_of' in ($1, $2)`, [old, hidden]);
    expect(Number(count.n)).toBe(0);
  });

  it('an archived environment takes no retry either (409 environment_archived); restored, it does', async () => {
    const old = await failedNoop(6);
    await t.db.query(`update managed_environments set archived_at = now() where id = $1`, [scope.environmentIds['contoso-hq']]);
    try {
      const refused = await http().post(`/api/v1/operations/${old}/retry`).set(api.auth('owner'));
      expect({ status: refused.status, code: refused.body.error?.code }).toEqual({ status: 409, code: 'environment_archived' });
      const [count] = await t.db.query<{ n: string }>(`select count(*) as n from operation_runs where context->>'retry_of' = $1`, [old]);
      expect(Number(count.n)).toBe(0);
    } finally {
      await t.db.query(`update managed_environments set archived_at = null where id = $1`, [scope.environmentIds['contoso-hq']]);
    }
    expect((await http().post(`/api/v1/operations/${old}/retry`).set(api.auth('owner'))).status).toBe(202);
  });

  it('the run page offers Retry to those who may start the type; the form opens the new run, which links back', async () => {
    const old = await failedNoop(5, 'contoso-hq', 'inventory.sync');
    const cookie = await signInAs(t, DEMO_USERS.find((u) => u.key === 'operator')!.email, scope.password);
    const viewerCookie = await signInAs(t, DEMO_USERS.find((u) => u.key === 'viewer')!.email, scope.password);
    const page = (c: string, path: string) => http().get(path).set('Cookie', c).set('Accept', 'text/html');
    expect((await page(viewerCookie, `/operations/${old}`)).text).not.toContain('data-testid="retry-run"');
    const shown = await page(cookie, `/operations/${old}`);
    expect(shown.text).toContain(`action="/operations/${old}/retry"`);
    const [{ csrf_token }] = await t.db.query<{ csrf_token: string }>(
      'select csrf_token from sessions where user_id = $1 order by created_at desc limit 1',
      [scope.userIds.operator],
    );
    const posted = await http().post(`/operations/${old}/retry`).set('Cookie', cookie).set('Accept', 'text/html').type('form').send({ _csrf: csrf_token });
    expect(posted.status).toBe(303);
    const newPage = await page(cookie, posted.headers.location);
    expect(newPage.status).toBe(200);
    expect(newPage.text).toContain(`Retry of <a href="/operations/${old}">`);
    expect((await page(cookie, `/operations/${old}`)).text).toContain(`Retried as <a href="${posted.headers.location}">`);
  });
});
