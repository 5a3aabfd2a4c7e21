import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { ApiPersonas, issueDemoTokens } from '../support/api-personas';
import { DemoScope, seedDemoScope } from '../support/seed';
import { startTestApp, TestApp, waitFor } from '../support/test-app';

/**
 * A start input naming a baseline whose source environment the caller cannot see (issue 14
 * item 12): the operator (contoso-hq + fabrikam) names the northwind baseline. Capture and compare
 * answer exactly as for an unknown id and queue nothing; a queued compare whose initiator stops
 * seeing its baseline's source before a worker starts it ends blocked and reads nothing.
 */
describe('hidden baselines named in start input', () => {
  let web: TestApp;
  let worker: TestApp | undefined;
  let scope: DemoScope;
  let personas: ApiPersonas;
  let northwindBaseline: string;
  let hqBaseline: string;
  const start = (env: string, body: object) =>
    request(web.app.getHttpServer())
      .post(`/api/v1/workspaces/contoso-msp/environments/${env}/operations`)
      .set(personas.auth('operator'))
      .send(body);

  /** A profile with a complete (empty) snapshot, so a compare with it is startable. */
  async function profileWithSnapshot(name: string, source: string): Promise<string> {
    const [profile] = await web.db.query<{ id: string }>(
      `insert into baseline_profiles (workspace_id, name, source_environment_id) values ($1, $2, $3) returning id`,
      [scope.workspaceId, name, scope.environmentIds[source]],
    );
    await web.db.query(
      `insert into baseline_snapshots (profile_id, run_id, status, completed_at) values ($1, $2, 'complete', now())`,
      [profile.id, randomUUID()],
    );
    return profile.id;
  }

  const runsNaming = async (baselineId: string) =>
    Number(
      (await web.db.query<{ n: string }>(`select count(*) as n from operation_runs where context->'inputs'->>'baseline_id' = $1`, [baselineId]))[0].n,
    );

  beforeAll(async () => {
    web = await startTestApp({ roles: ['web'] });
    scope = await seedDemoScope(web);
    personas = await issueDemoTokens(web.db, scope);
    northwindBaseline = await profileWithSnapshot('Northwind golden config', 'northwind');
    hqBaseline = await profileWithSnapshot('HQ golden config', 'contoso-hq');
  });

  afterAll(async () => {
    await worker?.close({ keepDatabase: true });
    await web?.close();
  });

  it.each([
    ['baseline.capture', 'contoso-hq'],
    ['baseline.capture', 'fabrikam'],
    ['baseline.compare', 'fabrikam'],
    ['baseline.compare', 'contoso-hq'],
  ])('%s in %s with the hidden baseline answers exactly as with an unknown id and queues nothing', async (type, env) => {
    const unknown = randomUUID();
    const hidden = await start(env, { type, input: { baseline_id: northwindBaseline } });
    const missing = await start(env, { type, input: { baseline_id: unknown } });
    expect(hidden.status).toBe(400);
    expect(hidden.body).toEqual({ error: { code: 'invalid_input', message: `Baseline "${northwindBaseline}" was not found.` } });
    expect(JSON.stringify(hidden.body).split(northwindBaseline).join('<id>')).toBe(JSON.stringify(missing.body).split(unknown).join('<id>'));
    expect(hidden.text).not.toContain('Northwind golden config');
    expect(await runsNaming(northwindBaseline)).toBe(0);
  });

  it('the owner, who sees northwind, is told what is wrong (the profile exists for them)', async () => {
    const res = await request(web.app.getHttpServer())
      .post('/api/v1/workspaces/contoso-msp/environments/contoso-hq/operations')
      .set(personas.auth('owner'))
      .send({ type: 'baseline.capture', input: { baseline_id: northwindBaseline } })
      .expect(400);
    expect(res.body.error.message).toBe('Baseline "Northwind golden config" is captured from its source environment; start the capture there.');
  });

  it('a queued compare whose initiator no longer sees its baseline source ends blocked and reads nothing', async () => {
    const compare = (await start('fabrikam', { type: 'baseline.compare', input: { baseline_id: hqBaseline } }).expect(202)).body.run.id;
    const control = (await start('fabrikam', { type: 'inventory.sync' }).expect(202)).body.run.id;
    // While the runs wait in the queue, the operator keeps fabrikam but loses contoso-hq, the baseline's source.
    await web.db.query(
      `delete from membership_environments where environment_id = $1
          and membership_id = (select id from memberships where user_id = $2)`,
      [scope.environmentIds['contoso-hq'], scope.userIds.operator],
    );
    worker = await startTestApp({ roles: ['worker'], database: web.db, queuePrefix: web.config.queuePrefix });
    const completed = (id: string) =>
      waitFor(
        async () =>
          (
            await web.db.query<{ status: string; outcome: string; context: { failures?: { code: string }[] } }>(
              'select status, outcome, context from operation_runs where id = $1',
              [id],
            )
          )[0],
        (row) => row?.status === 'completed',
        { what: `run ${id} to complete`, timeoutMs: 30000 },
      );
    const blocked = await completed(compare);
    expect(blocked.outcome).toBe('blocked');
    expect(blocked.context.failures?.map((f) => f.code)).toEqual(['initiator_no_longer_authorized']);
    const results = await web.db.query('select id from baseline_compare_results where run_id = $1', [compare]);
    expect(results).toEqual([]);
    // The worker ran, and the operator may still work in fabrikam itself.
    expect((await completed(control)).outcome).toBe('succeeded');
  });
});
