import request from 'supertest';
import { ApiPersonas, insertApiToken, issueDemoTokens, NOT_FOUND_BODY } from '../../../../../test/support/api-personas';
import { DemoScope, seedDemoScope } from '../../../../../test/support/seed';
import { startTestApp, TestApp } from '../../../../../test/support/test-app';
import { IdentityAdminService } from '../../../rbac/core/identity-admin.service';
import { MEMBERSHIP_ADDED, OPERATION_COMPLETED, OPERATION_START_REQUESTED } from '../../../../shared/core/audit-trail/audit-actions';
import { AUDIT_LOG, AuditLog } from '../../../../shared/core/audit-trail/audit-log.port';

const AUDIT = '/api/v1/workspaces/contoso-msp/audit';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Item {
  id: string;
  at: string;
  actor: { id: string | null; label: string };
  workspace: { id: string; slug: string; name: string };
  environment: { id: string; slug: string; name: string } | null;
  action: string;
  subject: { type: string | null; id: string | null };
  metadata: Record<string, unknown>;
}

describe('GET /api/v1/workspaces/:workspace/audit (real PostgreSQL)', () => {
  let t: TestApp;
  let scope: DemoScope;
  let personas: ApiPersonas;
  let limitedManager: Record<string, string>;
  let http: () => ReturnType<typeof request>;

  beforeAll(async () => {
    t = await startTestApp({ roles: ['web'] });
    scope = await seedDemoScope(t);
    personas = await issueDemoTokens(t.db, scope);
    http = () => request(t.app.getHttpServer());

    // A manager (holds audit.view) limited to contoso-hq.
    const identity = t.get<IdentityAdminService>(IdentityAdminService);
    const manager = await identity.createUser({ email: 'manager@opsdeck.test', password: scope.password, displayName: 'Mia Manager' });
    await identity.setMembership(
      { email: manager.email, workspaceSlug: 'contoso-msp', role: 'manager', environmentSlugs: ['contoso-hq'] },
      { userId: null, label: 'test' },
    );
    limitedManager = { Authorization: `Bearer ${await insertApiToken(t.db, manager.id, 'manager')}` };

    const log = t.get<AuditLog>(AUDIT_LOG);
    const { owner, operator } = scope.userIds;
    const env = scope.environmentIds;
    for (const [environmentId, actor, action] of [
      [env['contoso-hq'], operator, OPERATION_START_REQUESTED],
      [env['contoso-hq'], null, OPERATION_COMPLETED],
      [env['fabrikam'], operator, OPERATION_START_REQUESTED],
      [env['northwind'], owner, OPERATION_START_REQUESTED],
      [env['northwind'], null, OPERATION_COMPLETED],
    ] as const) {
      await log.record({
        actorUserId: actor,
        actorLabel: actor ? 'user' : 'system',
        workspaceId: scope.workspaceId,
        environmentId,
        action,
        subjectType: 'operation_run',
        subjectId: `run-${action}-${environmentId}`,
        metadata: { type: 'inventory.sync', token: 'never-shown' },
      });
    }
  });

  afterAll(async () => {
    await t?.close();
  });

  const listAll = async (headers: Record<string, string>, query: Record<string, string | number> = {}): Promise<Item[]> => {
    const items: Item[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await http()
        .get(AUDIT)
        .query({ ...query, ...(cursor ? { cursor } : {}) })
        .set(headers)
        .expect(200);
      items.push(...res.body.items);
      cursor = res.body.next_cursor;
    } while (cursor);
    return items;
  };

  it('answers the owner with every event of the workspace, newest first, in the documented shape', async () => {
    const res = await http().get(AUDIT).set(personas.auth('owner')).expect(200);
    expect(res.body.next_cursor).toBeNull();
    const items: Item[] = res.body.items;
    // Five recorded here, the manager's membership.added, and the seed's for owner, operator, viewer.
    expect(items).toHaveLength(9);
    const stored = await t.db.query<{ public_id: string }>(
      'select public_id from audit_events where workspace_id = $1 order by at desc, id desc',
      [scope.workspaceId],
    );
    expect(items.map((i) => i.id)).toEqual(stored.map((r) => r.public_id));
    const northwindDone = items.find((i) => i.action === OPERATION_COMPLETED && i.environment?.slug === 'northwind')!;
    expect(northwindDone).toEqual({
      id: expect.stringMatching(UUID),
      at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.*Z$/),
      actor: { id: null, label: 'system' },
      workspace: { id: scope.workspaceId, slug: 'contoso-msp', name: 'Contoso MSP' },
      environment: { id: scope.environmentIds['northwind'], slug: 'northwind', name: 'Northwind Traders' },
      action: OPERATION_COMPLETED,
      subject: { type: 'operation_run', id: `run-${OPERATION_COMPLETED}-${scope.environmentIds['northwind']}` },
      metadata: { type: 'inventory.sync' },
    });
    const seeded = items.filter((i) => i.action === MEMBERSHIP_ADDED);
    expect(seeded).toHaveLength(4);
    expect(seeded.every((i) => i.environment === null)).toBe(true);
    expect(seeded.filter((i) => i.actor.label === 'demo-seed')).toHaveLength(3);
    // Secret-named metadata keys were dropped when recorded.
    expect(JSON.stringify(items)).not.toContain('never-shown');
  });

  it('shows a member limited to some environments only their events, none that could name others', async () => {
    const items = await listAll(limitedManager);
    const slugs = new Set(items.map((i) => i.environment?.slug ?? null));
    expect(slugs).toEqual(new Set(['contoso-hq']));
    expect(items).toHaveLength(2);
    expect(items.filter((i) => i.subject.id?.includes(scope.environmentIds['northwind']))).toEqual([]);
    expect(items.filter((i) => i.subject.id?.includes(scope.environmentIds['fabrikam']))).toEqual([]);
    expect(items.filter((i) => i.action === MEMBERSHIP_ADDED)).toHaveLength(0);
    expect(JSON.stringify(items)).not.toContain(scope.environmentIds['fabrikam']);
  });

  it('answers 403 to members without audit.view and 404 (as for a missing workspace) to non-members', async () => {
    for (const persona of ['operator', 'viewer'] as const) {
      const res = await http().get(AUDIT).set(personas.auth(persona)).expect(403);
      expect(res.body.error.code).toBe('forbidden');
      expect(res.body.error.message).toContain('audit.view');
    }
    const hidden = await http().get(AUDIT).set(personas.auth('outsider')).expect(404);
    const missing = await http().get('/api/v1/workspaces/no-such-msp/audit').set(personas.auth('owner')).expect(404);
    expect(hidden.body).toEqual(NOT_FOUND_BODY);
    expect(missing.body).toEqual(NOT_FOUND_BODY);
    await http().get('/api/v1/workspaces/tailspin-msp/audit').set(personas.auth('outsider')).expect(200);
  });

  it('answers 401 without a valid API token', async () => {
    await http().get(AUDIT).expect(401);
    await http().get(AUDIT).set({ Authorization: 'Bearer odk_not-a-real-token' }).expect(401);
  });

  it('exposes no sequential id: events carry random UUIDs and cursors only a time and such an id', async () => {
    const stored = await t.db.query<{ id: string }>('select id::text as id from audit_events');
    const pages: request.Response[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await http().get(AUDIT).query({ limit: 2, ...(cursor ? { cursor } : {}) }).set(personas.auth('owner')).expect(200);
      pages.push(res);
      cursor = res.body.next_cursor;
    } while (cursor);
    const items = pages.flatMap((p) => p.body.items as Item[]);
    expect(items.every((i) => UUID.test(i.id))).toBe(true);
    const sequence = new Set(stored.map((r) => r.id));
    expect(items.filter((i) => sequence.has(i.id))).toEqual([]);
    for (const page of pages.filter((p) => p.body.next_cursor)) {
      const last = (page.body.items as Item[]).at(-1)!;
      const decoded = Buffer.from(page.body.next_cursor, 'base64url').toString('utf8');
      expect(decoded).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z\|/);
      expect(decoded.split('|')[1]).toBe(last.id);
      expect(decoded.slice(0, 23)).toBe(last.at.slice(0, 23));
    }
  });

  it('refuses (400 invalid_cursor) a cursor naming an event of another workspace or of a hidden environment', async () => {
    // Cursors the API itself issued, one per event: a page of one names its event.
    const cursorsOf = async (path: string, headers: Record<string, string>) => {
      const found: Array<{ item: Item; cursor: string }> = [];
      let cursor: string | null = null;
      do {
        const res: request.Response = await http().get(path).query({ limit: 1, ...(cursor ? { cursor } : {}) }).set(headers).expect(200);
        cursor = res.body.next_cursor;
        if (cursor) found.push({ item: res.body.items[0], cursor });
      } while (cursor);
      return found;
    };
    const log = t.get<AuditLog>(AUDIT_LOG);
    const tailspin = (await t.db.query<{ id: string }>(`select id from workspaces where slug = 'tailspin-msp'`))[0].id;
    for (const action of ['test.elsewhere.one', 'test.elsewhere.two']) {
      await log.record({ actorUserId: null, actorLabel: 'system', workspaceId: tailspin, action });
    }
    const elsewhere = await cursorsOf('/api/v1/workspaces/tailspin-msp/audit', personas.auth('outsider'));
    expect(elsewhere.length).toBeGreaterThan(0);
    for (const { cursor } of elsewhere) {
      const res = await http().get(AUDIT).query({ cursor }).set(personas.auth('owner')).expect(400);
      expect(res.body.error.code).toBe('invalid_cursor');
    }

    const owners = await cursorsOf(AUDIT, personas.auth('owner'));
    const hidden = owners.filter((c) => c.item.environment?.slug !== 'contoso-hq');
    const visible = owners.filter((c) => c.item.environment?.slug === 'contoso-hq');
    expect(hidden.length).toBeGreaterThan(0);
    expect(visible.length).toBeGreaterThan(0);
    for (const { cursor } of hidden) {
      const res = await http().get(AUDIT).query({ cursor }).set(limitedManager).expect(400);
      expect(res.body.error.code).toBe('invalid_cursor');
    }
    for (const { cursor } of visible) await http().get(AUDIT).query({ cursor }).set(limitedManager).expect(200);
  });

  it('pages with next_cursor without skipping or repeating', async () => {
    const all = (await http().get(AUDIT).set(personas.auth('owner')).expect(200)).body.items as Item[];
    for (const limit of [1, 3, 7]) {
      const paged = await listAll(personas.auth('owner'), { limit });
      expect(paged.map((i) => i.id)).toEqual(all.map((i) => i.id));
    }
    const exact = await http().get(AUDIT).query({ limit: all.length }).set(personas.auth('owner')).expect(200);
    expect(exact.body.next_cursor).toBeNull();
    const short = await http().get(AUDIT).query({ limit: all.length - 1 }).set(personas.auth('owner')).expect(200);
    expect(short.body.next_cursor).toEqual(expect.any(String));
  });

  it('filters by action, actor and time', async () => {
    const started = await listAll(personas.auth('owner'), { action: OPERATION_START_REQUESTED });
    expect(started).toHaveLength(3);
    const byOperator = await listAll(personas.auth('owner'), { actor: scope.userIds.operator });
    expect(byOperator.map((i) => i.action)).toEqual([OPERATION_START_REQUESTED, OPERATION_START_REQUESTED]);
    const all = await listAll(personas.auth('owner'));
    const pivot = all[2].at;
    const before = await listAll(personas.auth('owner'), { to: pivot });
    const after = await listAll(personas.auth('owner'), { from: pivot });
    expect(before.length + after.length).toBe(all.length);
    expect(before.every((i) => i.at < pivot)).toBe(true);
    expect(after.every((i) => i.at >= pivot)).toBe(true);
    expect(await listAll(personas.auth('owner'), { from: '2999-01-01' })).toEqual([]);
    expect(await listAll(personas.auth('owner'), { to: '2000-01-01T00:00:00Z' })).toEqual([]);
  });

  it('filters by environment within the reader\'s scope; a hidden or unknown environment is not found', async () => {
    const northwind = await listAll(personas.auth('owner'), { environment: 'northwind' });
    expect(northwind.map((i) => i.environment?.slug)).toEqual(['northwind', 'northwind']);
    const hq = await listAll(limitedManager, { environment: 'contoso-hq' });
    expect(hq).toHaveLength(2);
    for (const environment of ['northwind', 'no-such-env']) {
      const res = await http().get(AUDIT).query({ environment }).set(limitedManager).expect(404);
      expect(res.body).toEqual(NOT_FOUND_BODY);
    }
  });

  it.each([
    ['limit=0', { limit: 0 }, /limit must be a whole number between 1 and 200/],
    ['limit=201', { limit: 201 }, /limit must be a whole number between 1 and 200/],
    ['limit=abc', { limit: 'abc' }, /limit/],
    ['a non-UUID actor', { actor: 'bob' }, /actor must be a user id/],
    ['a bad from', { from: 'yesterday' }, /from must be an ISO 8601/],
    ['a bad to', { to: '2026-13-01' }, /to must be an ISO 8601/],
    ['from after to', { from: '2026-02-01', to: '2026-01-01' }, /from must not be later than to/],
    ['a forged cursor', { cursor: 'not-a-cursor' }, /cursor is not valid/],
    ['an unknown parameter', { subject: 'operation_run' }, /subject should not exist/],
    ['a bad environment', { environment: 'Not A Slug!' }, /environment must be an environment slug/],
  ])('answers 400 for %s', async (_name, query, message) => {
    const res = await http().get(AUDIT).query(query).set(personas.auth('owner')).expect(400);
    expect(res.body.error.message).toMatch(message);
  });
});
