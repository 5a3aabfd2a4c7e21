import request from 'supertest';
import { DEMO_USERS } from '../../src/cli/demo-seed';
import { OperationRunService } from '../../src/modules/operations/core/operation-run.service';
import { LifecycleReconciler } from '../../src/modules/reconciliation/core/lifecycle-reconciler';
import { ApiPersonas, issueDemoTokens, NOT_FOUND_BODY } from '../support/api-personas';
import { signInAs } from '../support/browser-session';
import { insertRunRow } from '../support/run-rows';
import { DemoScope, seedDemoScope } from '../support/seed';
import { TEST_OPERATION_TYPES, TestHandlersModule } from '../support/test-handlers';
import { startTestApp, TestApp, waitFor } from '../support/test-app';

/**
 * Bulk cancel, bulk retry and fan-out (issue 17) over real PostgreSQL, Redis and a worker: each
 * is an operation run that acts for its initiator, within their scope as the worker reads it,
 * records the runs it touched and ends with an honest, counted outcome.
 */
describe('bulk actions and fan-out (real PostgreSQL + Redis + worker)', () => {
  let t: TestApp;
  let scope: DemoScope;
  let api: ApiPersonas;
  const http = () => request(t.app.getHttpServer());
  const WS = '/api/v1/workspaces/contoso-msp';

  beforeAll(async () => {
    t = await startTestApp({ roles: ['web', 'worker'], extraTypes: TEST_OPERATION_TYPES, imports: [TestHandlersModule] });
    scope = await seedDemoScope(t);
    api = await issueDemoTokens(t.db, scope);
  });
  afterAll(() => t?.close());
  // Each case starts from no runs (row deletes keep the tab-count summary exact).
  beforeEach(async () => {
    await t.db.query(`delete from operation_runs`);
    await t.db.query(`update managed_environments set archived_at = null`);
  });

  const service = () => t.get<OperationRunService>(OperationRunService);
  const finished = (id: string) =>
    waitFor(() => service().findById(id), (r) => r?.status === 'completed', { what: `bulk run ${id} to finish` });
  const run = (environment: string | null, status: 'queued' | 'running' | 'completed', outcome?: string, workspaceId = scope.workspaceId) =>
    insertRunRow(t.db, {
      workspaceId,
      environmentId: environment ? scope.environmentIds[environment] : null,
      type: 'test.noop',
      status,
      outcome,
      heartbeatAgoS: status === 'running' ? 1 : undefined,
      context: status === 'completed' && outcome === 'failed' ? { inputs: {}, failures: [{ code: 'job_failed', message: 'It failed.' }] } : undefined,
    });
  const statusOf = async (id: string) => (await service().findById(id))!;
  const children = async (id: string, persona: 'owner' | 'operator' | 'viewer' = 'owner') =>
    (await http().get(`/api/v1/operations/${id}/children`).set(api.auth(persona))).body;

  it('bulk cancel: the active runs of the view within scope, counted exactly; other workspaces and finished runs untouched', async () => {
    const queued = [await run('contoso-hq', 'queued'), await run('northwind', 'queued')];
    const running = await run('fabrikam', 'running');
    const done = await run('contoso-hq', 'completed');
    const [tailspin] = await t.db.query<{ id: string }>(`select id from workspaces where slug = 'tailspin-msp'`);
    const elsewhere = await run(null, 'queued', undefined, tailspin.id);

    const res = await http().post(`${WS}/operations/bulk`).set(api.auth('owner')).send({ action: 'cancel', filter: { tab: 'active' } });
    expect(res.status).toBe(202);
    expect(res.body.run).toMatchObject({ type: 'operations.bulk_cancel', environment: null, initiator: { id: scope.userIds.owner } });
    // Linked from its first moment: every surface shows where the runs it touches are listed.
    expect(res.body.run.related).toMatchObject({ type: 'run_children', id: res.body.run.id });
    const bulk = (await finished(res.body.run.id))!;
    expect(bulk).toMatchObject({ outcome: 'succeeded', summaryCounts: { total: 3, processed: 3, succeeded: 3, skipped: 0, failed: 0 } });

    for (const id of queued) expect(await statusOf(id)).toMatchObject({ status: 'completed', outcome: 'cancelled' });
    expect((await statusOf(running)).context.cancellation).toMatchObject({ requested_by: scope.userIds.owner });
    expect(await statusOf(done)).toMatchObject({ outcome: 'succeeded' });
    expect(await statusOf(elsewhere)).toMatchObject({ status: 'queued' });

    const listed = await children(bulk.id);
    expect(listed.next_cursor).toBeNull();
    expect(listed.items.map((c: { run: { id: string }; result: string }) => [c.run.id, c.result]).sort()).toEqual(
      [[queued[0], 'cancelled'], [queued[1], 'cancelled'], [running, 'cancel_requested']].sort(),
    );
    const audit = await t.db.query<{ n: string }>(
      `select count(*) as n from audit_events where action = 'operation.cancel_requested' and actor_user_id = $1`,
      [scope.userIds.owner],
    );
    expect(Number(audit[0].n)).toBe(3);
    // A limited member cannot see a workspace-level run, nor its children.
    expect((await http().get(`/api/v1/operations/${bulk.id}/children`).set(api.auth('operator'))).body).toEqual(NOT_FOUND_BODY);
  });

  it('a limited member acts in bulk within one of their environments; across environments is a 403, a hidden one a 404', async () => {
    const mine = await run('contoso-hq', 'queued');
    const sibling = await run('fabrikam', 'queued');
    const hidden = await run('northwind', 'queued');

    const across = await http().post(`${WS}/operations/bulk`).set(api.auth('operator')).send({ action: 'cancel' });
    expect({ status: across.status, code: across.body.error?.code }).toEqual({ status: 403, code: 'needs_every_environment' });
    const hiddenEnv = await http().post(`${WS}/operations/bulk`).set(api.auth('operator')).send({ action: 'cancel', filter: { environment: 'northwind' } });
    const unknownEnv = await http().post(`${WS}/operations/bulk`).set(api.auth('operator')).send({ action: 'cancel', filter: { environment: 'nowhere' } });
    expect({ status: hiddenEnv.status, body: hiddenEnv.body }).toEqual({ status: 404, body: unknownEnv.body });

    const res = await http().post(`${WS}/operations/bulk`).set(api.auth('operator')).send({ action: 'cancel', filter: { environment: 'contoso-hq' } });
    expect(res.status).toBe(202);
    expect(res.body.run.environment).toMatchObject({ slug: 'contoso-hq' });
    const bulk = (await finished(res.body.run.id))!;
    expect(bulk.summaryCounts).toMatchObject({ total: 1, succeeded: 1 });
    expect(await statusOf(mine)).toMatchObject({ outcome: 'cancelled' });
    expect(await statusOf(sibling)).toMatchObject({ status: 'queued' });
    expect(await statusOf(hidden)).toMatchObject({ status: 'queued' });
    // An environment-level bulk run: its children are listed to whoever sees that environment.
    expect((await children(bulk.id, 'viewer')).items.map((c: { run: { id: string } }) => c.run.id)).toEqual([mine]);
  });

  it('the worker acts with the initiator\'s grants as they are then: a member who lost the environment touches nothing', async () => {
    const web = await startTestApp({ roles: ['web'], database: t.db, queuePrefix: `${t.config.queuePrefix}_web`, extraTypes: TEST_OPERATION_TYPES, imports: [TestHandlersModule] });
    try {
      const target = await run('fabrikam', 'queued');
      const res = await request(web.app.getHttpServer())
        .post(`${WS}/operations/bulk`)
        .set(api.auth('operator'))
        .send({ action: 'cancel', filter: { environment: 'fabrikam' } });
      expect(res.status).toBe(202);
      // The operator loses fabrikam before any worker picks the bulk run up.
      await t.db.query(
        `delete from membership_environments where environment_id = $1 and membership_id in (select id from memberships where user_id = $2)`,
        [scope.environmentIds.fabrikam, scope.userIds.operator],
      );
      const bulkId = res.body.run.id as string;
      const worker = await startTestApp({ roles: ['worker'], database: t.db, queuePrefix: `${t.config.queuePrefix}_web`, extraTypes: TEST_OPERATION_TYPES, imports: [TestHandlersModule] });
      try {
        const bulk = (await finished(bulkId))!;
        expect(bulk.outcome).toBe('blocked');
      } finally {
        await worker.close({ keepDatabase: true });
      }
      expect(await statusOf(target)).toMatchObject({ status: 'queued' });
      const [{ n }] = await t.db.query<{ n: string }>(`select count(*) as n from operation_run_children where parent_run_id = $1`, [bulkId]);
      expect(Number(n)).toBe(0);
    } finally {
      await web.close({ keepDatabase: true });
      await t.db.query(
        `insert into membership_environments (membership_id, environment_id)
         select id, $1 from memberships where user_id = $2 on conflict do nothing`,
        [scope.environmentIds.fabrikam, scope.userIds.operator],
      );
    }
  });

  it('bulk retry: each retryable run of the view retried once, with lineage; a second bulk retry finds nothing left', async () => {
    const failed = [await run('contoso-hq', 'completed', 'failed'), await run('fabrikam', 'completed', 'blocked')];
    await run('contoso-hq', 'completed', 'succeeded');
    const res = await http().post(`${WS}/operations/bulk`).set(api.auth('owner')).send({ action: 'retry', filter: { tab: 'terminal_follow_up' } });
    expect(res.status).toBe(202);
    const bulk = (await finished(res.body.run.id))!;
    expect(bulk).toMatchObject({ outcome: 'succeeded', summaryCounts: { total: 2, succeeded: 2 } });
    const listed = await children(bulk.id);
    expect(listed.items.map((c: { result: string; run: { retry_of: string } }) => [c.result, c.run.retry_of]).sort()).toEqual(
      failed.map((id) => ['retried', id]).sort(),
    );
    for (const id of failed) expect((await statusOf(id)).context.retried_as).toEqual(expect.any(String));

    const again = await http().post(`${WS}/operations/bulk`).set(api.auth('owner')).send({ action: 'retry' });
    const second = await finished(again.body.run.id);
    expect(second).toMatchObject({ outcome: 'succeeded', summaryCounts: { total: 0 } });
  });

  it('fan-out: one run per environment in use, archived ones skipped, deduped per environment; limited members and workspace-level types refused', async () => {
    await t.db.query(`update managed_environments set archived_at = now() where id = $1`, [scope.environmentIds.northwind]);
    const res = await http().post(`${WS}/operations/fan-out`).set(api.auth('owner')).send({ type: 'test.noop', environments: 'all', input: { n: 7 } });
    expect(res.status).toBe(202);
    expect(res.body.run).toMatchObject({ type: 'operations.fan_out', environment: null });
    const fan = (await finished(res.body.run.id))!;
    expect(fan).toMatchObject({ outcome: 'succeeded', summaryCounts: { total: 2, succeeded: 2 } });
    const listed = await children(fan.id);
    expect(listed.items.map((c: { result: string; run: { environment: { slug: string }; type: string } }) => [c.run.environment.slug, c.result, c.run.type]).sort()).toEqual([
      ['contoso-hq', 'started', 'test.noop'],
      ['fabrikam', 'started', 'test.noop'],
    ]);

    const named = await http().post(`${WS}/operations/fan-out`).set(api.auth('owner')).send({ type: 'test.noop', environments: ['northwind', 'fabrikam'] });
    const partial = (await finished(named.body.run.id))!;
    expect(partial).toMatchObject({ outcome: 'partially_succeeded', summaryCounts: { total: 2, succeeded: 1, skipped: 1 } });
    expect(partial.context.failures).toEqual([{ code: 'bulk_partial', message: '1 started; 1 skipped: archived.' }]);

    const limited = await http().post(`${WS}/operations/fan-out`).set(api.auth('operator')).send({ type: 'test.noop', environments: 'all' });
    expect({ status: limited.status, code: limited.body.error?.code }).toEqual({ status: 403, code: 'needs_every_environment' });
    const nested = await http().post(`${WS}/operations/fan-out`).set(api.auth('owner')).send({ type: 'operations.bulk_cancel', environments: 'all' });
    expect({ status: nested.status, code: nested.body.error?.code }).toEqual({ status: 400, code: 'workspace_level_type' });
    const unknown = await http().post(`${WS}/operations/fan-out`).set(api.auth('owner')).send({ type: 'test.noop', environments: ['nowhere'] });
    expect(unknown.body).toEqual(NOT_FOUND_BODY);
    const direct = await http().post(`${WS}/environments/contoso-hq/operations`).set(api.auth('owner')).send({ type: 'operations.fan_out' });
    expect({ status: direct.status, code: direct.body.error?.code }).toEqual({ status: 400, code: 'workspace_level_type' });
  });

  it('a stale bulk run whose worker is gone is reconciled from the runs it recorded: some → partially succeeded, none → failed', async () => {
    const stale = (type: string) =>
      insertRunRow(t.db, { workspaceId: scope.workspaceId, environmentId: null, type, status: 'running', createdAgoS: 3600, heartbeatAgoS: 3600, context: { inputs: { filter: {} } } });
    const halfDone = await stale('operations.bulk_cancel');
    const touched = await run('contoso-hq', 'completed', 'cancelled');
    await t.db.query(
      `insert into operation_run_children (parent_run_id, run_id, environment_id, result, recorded_at) values ($1, $2, $3, 'cancelled', now())`,
      [halfDone, touched, scope.environmentIds['contoso-hq']],
    );
    const nothing = await stale('operations.fan_out');
    const summary = await t.get<LifecycleReconciler>(LifecycleReconciler).sweep();
    expect(summary.by_reason).toMatchObject({ bulk_run_incomplete: 1, bulk_run_nothing_done: 1 });
    expect(await statusOf(halfDone)).toMatchObject({ outcome: 'partially_succeeded', context: { reconciliation: { adapter: 'bulk-cancel' }, related: { type: 'run_children' } } });
    expect(await statusOf(nothing)).toMatchObject({ outcome: 'failed', context: { reconciliation: { adapter: 'fan-out' } } });
    expect((await children(halfDone)).items.map((c: { run: { id: string } }) => c.run.id)).toEqual([touched]);
  });

  it('a baseline page compares every environment as one fan-out run (the profile read through each start)', async () => {
    const [profile] = await t.db.query<{ id: string }>(
      `insert into baseline_profiles (workspace_id, name, source_environment_id) values ($1, 'Fan-out baseline', $2) returning id`,
      [scope.workspaceId, scope.environmentIds['contoso-hq']],
    );
    await t.db.query(`insert into baseline_snapshots (profile_id, run_id, status, completed_at) values ($1, gen_random_uuid(), 'complete', now())`, [profile.id]);
    const owner = await signInAs(t, DEMO_USERS.find((u) => u.key === 'owner')!.email, scope.password);
    const detail = await http().get(`/w/contoso-msp/baselines/${profile.id}`).set('Cookie', owner).set('Accept', 'text/html');
    expect(detail.text).toContain('data-action="compare-all"');
    const [{ csrf_token }] = await t.db.query<{ csrf_token: string }>(
      'select csrf_token from sessions where user_id = $1 order by created_at desc limit 1',
      [scope.userIds.owner],
    );
    const posted = await http()
      .post('/w/contoso-msp/operations/fan-out')
      .set('Cookie', owner)
      .set('Accept', 'text/html')
      .type('form')
      .send({ _csrf: csrf_token, type: 'baseline.compare', baseline_id: profile.id, scope: 'all' });
    expect(posted.status).toBe(303);
    const fan = (await finished(posted.headers.location.replace('/operations/', '')))!;
    expect(fan.summaryCounts).toMatchObject({ total: 3 });
    const compares = await t.db.query<{ slug: string; baseline: string }>(
      `select e.slug, r.context->'inputs'->>'baseline_id' as baseline from operation_runs r join managed_environments e on e.id = r.environment_id
        where r.type = 'baseline.compare' order by e.slug`,
    );
    expect(compares).toEqual(['contoso-hq', 'fabrikam', 'northwind'].map((slug) => ({ slug, baseline: profile.id })));
    // The limited operator sees no such button: fan-out needs every environment.
    const operator = await signInAs(t, DEMO_USERS.find((u) => u.key === 'operator')!.email, scope.password);
    const theirs = await http().get(`/w/contoso-msp/baselines/${profile.id}`).set('Cookie', operator).set('Accept', 'text/html');
    expect(theirs.text).not.toContain('data-action="compare-all"');
  });

  it('pages: the hub offers bulk links to those who may use them; the confirmation states the exact count and starts the bulk run', async () => {
    await run('contoso-hq', 'queued');
    await run('fabrikam', 'queued');
    await run('northwind', 'completed');
    const owner = await signInAs(t, DEMO_USERS.find((u) => u.key === 'owner')!.email, scope.password);
    const viewer = await signInAs(t, DEMO_USERS.find((u) => u.key === 'viewer')!.email, scope.password);
    const page = (cookie: string, path: string) => http().get(path).set('Cookie', cookie).set('Accept', 'text/html');

    const hub = await page(owner, '/w/contoso-msp/operations?tab=active');
    expect(hub.text).toContain('href="/w/contoso-msp/operations/bulk/cancel?tab&#x3D;active"');
    expect((await page(viewer, '/w/contoso-msp/operations?tab=active')).text).not.toContain('data-testid="bulk-actions"');

    const confirm = await page(owner, '/w/contoso-msp/operations/bulk/cancel?tab=active');
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('Cancel 2 active runs?');
    expect((await page(viewer, '/w/contoso-msp/operations/bulk/cancel?tab=active')).status).toBe(403);

    const [{ csrf_token }] = await t.db.query<{ csrf_token: string }>(
      'select csrf_token from sessions where user_id = $1 order by created_at desc limit 1',
      [scope.userIds.owner],
    );
    const refused = await http().post('/w/contoso-msp/operations/bulk/cancel').set('Cookie', owner).type('form').send({ tab: 'active' });
    expect(refused.status).toBe(403);
    const posted = await http().post('/w/contoso-msp/operations/bulk/cancel').set('Cookie', owner).set('Accept', 'text/html').type('form').send({ _csrf: csrf_token, tab: 'active' });
    expect(posted.status).toBe(303);
    const bulkId = posted.headers.location.replace('/operations/', '');
    await finished(bulkId);
    const runPage = await page(owner, posted.headers.location);
    expect(runPage.text).toContain(`href="/operations/${bulkId}/children"`);
    const childrenPage = await page(owner, `/operations/${bulkId}/children`);
    expect(childrenPage.status).toBe(200);
    expect(childrenPage.text.match(/<tr class="child-acted">/g)).toHaveLength(2);
  });
});
