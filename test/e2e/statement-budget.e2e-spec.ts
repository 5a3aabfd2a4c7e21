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
 * ones sent straight to a pooled connection alike): a regression here is a lookup that the
 * per-request memo no longer shares (shell, controller and use case all ask about the same
 * workspace, membership and environments).
 */
describe('SQL statements per request on the hot paths', () => {
  let t: TestApp;
  let owner: { cookie: string; token: string };
  let runId: string;
  let statements: string[] = [];
  let stopSpying: (() => void) | undefined;

  beforeAll(async () => {
    t = await startTestApp({ roles: ['web'] });
    const scope = await seedDemoScope(t);
    const tokens = await issueDemoTokens(t.db, scope);
    owner = { cookie: await signInAs(t, DEMO_USERS.find((u) => u.key === 'owner')!.email, scope.password), token: tokens.tokens.owner };
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
});
