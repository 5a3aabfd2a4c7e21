import request from 'supertest';
import { DEMO_USERS } from '../../../../cli/demo-seed';
import { signInAs } from '../../../../../test/support/browser-session';
import { spyOnDriver } from '../../../../../test/support/driver-spy';
import { DemoScope, seedDemoScope } from '../../../../../test/support/seed';
import { startTestApp, TestApp } from '../../../../../test/support/test-app';

/**
 * A workspace's environment list is held per app instance and served only while the request's
 * own grants read the workspace's current environments_version. These tests change environments
 * behind the app's back (plain SQL, as another instance or an admin would) and require the very
 * next page to show the change — and an unchanged workspace to cost no environment statement.
 */
describe('environment lists held per workspace (real PostgreSQL)', () => {
  let t: TestApp;
  let scope: DemoScope;
  let cookies: Record<'owner' | 'operator', string>;
  let statements: string[] = [];
  let stopSpying: (() => void) | undefined;

  beforeAll(async () => {
    t = await startTestApp({ roles: ['web'] });
    scope = await seedDemoScope(t);
    const cookieOf = (key: string) => signInAs(t, DEMO_USERS.find((u) => u.key === key)!.email, scope.password);
    cookies = { owner: await cookieOf('owner'), operator: await cookieOf('operator') };
    stopSpying = spyOnDriver((text) => statements.push(text));
  });
  afterAll(async () => {
    stopSpying?.();
    await t?.close();
  });

  /** The environment switcher of the page shell: the slugs it links to, in order. */
  const shellEnvironments = async (who: 'owner' | 'operator') => {
    const res = await request(t.app.getHttpServer()).get('/w/contoso-msp/operations').set('Cookie', cookies[who]).set('Accept', 'text/html');
    expect(res.status).toBe(200);
    return [...res.text.matchAll(/href="\/w\/contoso-msp\/e\/([a-z0-9-]+)"/g)].map((m) => m[1]).filter((v, i, a) => a.indexOf(v) === i);
  };

  it('an unchanged workspace is served its held list: no environment statement', async () => {
    expect(await shellEnvironments('owner')).toEqual(['contoso-hq', 'fabrikam', 'northwind']);
    statements = [];
    expect(await shellEnvironments('owner')).toEqual(['contoso-hq', 'fabrikam', 'northwind']);
    expect(statements.filter((s) => s.includes('managed_environments e on e.workspace_id'))).toEqual([]);
  });

  it('a new, a renamed and a deleted environment show on the very next page', async () => {
    await t.db.query(
      `insert into managed_environments (workspace_id, slug, display_name) values ($1, 'adatum', 'Adatum Corp')`,
      [scope.workspaceId],
    );
    expect(await shellEnvironments('owner')).toEqual(['adatum', 'contoso-hq', 'fabrikam', 'northwind']);
    await t.db.query(`update managed_environments set display_name = 'Adatum Renamed' where slug = 'adatum' and workspace_id = $1`, [scope.workspaceId]);
    const html = (await request(t.app.getHttpServer()).get('/w/contoso-msp/operations').set('Cookie', cookies.owner).set('Accept', 'text/html')).text;
    expect(html).toContain('Adatum Renamed');
    await t.db.query(`update managed_environments set slug = 'adatum-2' where slug = 'adatum' and workspace_id = $1`, [scope.workspaceId]);
    expect(await shellEnvironments('owner')).toEqual(['adatum-2', 'contoso-hq', 'fabrikam', 'northwind']);
    await t.db.query(`delete from managed_environments where slug = 'adatum-2' and workspace_id = $1`, [scope.workspaceId]);
    expect(await shellEnvironments('owner')).toEqual(['contoso-hq', 'fabrikam', 'northwind']);
  });

  it('a limited member sees only their environments from the same held list', async () => {
    expect(await shellEnvironments('owner')).toEqual(['contoso-hq', 'fabrikam', 'northwind']);
    expect(await shellEnvironments('operator')).toEqual(['contoso-hq', 'fabrikam']);
    await t.db.query(
      `insert into managed_environments (workspace_id, slug, display_name) values ($1, 'blue-yonder', 'Blue Yonder')`,
      [scope.workspaceId],
    );
    expect(await shellEnvironments('operator')).toEqual(['contoso-hq', 'fabrikam']);
    expect(await shellEnvironments('owner')).toEqual(['blue-yonder', 'contoso-hq', 'fabrikam', 'northwind']);
  });
});
