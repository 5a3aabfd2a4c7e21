import request from 'supertest';
import { insertApiToken, issueDemoTokens, ApiPersonas } from '../support/api-personas';
import { DemoScope, seedDemoScope } from '../support/seed';
import { startTestApp, TestApp, waitFor } from '../support/test-app';

/**
 * Queued execution re-authorization (SPEC 1): runs are queued by a web-only app, the initiators
 * lose access, then a worker app on the same database and queue picks the jobs up. A run whose
 * initiator is no longer authorized ends `blocked` and does no work; one whose initiator still is
 * authorized runs normally.
 */
describe('re-authorization when a worker starts a user-initiated run', () => {
  let web: TestApp;
  let worker: TestApp | undefined;
  let scope: DemoScope;
  let personas: ApiPersonas;

  beforeAll(async () => {
    web = await startTestApp({ roles: ['web'] });
    scope = await seedDemoScope(web);
    personas = await issueDemoTokens(web.db, scope);
  });

  afterAll(async () => {
    await worker?.close({ keepDatabase: true });
    await web?.close();
  });

  async function addUser(email: string, workspaceSlug: string, role: string): Promise<{ userId: string; membershipId: string; token: string }> {
    const [user] = await web.db.query<{ id: string }>(
      `insert into users (email, display_name, password_hash) values ($1, $1, 'x') returning id`,
      [email],
    );
    const [membership] = await web.db.query<{ id: string }>(
      `insert into memberships (user_id, workspace_id, role) select $1, id, $2 from workspaces where slug = $3 returning id`,
      [user.id, role, workspaceSlug],
    );
    return { userId: user.id, membershipId: membership.id, token: await insertApiToken(web.db, user.id) };
  }

  const startAs = async (authorization: Record<string, string>, workspace: string, environment: string): Promise<string> => {
    const res = await request(web.app.getHttpServer())
      .post(`/api/v1/workspaces/${workspace}/environments/${environment}/operations`)
      .set(authorization)
      .send({ type: 'inventory.sync' })
      .expect(202);
    expect(res.body.run.status).toBe('queued');
    return res.body.run.id;
  };

  const completedRun = (id: string) =>
    waitFor(
      async () => {
        const [row] = await web.db.query<{ status: string; outcome: string; context: { failures?: { code: string; message: string }[] } }>(
          'select status, outcome, context from operation_runs where id = $1',
          [id],
        );
        return row;
      },
      (row) => row?.status === 'completed',
      { what: `run ${id} to complete`, timeoutMs: 30000 },
    );

  const itemsWrittenBy = async (id: string) =>
    Number((await web.db.query<{ n: string }>('select count(*) as n from inventory_items where last_synced_run_id = $1', [id]))[0].n);

  it('blocks runs whose initiator lost membership, entitlement or capability; runs the others', async () => {
    const removed = await startAs(personas.auth('operator'), 'contoso-msp', 'contoso-hq');
    const control = await startAs(personas.auth('owner'), 'contoso-msp', 'fabrikam');
    const narrowedUser = await addUser('narrowed@opsdeck.test', 'contoso-msp', 'operator');
    const narrowed = await startAs({ Authorization: `Bearer ${narrowedUser.token}` }, 'contoso-msp', 'northwind');
    const demotedUser = await addUser('demoted@opsdeck.test', 'tailspin-msp', 'operator');
    const demoted = await startAs({ Authorization: `Bearer ${demotedUser.token}` }, 'tailspin-msp', 'tailspin-prod');

    // Access changes while the runs wait in the queue.
    await web.db.query('delete from memberships where user_id = $1', [scope.userIds.operator]);
    await web.db.query('update memberships set all_environments = false where id = $1', [narrowedUser.membershipId]);
    await web.db.query('insert into membership_environments (membership_id, environment_id) values ($1, $2)', [
      narrowedUser.membershipId,
      scope.environmentIds['contoso-hq'],
    ]);
    await web.db.query(`update memberships set role = 'readonly' where id = $1`, [demotedUser.membershipId]);

    worker = await startTestApp({ roles: ['worker'], database: web.db, queuePrefix: web.config.queuePrefix });

    for (const id of [removed, narrowed, demoted]) {
      const run = await completedRun(id);
      expect(run.outcome).toBe('blocked');
      expect(run.context.failures?.[0]).toEqual({
        code: 'initiator_no_longer_authorized',
        message: expect.stringContaining('no longer has access'),
      });
      expect(await itemsWrittenBy(id)).toBe(0);
    }
    const ok = await completedRun(control);
    expect(ok.outcome).toBe('succeeded');
    expect(await itemsWrittenBy(control)).toBeGreaterThan(0);

    // The API tells the same truth to someone who can still see the run.
    const res = await request(web.app.getHttpServer()).get(`/api/v1/operations/${removed}`).set(personas.auth('owner')).expect(200);
    expect(res.body).toMatchObject({ status: 'completed', outcome: 'blocked', problem_class: 'terminal_follow_up' });
    expect(res.body.failures[0].code).toBe('initiator_no_longer_authorized');
  });
});
