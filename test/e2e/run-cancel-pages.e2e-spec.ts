import request from 'supertest';
import { DEMO_USERS, DemoUserKey } from '../../src/cli/demo-seed';
import { signInAs } from '../support/browser-session';
import { insertRunRow } from '../support/run-rows';
import { DemoScope, seedDemoScope } from '../support/seed';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * The run page's cancel (issue 17): the button only for those who may use it, a confirmation page,
 * a CSRF-checked form over the same use case as the API, and the run page saying it waits for the
 * worker afterwards. No worker runs, so planted rows stay as written until the form acts.
 */
describe('cancel from the run page', () => {
  let t: TestApp;
  let scope: DemoScope;
  const cookies = {} as Record<DemoUserKey, string>;
  const http = () => request(t.app.getHttpServer());
  const page = (persona: DemoUserKey, path: string) => http().get(path).set('Cookie', cookies[persona]).set('Accept', 'text/html');
  const csrfOf = async (persona: DemoUserKey) =>
    (await t.db.query<{ csrf_token: string }>('select csrf_token from sessions where user_id = $1 order by created_at desc limit 1', [scope.userIds[persona]]))[0]
      .csrf_token;
  const running = (environment = 'contoso-hq') =>
    insertRunRow(t.db, { workspaceId: scope.workspaceId, environmentId: scope.environmentIds[environment], type: 'inventory.sync', status: 'running', createdAgoS: 5, heartbeatAgoS: 1 });

  beforeAll(async () => {
    t = await startTestApp({ roles: ['web'] });
    scope = await seedDemoScope(t);
    for (const key of ['owner', 'operator', 'viewer', 'outsider'] as DemoUserKey[]) {
      cookies[key] = await signInAs(t, DEMO_USERS.find((u) => u.key === key)!.email, scope.password);
    }
  });
  afterAll(() => t?.close());

  it('offers the button to those who may cancel, never to a viewer', async () => {
    const id = await running();
    for (const persona of ['owner', 'operator'] as DemoUserKey[]) {
      const res = await page(persona, `/operations/${id}`);
      expect(res.status).toBe(200);
      expect(res.text).toContain(`href="/operations/${id}/cancel" data-testid="cancel-run"`);
    }
    const viewer = await page('viewer', `/operations/${id}`);
    expect(viewer.status).toBe(200);
    expect(viewer.text).not.toContain('data-testid="cancel-run"');
    expect((await page('viewer', `/operations/${id}/cancel`)).status).toBe(403);
    expect((await page('outsider', `/operations/${id}/cancel`)).status).toBe(404);
  });

  it('confirm, post with the session CSRF token, and the run page waits for the worker', async () => {
    const id = await running();
    const confirm = await page('operator', `/operations/${id}/cancel`);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('data-testid="cancel-confirmation"');
    expect(confirm.text).toMatch(/stops when it next reports \(within 5 s\)/);

    const noCsrf = await http().post(`/operations/${id}/cancel`).set('Cookie', cookies.operator).set('Accept', 'text/html').type('form').send({});
    expect(noCsrf.status).toBe(403);
    const [before] = await t.db.query<{ c: unknown }>(`select context->'cancellation' as c from operation_runs where id = $1`, [id]);
    expect(before.c).toBeNull();

    const posted = await http()
      .post(`/operations/${id}/cancel`)
      .set('Cookie', cookies.operator)
      .set('Accept', 'text/html')
      .type('form')
      .send({ _csrf: await csrfOf('operator') });
    expect(posted.status).toBe(303);
    expect(posted.headers.location).toBe(`/operations/${id}`);
    const after = await page('operator', `/operations/${id}`);
    expect(after.text).toMatch(/Cancel requested \d+ s ago — waiting for the worker to stop\./);
    expect(after.text).not.toContain('data-testid="cancel-run"');
    // The hub's row says it too (a badge every surface renders), not only the run page.
    const hub = await page('operator', `/w/contoso-msp/operations?tab=active`);
    const row = hub.text.slice(hub.text.indexOf(`data-run-id="${id}"`));
    expect(row.slice(0, row.indexOf('</tr>'))).toContain('Cancel requested');
    const live = await page('operator', `/operations/${id}/live`);
    expect(live.text).toMatch(/Cancel requested \d+ s ago — waiting for the worker to stop\./);
  });

  it('a queued run is cancelled by the form at once; a completed one answers 409 with a page', async () => {
    const queued = await insertRunRow(t.db, { workspaceId: scope.workspaceId, environmentId: scope.environmentIds['contoso-hq'], type: 'inventory.sync', status: 'queued', createdAgoS: 5 });
    const csrf = await csrfOf('owner');
    const posted = await http().post(`/operations/${queued}/cancel`).set('Cookie', cookies.owner).set('Accept', 'text/html').type('form').send({ _csrf: csrf });
    expect(posted.status).toBe(303);
    const [row] = await t.db.query<{ status: string; outcome: string }>(`select status, outcome from operation_runs where id = $1`, [queued]);
    expect(row).toEqual({ status: 'completed', outcome: 'cancelled' });
    const again = await http().post(`/operations/${queued}/cancel`).set('Cookie', cookies.owner).set('Accept', 'text/html').type('form').send({ _csrf: csrf });
    expect(again.status).toBe(409);
    expect(again.type).toBe('text/html');
    expect(again.text).toContain('The run has already completed; there is nothing to cancel.');
    expect((await page('owner', `/operations/${queued}/cancel`)).status).toBe(409);
  });
});
