import request from 'supertest';
import { BASELINE_CREATED, BASELINE_UPDATED } from '../../src/shared/core/audit-trail/audit-actions';
import { ApiPersonas, insertApiToken, issueDemoTokens, NOT_FOUND_BODY } from '../support/api-personas';
import { DemoScope, seedDemoScope } from '../support/seed';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Editing baseline profiles over the JSON API (PATCH …/baselines/:id): rename, policy kinds,
 * duplicate names, the immutable source, baselines.manage, deny-as-not-found, and the audit trail
 * of creations and edits.
 */
describe('baseline profiles: create and edit', () => {
  let t: TestApp;
  let scope: DemoScope;
  let personas: ApiPersonas;
  let hqId: string;
  let northwindId: string;
  const server = () => t.app.getHttpServer();
  const BASE = '/api/v1/workspaces/contoso-msp/baselines';

  const create = (name: string, source: string, policyKinds?: string[]) =>
    request(server())
      .post(BASE)
      .set(personas.auth('owner'))
      .send({ name, source_environment: source, ...(policyKinds ? { policy_kinds: policyKinds } : {}) })
      .expect(201);
  const patch = (id: string, body: object, persona: 'owner' | 'operator' | 'viewer' | 'outsider' = 'owner') =>
    request(server()).patch(`${BASE}/${id}`).set(personas.auth(persona)).send(body);

  async function auditRows(subjectId: string) {
    return t.db.query<{
      action: string;
      actor_user_id: string | null;
      actor_label: string;
      workspace_id: string | null;
      environment_id: string | null;
      subject_type: string | null;
      metadata: Record<string, unknown>;
    }>(
      `select action, actor_user_id, actor_label, workspace_id, environment_id, subject_type, metadata
         from audit_events where subject_id = $1 order by id`,
      [subjectId],
    );
  }

  beforeAll(async () => {
    t = await startTestApp({ roles: ['web'] });
    scope = await seedDemoScope(t);
    personas = await issueDemoTokens(t.db, scope);
    hqId = (await create('HQ baseline', 'contoso-hq', ['deviceConfiguration'])).body.id;
    northwindId = (await create('Northwind baseline', 'northwind')).body.id;
  });

  afterAll(async () => {
    await t?.close();
  });

  it('records baseline.created with the source environment, name and kinds', async () => {
    expect(await auditRows(hqId)).toEqual([
      {
        action: BASELINE_CREATED,
        actor_user_id: scope.userIds.owner,
        actor_label: 'owner@opsdeck.test',
        workspace_id: scope.workspaceId,
        environment_id: scope.environmentIds['contoso-hq'],
        subject_type: 'baseline_profile',
        metadata: { name: 'HQ baseline', policy_kinds: ['deviceConfiguration'] },
      },
    ]);
  });

  it('renames a profile, keeps its source, and records baseline.updated', async () => {
    const before = await request(server()).get(`${BASE}/${hqId}`).set(personas.auth('owner')).expect(200);
    const res = await patch(hqId, { name: '  HQ security baseline  ' }).expect(200);
    expect(res.body).toMatchObject({
      id: hqId,
      name: 'HQ security baseline',
      source_environment: { slug: 'contoso-hq' },
      policy_kinds: ['deviceConfiguration'],
      created_at: before.body.created_at,
    });
    expect(Date.parse(res.body.updated_at)).toBeGreaterThanOrEqual(Date.parse(before.body.updated_at));
    const detail = await request(server()).get(`${BASE}/${hqId}`).set(personas.auth('viewer')).expect(200);
    expect(detail.body.name).toBe('HQ security baseline');
    const rows = await auditRows(hqId);
    expect(rows[rows.length - 1]).toEqual({
      action: BASELINE_UPDATED,
      actor_user_id: scope.userIds.owner,
      actor_label: 'owner@opsdeck.test',
      workspace_id: scope.workspaceId,
      environment_id: scope.environmentIds['contoso-hq'],
      subject_type: 'baseline_profile',
      metadata: { name: 'HQ security baseline', policy_kinds: ['deviceConfiguration'], changed: ['name'] },
    });
  });

  it('changes the policy kinds (trimmed, deduplicated, sorted; empty means all)', async () => {
    const res = await patch(hqId, { policy_kinds: ['settingsCatalog', ' conditionalAccessPolicy', 'settingsCatalog'] }).expect(200);
    expect(res.body.policy_kinds).toEqual(['conditionalAccessPolicy', 'settingsCatalog']);
    const both = await patch(hqId, { name: 'HQ baseline', policy_kinds: [] }).expect(200);
    expect(both.body).toMatchObject({ name: 'HQ baseline', policy_kinds: [] });
    const rows = await auditRows(hqId);
    expect(rows.slice(-2).map((r) => r.metadata)).toEqual([
      { name: 'HQ security baseline', policy_kinds: ['conditionalAccessPolicy', 'settingsCatalog'], changed: ['policy_kinds'] },
      { name: 'HQ baseline', policy_kinds: [], changed: ['name', 'policy_kinds'] },
    ]);
  });

  it('a change to nothing answers the profile without an audit event; a case-only rename is a change', async () => {
    const count = (await auditRows(hqId)).length;
    await patch(hqId, { name: 'HQ baseline', policy_kinds: [] }).expect(200);
    expect(await auditRows(hqId)).toHaveLength(count);
    const res = await patch(hqId, { name: 'hq BASELINE' }).expect(200);
    expect(res.body.name).toBe('hq BASELINE');
    expect(await auditRows(hqId)).toHaveLength(count + 1);
  });

  it('rejects a name another profile of the same source has (case-insensitive) with 409', async () => {
    await create('HQ other baseline', 'contoso-hq');
    const res = await patch(hqId, { name: 'hq OTHER baseline' }).expect(409);
    expect(res.body.error).toEqual({
      code: 'baseline_name_taken',
      message: 'A baseline named "hq OTHER baseline" already exists for this source environment.',
    });
    const detail = await request(server()).get(`${BASE}/${hqId}`).set(personas.auth('owner')).expect(200);
    expect(detail.body.name).toBe('hq BASELINE');
  });

  it('rejects a source environment change, empty bodies, unknown fields and bad values with 400', async () => {
    for (const source of ['fabrikam', 'contoso-hq', null]) {
      const res = await patch(hqId, { name: 'Moved', source_environment: source }).expect(400);
      expect(res.body.error.message).toBe('The source environment of a baseline cannot change; create a new baseline.');
    }
    const empty = await patch(hqId, {}).expect(400);
    expect(empty.body.error.message).toBe('Provide name and/or policy_kinds to change.');
    await patch(hqId, { name: 'x', surprise: true }).expect(400);
    await patch(hqId, { name: '   ' }).expect(400);
    await patch(hqId, { name: 42 }).expect(400);
    await patch(hqId, { policy_kinds: 'deviceConfiguration' }).expect(400);
    await patch(hqId, { policy_kinds: [''] }).expect(400);
    const detail = await request(server()).get(`${BASE}/${hqId}`).set(personas.auth('owner')).expect(200);
    expect(detail.body).toMatchObject({ name: 'hq BASELINE', source_environment: { slug: 'contoso-hq' } });
  });

  it('answers 403 in scope without baselines.manage (operator, viewer)', async () => {
    const operator = await patch(hqId, { name: 'Operator was here' }, 'operator').expect(403);
    expect(operator.body.error.code).toBe('forbidden');
    await patch(hqId, { name: 'Viewer was here' }, 'viewer').expect(403);
  });

  it('answers the one 404 for hidden, unknown and malformed profiles and hidden workspaces', async () => {
    const missing = await patch('00000000-0000-4000-8000-000000000000', { name: 'x' }, 'owner').expect(404);
    expect(missing.body).toEqual(NOT_FOUND_BODY);
    expect((await patch('not-a-uuid', { name: 'x' }).expect(404)).body).toEqual(NOT_FOUND_BODY);
    // northwind is outside the operator's environments: its profile does not exist for them.
    expect((await patch(northwindId, { name: 'x' }, 'operator').expect(404)).body).toEqual(NOT_FOUND_BODY);
    expect((await patch(hqId, { name: 'x' }, 'outsider').expect(404)).body).toEqual(NOT_FOUND_BODY);
    const tailspin = await request(server())
      .patch(`/api/v1/workspaces/tailspin-msp/baselines/${hqId}`)
      .set(personas.auth('owner'))
      .send({ name: 'x' })
      .expect(404);
    expect(tailspin.body).toEqual(NOT_FOUND_BODY);
    await request(server()).patch(`${BASE}/${hqId}`).send({ name: 'x' }).expect(401);
    const rows = await auditRows(hqId);
    expect(rows.filter((r) => r.actor_user_id !== scope.userIds.owner)).toEqual([]);
  });

  /** A manager (baselines.manage) limited like the demo operator: contoso-hq and fabrikam, not northwind. */
  async function limitedManager(): Promise<Record<string, string>> {
    const [user] = await t.db.query<{ id: string }>(
      `insert into users (email, display_name, password_hash) values ('limited-manager@opsdeck.test', 'Limited manager', 'x') returning id`,
    );
    const [membership] = await t.db.query<{ id: string }>(
      `insert into memberships (user_id, workspace_id, role, all_environments) values ($1, $2, 'manager', false) returning id`,
      [user.id, scope.workspaceId],
    );
    for (const env of ['contoso-hq', 'fabrikam']) {
      await t.db.query('insert into membership_environments (membership_id, environment_id) values ($1, $2)', [
        membership.id,
        scope.environmentIds[env],
      ]);
    }
    return { Authorization: `Bearer ${await insertApiToken(t.db, user.id)}` };
  }

  it('answers the same for a name that exists only on a hidden source as for a new name (no name oracle)', async () => {
    const manager = await limitedManager();
    const secret = (await create('Northwind secret plan', 'northwind')).body.id;
    const createAs = (name: string) =>
      request(server()).post(BASE).set(manager).send({ name, source_environment: 'contoso-hq' });
    const onHidden = await createAs('NORTHWIND secret plan').expect(201);
    const fresh = await createAs('Never used anywhere').expect(201);
    expect(Object.keys(onHidden.body).sort()).toEqual(Object.keys(fresh.body).sort());
    const renamed = await request(server())
      .patch(`${BASE}/${fresh.body.id}`)
      .set(manager)
      .send({ name: 'northwind SECRET plan ' })
      .expect(409); // the manager's own contoso-hq profile has that name now: a conflict they can see
    expect(renamed.body.error.message).toBe('A baseline named "northwind SECRET plan" already exists for this source environment.');
    const [visible] = (await request(server()).get(BASE).set(manager).expect(200)).body.items.filter(
      (b: { id: string }) => b.id === onHidden.body.id,
    );
    expect(visible).toMatchObject({ name: 'NORTHWIND secret plan', source_environment: { slug: 'contoso-hq' } });
    // Renaming to a name that exists only on the hidden source succeeds like any new name.
    await request(server()).patch(`${BASE}/${onHidden.body.id}`).set(manager).send({ name: 'Northwind baseline' }).expect(200);
    // The hidden profile is untouched and still the owner's only northwind profile of that name.
    const hidden = await request(server()).get(`${BASE}/${secret}`).set(personas.auth('owner')).expect(200);
    expect(hidden.body).toMatchObject({ name: 'Northwind secret plan', source_environment: { slug: 'northwind' } });
  });
});
