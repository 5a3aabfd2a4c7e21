import request from 'supertest';
import { DEMO_USERS } from '../../src/cli/demo-seed';
import { issueDemoTokens } from '../support/api-personas';
import { signInAs } from '../support/browser-session';
import { spyOnDriver } from '../support/driver-spy';
import { insertRunRow } from '../support/run-rows';
import { seedDemoScope } from '../support/seed';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Round trips on the hot paths, counted at the pg driver (the ORM's statements and the prepared
 * ones sent straight to a pooled connection alike): a regression here is a lookup repeated
 * within one request (shell, controller and use case all work from the one access context) or a
 * read that grows with the data (one per environment).
 */
describe('SQL statements per request on the hot paths', () => {
  let t: TestApp;
  let owner: { cookie: string; token: string };
  let runId: string;
  let workspaceId: string;
  let statements: string[] = [];
  let stopSpying: (() => void) | undefined;

  beforeAll(async () => {
    t = await startTestApp({ roles: ['web'] });
    const scope = await seedDemoScope(t);
    const tokens = await issueDemoTokens(t.db, scope);
    owner = { cookie: await signInAs(t, DEMO_USERS.find((u) => u.key === 'owner')!.email, scope.password), token: tokens.tokens.owner };
    workspaceId = scope.workspaceId;
    runId = await insertRunRow(t.db, { workspaceId: scope.workspaceId, environmentId: scope.environmentIds.fabrikam, type: 'inventory.sync', status: 'completed' });
    stopSpying = spyOnDriver((text) => statements.push(text.trim().split(/\s+/).slice(0, 4).join(' ')));
  });
  afterAll(async () => {
    stopSpying?.();
    await t?.close();
  });

  async function count(send: () => Promise<request.Response>): Promise<number> {
    await send(); // warm: boot-time and first-use queries are not the steady state
    statements = [];
    const res = await send();
    expect(res.status).toBe(200);
    return statements.length;
  }

  it('the operations API list: token (with the user\'s memberships and their workspaces), list (with its environment names)', async () => {
    const n = await count(() => request(t.app.getHttpServer()).get('/api/v1/workspaces/contoso-msp/operations').set('Authorization', `Bearer ${owner.token}`));
    expect(n).toBeLessThanOrEqual(2);
  });

  it('a run through the API: token (with grants), the run with its environment', async () => {
    const n = await count(() => request(t.app.getHttpServer()).get(`/api/v1/operations/${runId}`).set('Authorization', `Bearer ${owner.token}`));
    expect(n).toBeLessThanOrEqual(2);
  });

  it('the operations hub page', async () => {
    const n = await count(() => request(t.app.getHttpServer()).get('/w/contoso-msp/operations').set('Cookie', owner.cookie).set('Accept', 'text/html'));
    expect(n).toBeLessThanOrEqual(3);
  });

  it('the run page', async () => {
    const n = await count(() => request(t.app.getHttpServer()).get(`/operations/${runId}`).set('Cookie', owner.cookie).set('Accept', 'text/html'));
    expect(n).toBeLessThanOrEqual(3);
  });

  it('the workspace overview: as many statements with twelve more environments (one grouped read for the cards)', async () => {
    const overview = () => request(t.app.getHttpServer()).get('/w/contoso-msp').set('Cookie', owner.cookie).set('Accept', 'text/html');
    const before = await count(overview);
    for (let i = 0; i < 12; i++) {
      const [{ id }] = await t.db.query<{ id: string }>(
        `insert into managed_environments (workspace_id, slug, display_name) values ($1, $2, $3) returning id`,
        [workspaceId, `budget-${i}`, `Budget ${i}`],
      );
      await insertRunRow(t.db, { workspaceId, environmentId: id, type: 'inventory.sync', status: 'running' });
    }
    const after = await count(overview);
    const page = await overview();
    expect(page.text).toContain('Budget 11');
    expect(after).toBe(before);
    expect(after).toBeLessThanOrEqual(8);
  });
});
