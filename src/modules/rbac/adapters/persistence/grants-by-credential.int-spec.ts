import request from 'supertest';
import { DEMO_USERS } from '../../../../cli/demo-seed';
import { issueDemoTokens } from '../../../../../test/support/api-personas';
import { signInAs } from '../../../../../test/support/browser-session';
import { spyOnDriver } from '../../../../../test/support/driver-spy';
import { DemoScope, seedDemoScope } from '../../../../../test/support/seed';
import { startTestApp, TestApp } from '../../../../../test/support/test-app';

/**
 * An app instance holds the grants it last read per credential, and the session / token lookup
 * aggregates them again only when the user's grants_version moved. These tests change every
 * source of grants behind the app's back (plain SQL, as another instance or an admin would) and
 * require the very next request to see the change — and an unchanged user to cost no aggregate.
 */
describe('grants held per credential (real PostgreSQL)', () => {
  let t: TestApp;
  let scope: DemoScope;
  let tokens: Record<string, string>;
  let viewerCookie: string;
  /** The `grants` column of every lookup answer since the last reset: null means "you hold them". */
  let grantsSent: unknown[] = [];
  let stopSpying: (() => void) | undefined;

  beforeAll(async () => {
    t = await startTestApp({ roles: ['web'] });
    scope = await seedDemoScope(t);
    tokens = (await issueDemoTokens(t.db, scope)).tokens;
    viewerCookie = await signInAs(t, DEMO_USERS.find((u) => u.key === 'viewer')!.email, scope.password);
    stopSpying = spyOnDriver((text, result) => {
      if (text.includes('grants_version') && result instanceof Promise) {
        result.then((r: { rows?: { grants?: unknown }[] }) => r?.rows?.forEach((row) => grantsSent.push(row.grants)), () => undefined);
      }
    });
  });
  afterAll(async () => {
    stopSpying?.();
    await t?.close();
  });

  const api = (persona: string, path: string) =>
    request(t.app.getHttpServer()).get(path).set('Authorization', `Bearer ${tokens[persona]}`);
  const page = (path: string) => request(t.app.getHttpServer()).get(path).set('Cookie', viewerCookie).set('Accept', 'text/html');
  const membershipOf = async (user: 'viewer' | 'owner') =>
    (await t.db.query<{ id: string }>(`select id from memberships where user_id = $1 and workspace_id = $2`, [scope.userIds[user], scope.workspaceId]))[0]?.id;

  it('an unchanged user is answered from the held grants: the lookup sends none', async () => {
    expect((await api('owner', '/api/v1/workspaces')).status).toBe(200);
    grantsSent = [];
    const res = await api('owner', '/api/v1/workspaces');
    expect(res.status).toBe(200);
    expect(res.body.items.map((w: { slug: string }) => w.slug)).toEqual(['contoso-msp']);
    expect(grantsSent).toEqual([null]);
  });

  it('a removed membership is a 404 on the very next request, and a restored one works again', async () => {
    expect((await api('viewer', '/api/v1/workspaces/contoso-msp/operations')).status).toBe(200);
    const role = (await t.db.query<{ role: string }>(`select role from memberships where id = $1`, [await membershipOf('viewer')]))[0].role;
    await t.db.query(`delete from memberships where user_id = $1 and workspace_id = $2`, [scope.userIds.viewer, scope.workspaceId]);
    expect((await api('viewer', '/api/v1/workspaces/contoso-msp/operations')).status).toBe(404);
    expect((await page('/w/contoso-msp/operations')).status).toBe(404);
    await t.db.query(`insert into memberships (user_id, workspace_id, role) values ($1, $2, $3)`, [scope.userIds.viewer, scope.workspaceId, role]);
    expect((await api('viewer', '/api/v1/workspaces/contoso-msp/operations')).status).toBe(200);
    expect((await page('/w/contoso-msp/operations')).status).toBe(200);
  });

  it('narrowing and widening environment entitlements shows on the next request', async () => {
    const slugs = async () =>
      (await api('viewer', '/api/v1/workspaces/contoso-msp/environments')).body.items.map((e: { slug: string }) => e.slug).sort();
    expect(await slugs()).toEqual(['contoso-hq', 'fabrikam', 'northwind']);
    const membership = await membershipOf('viewer');
    await t.db.query(`update memberships set all_environments = false where id = $1`, [membership]);
    await t.db.query(`insert into membership_environments (membership_id, environment_id) values ($1, $2)`, [membership, scope.environmentIds.fabrikam]);
    expect(await slugs()).toEqual(['fabrikam']);
    await t.db.query(`insert into membership_environments (membership_id, environment_id) values ($1, $2)`, [membership, scope.environmentIds.northwind]);
    expect(await slugs()).toEqual(['fabrikam', 'northwind']);
    await t.db.query(`delete from membership_environments where membership_id = $1 and environment_id = $2`, [membership, scope.environmentIds.fabrikam]);
    expect(await slugs()).toEqual(['northwind']);
    await t.db.query(`delete from membership_environments where membership_id = $1`, [membership]);
    await t.db.query(`update memberships set all_environments = true where id = $1`, [membership]);
    expect(await slugs()).toEqual(['contoso-hq', 'fabrikam', 'northwind']);
  });

  it('a renamed workspace is named anew on the next request; a role change takes effect at once', async () => {
    expect((await api('owner', '/api/v1/workspaces')).body.items[0].name).not.toBe('Contoso Renamed');
    await t.db.query(`update workspaces set name = 'Contoso Renamed' where id = $1`, [scope.workspaceId]);
    expect((await api('owner', '/api/v1/workspaces')).body.items[0].name).toBe('Contoso Renamed');
    expect((await api('viewer', '/api/v1/workspaces')).body.items[0].name).toBe('Contoso Renamed');
    const capabilities = async () => (await api('viewer', '/api/v1/workspaces')).body.items[0].capabilities as string[];
    expect(await capabilities()).not.toContain('members.manage');
    await t.db.query(`update memberships set role = 'owner' where id = $1`, [await membershipOf('viewer')]);
    expect(await capabilities()).toContain('members.manage');
    await t.db.query(`update memberships set role = 'readonly' where id = $1`, [await membershipOf('viewer')]);
    expect(await capabilities()).not.toContain('members.manage');
  });

  it('a session and a token of the same user each follow the change', async () => {
    expect((await page('/w/contoso-msp/operations')).status).toBe(200);
    expect((await api('viewer', '/api/v1/workspaces/contoso-msp/operations')).status).toBe(200);
    await t.db.query(`update memberships set all_environments = false where id = $1`, [await membershipOf('viewer')]);
    // Entitled to no environment: the workspace stays visible, its environments do not.
    const html = (await page('/w/contoso-msp/operations')).text;
    expect(html).not.toContain('fabrikam');
    expect((await api('viewer', '/api/v1/workspaces/contoso-msp/environments')).body.items).toEqual([]);
    await t.db.query(`update memberships set all_environments = true where id = $1`, [await membershipOf('viewer')]);
    expect((await page('/w/contoso-msp/operations')).text).toContain('fabrikam');
  });
});
