import request from 'supertest';
import { OperationRunService } from '../../src/modules/operations/core/operation-run.service';
import { NotificationRunObserver } from '../../src/modules/notifications/adapters/notification-run-observer';
import { IdentityAdminService } from '../../src/modules/rbac/core/identity-admin.service';
import { DEMO_USERS, DemoUserKey } from '../../src/cli/demo-seed';
import { hiddenField, signInAs } from '../support/browser-session';
import { insertRunRow } from '../support/run-rows';
import { DemoScope, seedDemoScope } from '../support/seed';
import { startTestApp, TestApp, waitFor, waitForCompletedRun } from '../support/test-app';

/**
 * SPEC 7 over HTTP: a real run started by the operator from the start form notifies the operator
 * only, when it finishes; the bell counts it; the list links to the run; marking read zeroes the
 * bell; system runs notify nobody; notifications naming hidden environments appear nowhere.
 */
describe('notifications pages (real worker, PostgreSQL, Redis)', () => {
  let t: TestApp;
  let scope: DemoScope;
  let runs: OperationRunService;
  const cookies = {} as Record<Exclude<DemoUserKey, 'outsider'>, string>;
  const http = () => request(t.app.getHttpServer());
  const page = (who: keyof typeof cookies, path = '/notifications') =>
    http().get(path).set('Cookie', cookies[who]).set('Accept', 'text/html');
  const bell = async (who: keyof typeof cookies): Promise<number> => {
    const res = await page(who).expect(200);
    const label = /aria-label="Notifications, (\d+) unread"/.exec(res.text);
    if (!label) throw new Error('no notification bell on the page');
    return Number(label[1]);
  };
  const notificationsOf = (runId: string) =>
    t.db.query<{ user_id: string }>('select user_id from notifications where run_id = $1', [runId]);
  /** Walks a planted run through the one writer: running, then completed. */
  const finish = async (runId: string, outcome: 'succeeded' | 'failed' = 'succeeded') => {
    const running = await runs.beginAttempt(runId);
    expect(running?.status).toBe('running');
    return runs.complete(running!, { outcome, failures: outcome === 'failed' ? [{ code: 'boom', message: 'raw provider error 0xDEAD' }] : undefined }, { source: 'test', ownAttemptOnly: false });
  };

  beforeAll(async () => {
    t = await startTestApp({ roles: ['web', 'worker'] });
    scope = await seedDemoScope(t);
    runs = t.get<OperationRunService>(OperationRunService);
    for (const key of ['owner', 'operator', 'viewer'] as const) {
      cookies[key] = await signInAs(t, DEMO_USERS.find((u) => u.key === key)!.email, scope.password);
    }
  });
  afterAll(() => t?.close());

  it('starts with an empty inbox and a zero bell for everyone', async () => {
    for (const who of ['owner', 'operator', 'viewer'] as const) expect(await bell(who)).toBe(0);
    const res = await page('operator').expect(200);
    expect(res.text).toContain('No notifications yet');
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('notifies the operator (and only the operator) when their inventory sync finishes, linking to the run', async () => {
    const form = await page('operator').expect(200);
    const csrf = hiddenField(form.text, '_csrf');
    const started = await http()
      .post('/w/contoso-msp/e/contoso-hq/operations')
      .set('Cookie', cookies.operator)
      .type('form')
      .send({ _csrf: csrf, type: 'inventory.sync', return_to: '/notifications' })
      .expect(303);
    const runId = new URL(started.headers.location, 'http://x').searchParams.get('started')!;
    expect(runId).toMatch(/^[0-9a-f-]{36}$/);

    const run = await waitForCompletedRun(runs, runId);
    expect(run.initiatorUserId).toBe(scope.userIds.operator);
    await waitFor(() => bell('operator'), (n) => n === 1, { what: 'the operator bell to show 1' });

    const list = await page('operator').expect(200);
    expect(list.text).toContain(`href="/operations/${runId}"`);
    const outcome = run.outcome === 'succeeded' ? 'succeeded' : run.outcome.replace('_', ' ');
    expect(list.text).toContain(`Inventory sync on Contoso HQ ${outcome}.`);
    expect(list.text).toMatch(/data-unread="true"/);
    expect(await notificationsOf(runId)).toEqual([{ user_id: scope.userIds.operator }]);
    for (const who of ['owner', 'viewer'] as const) {
      expect(await bell(who)).toBe(0);
      expect((await page(who).expect(200)).text).not.toContain(runId);
    }
  });

  it('notifies nobody while a run is queued or running, then its initiator once it completes (once only)', async () => {
    const runId = await insertRunRow(t.db, {
      workspaceId: scope.workspaceId,
      environmentId: scope.environmentIds['fabrikam'],
      type: 'baseline.compare',
      status: 'queued',
      createdAgoS: 5,
      initiatorUserId: scope.userIds.operator,
    });
    expect(await notificationsOf(runId)).toEqual([]);
    const running = await runs.beginAttempt(runId);
    expect(running?.status).toBe('running');
    expect(await notificationsOf(runId)).toEqual([]);
    const done = await runs.complete(running!, { outcome: 'failed', failures: [{ code: 'boom', message: 'raw provider error 0xDEAD' }] }, { source: 'test', ownAttemptOnly: false });
    expect(done?.status).toBe('completed');
    expect(await notificationsOf(runId)).toEqual([{ user_id: scope.userIds.operator }]);
    // The same completion observed again (a retried observer, a lost race) never notifies twice.
    await t.get<NotificationRunObserver>(NotificationRunObserver).onCompleted(done!);
    expect(await notificationsOf(runId)).toHaveLength(1);

    const list = await page('operator').expect(200);
    expect(list.text).toContain('Baseline compare on Fabrikam failed.');
    expect(list.text).not.toContain('0xDEAD'); // presenter wording, never raw error text
    expect(await bell('operator')).toBe(2);
  });

  it('notifies nobody for a system run (no initiator), through the service and the reconciler batch path', async () => {
    const direct = await insertRunRow(t.db, {
      workspaceId: scope.workspaceId,
      environmentId: scope.environmentIds['contoso-hq'],
      type: 'inventory.sync',
      status: 'queued',
      createdAgoS: 5,
      initiatorUserId: null,
    });
    await finish(direct, 'failed');
    const reconciled = await insertRunRow(t.db, {
      workspaceId: scope.workspaceId,
      environmentId: scope.environmentIds['contoso-hq'],
      type: 'inventory.sync',
      status: 'running',
      createdAgoS: 3600,
      initiatorUserId: null,
    });
    const mine = await insertRunRow(t.db, {
      workspaceId: scope.workspaceId,
      environmentId: scope.environmentIds['contoso-hq'],
      type: 'inventory.sync',
      status: 'running',
      createdAgoS: 3600,
      initiatorUserId: scope.userIds.owner,
    });
    const stale = await Promise.all([reconciled, mine].map(async (id) => (await runs.findById(id))!));
    const winners = await runs.reconcileMany(
      stale.map((run) => ({ run, outcome: 'failed' as const, reason: 'worker_lost', message: 'Reconciled: the worker stopped reporting; no result was recorded', source: 'scheduled_reconciler' as const })),
    );
    expect(winners).toHaveLength(2);
    expect(await notificationsOf(direct)).toEqual([]);
    expect(await notificationsOf(reconciled)).toEqual([]);
    // The batch path still notifies an initiator, with the reconciliation headline.
    expect(await notificationsOf(mine)).toEqual([{ user_id: scope.userIds.owner }]);
    const owner = await page('owner').expect(200);
    expect(owner.text).toContain('Inventory sync on Contoso HQ failed.');
    expect(owner.text).toContain('Reconciled: the worker stopped reporting; no result was recorded');
    expect(await bell('viewer')).toBe(0);
  });

  it('escapes user-controlled text in notifications', async () => {
    await t.db.query(`update managed_environments set display_name = '<script>alert(1)</script> Lab' where id = $1`, [
      scope.environmentIds['fabrikam'],
    ]);
    try {
      const runId = await insertRunRow(t.db, {
        workspaceId: scope.workspaceId,
        environmentId: scope.environmentIds['fabrikam'],
        type: 'inventory.sync',
        status: 'queued',
        createdAgoS: 5,
        initiatorUserId: scope.userIds.operator,
      });
      await finish(runId);
      const list = await page('operator').expect(200);
      expect(list.text).toContain('Inventory sync on &lt;script&gt;alert(1)&lt;/script&gt; Lab succeeded.');
      expect(list.text).not.toContain('<script>alert');
    } finally {
      await t.db.query(`update managed_environments set display_name = 'Fabrikam' where id = $1`, [scope.environmentIds['fabrikam']]);
    }
  });

  it('pages with an Older link, newest first, without repeating', async () => {
    for (let i = 0; i < 26; i += 1) {
      const runId = await insertRunRow(t.db, {
        workspaceId: scope.workspaceId,
        environmentId: scope.environmentIds['contoso-hq'],
        type: 'inventory.sync',
        status: 'completed',
        createdAgoS: 60,
        initiatorUserId: scope.userIds.viewer,
      });
      await t.db.query(
        `insert into notifications (user_id, run_id, workspace_id, environment_id, title, body, tone, created_at)
         values ($1, $2, $3, $4, $5, 'Completed successfully.', 'success', now() - make_interval(secs => $6))`,
        [scope.userIds.viewer, runId, scope.workspaceId, scope.environmentIds['contoso-hq'], `Planted ${String(i).padStart(2, '0')}.`, i],
      );
    }
    const first = await page('viewer').expect(200);
    const titles = (html: string) => [...html.matchAll(/<strong>Planted (\d\d)\.<\/strong>/g)].map((m) => m[1]);
    expect(titles(first.text)).toEqual(Array.from({ length: 25 }, (_, i) => String(i).padStart(2, '0')));
    const older = /<a href="([^"]+)" rel="next">Older<\/a>/.exec(first.text)?.[1];
    expect(older).toMatch(/^\/notifications\?cursor&#x3D;[A-Za-z0-9_-]+$/);
    const second = await page('viewer', older!.replace(/&#x3D;/g, '=')).expect(200);
    expect(titles(second.text)).toEqual(['25']);
    expect(second.text).not.toContain('rel="next"');
    await page('viewer', '/notifications?cursor=forged!').expect(400);
  });

  it('mark-all-read zeroes the bell (CSRF required); marking one read needs it to be yours', async () => {
    expect(await bell('viewer')).toBe(26);
    await http().post('/notifications/read').set('Cookie', cookies.viewer).type('form').send({}).expect(403);
    expect(await bell('viewer')).toBe(26);
    const [one] = await t.db.query<{ id: string }>('select id from notifications where user_id = $1 limit 1', [scope.userIds.viewer]);
    const ownerCsrf = hiddenField((await page('owner').expect(200)).text, '_csrf');
    // Someone else's notification is simply not found.
    await http().post(`/notifications/${one.id}/read`).set('Cookie', cookies.owner).set('Accept', 'text/html').type('form').send({ _csrf: ownerCsrf }).expect(404);
    const csrf = hiddenField((await page('viewer').expect(200)).text, '_csrf');
    const single = await http().post(`/notifications/${one.id}/read`).set('Cookie', cookies.viewer).type('form').send({ _csrf: csrf }).expect(303);
    expect(single.headers.location).toBe('/notifications');
    expect(await bell('viewer')).toBe(25);
    const all = await http().post('/notifications/read').set('Cookie', cookies.viewer).type('form').send({ _csrf: csrf }).expect(303);
    expect(all.headers.location).toBe('/notifications');
    expect(await bell('viewer')).toBe(0);
    const list = await page('viewer').expect(200);
    expect(list.text).not.toContain('data-unread="true"');
    expect(list.text).not.toContain('Mark all as read');
  });

  it('never shows a notification naming an environment the user may not see (now)', async () => {
    // The operator is limited to contoso-hq + fabrikam; a northwind run they once started still completes.
    const northwind = await insertRunRow(t.db, {
      workspaceId: scope.workspaceId,
      environmentId: scope.environmentIds['northwind'],
      type: 'inventory.sync',
      status: 'queued',
      createdAgoS: 5,
      initiatorUserId: scope.userIds.operator,
    });
    const before = await bell('operator');
    await finish(northwind);
    expect(await bell('operator')).toBe(before);
    let list = await page('operator').expect(200);
    expect(list.text).not.toContain('Northwind');
    expect(list.text).not.toContain(northwind);
    expect(list.text).toContain('on Fabrikam');

    // Membership shrinks to contoso-hq: the Fabrikam notifications disappear from list and bell.
    const identity = t.get<IdentityAdminService>(IdentityAdminService);
    await identity.setMembership(
      { email: 'operator@opsdeck.test', workspaceSlug: 'contoso-msp', role: 'operator', environmentSlugs: ['contoso-hq'] },
      { userId: null, label: 'test' },
    );
    list = await page('operator').expect(200);
    expect(list.text).not.toContain('Fabrikam');
    expect(list.text).not.toContain('Northwind');
    expect(list.text).toContain('on Contoso HQ');
    const visible = (await t.db.query<{ n: number }>(
      `select count(*)::int as n from notifications where user_id = $1 and read_at is null and environment_id = $2`,
      [scope.userIds.operator, scope.environmentIds['contoso-hq']],
    ))[0].n;
    expect(await bell('operator')).toBe(visible);
    // A hidden notification cannot be marked read either.
    const [hidden] = await t.db.query<{ id: string }>('select id from notifications where run_id = $1', [northwind]);
    const csrf = hiddenField(list.text, '_csrf');
    await http().post(`/notifications/${hidden.id}/read`).set('Cookie', cookies.operator).set('Accept', 'text/html').type('form').send({ _csrf: csrf }).expect(404);
  });

  it('answers 401 to an anonymous API-style request and sends a browser to the login page', async () => {
    await http().get('/notifications').expect(401);
    const res = await http().get('/notifications').set('Accept', 'text/html').expect(303);
    expect(res.headers.location).toMatch(/^\/login\?next=/);
  });
});
