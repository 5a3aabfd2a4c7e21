import { randomUUID } from 'node:crypto';
import { startTestApp, TestApp } from '../../../../../test/support/test-app';
import { DemoScope, seedDemoScope } from '../../../../../test/support/seed';
import { MikroOrmTenancyDirectory } from '../../../rbac/adapters/persistence/mikro-orm-tenancy-directory';
import {
  AUTH_LOGIN_FAILED,
  MEMBERSHIP_ADDED,
  OPERATION_COMPLETED,
  OPERATION_START_REQUESTED,
  TOKEN_CREATED,
} from '../../../../shared/core/audit-trail/audit-actions';
import { AUDIT_EVENT_QUERY, AuditEvent, AuditEventFilter, AuditEventQuery } from '../../core/ports/audit-event-query.port';
import { AUDIT_LOG, AuditLog } from '../../../../shared/core/audit-trail/audit-log.port';

describe('MikroOrmAuditLog (real PostgreSQL)', () => {
  let t: TestApp;
  let scope: DemoScope;
  let log: AuditLog;
  let query: AuditEventQuery;
  let hq: string;
  let fabrikam: string;
  let northwind: string;
  let otherWorkspaceId: string;
  const alice = randomUUID();
  const bob = randomUUID();

  beforeAll(async () => {
    t = await startTestApp({ roles: [] });
    scope = await seedDemoScope(t);
    log = t.get<AuditLog>(AUDIT_LOG);
    query = t.get<AuditEventQuery>(AUDIT_EVENT_QUERY);
    ({ 'contoso-hq': hq, fabrikam, northwind } = scope.environmentIds);
    otherWorkspaceId = (await t.get<MikroOrmTenancyDirectory>(MikroOrmTenancyDirectory).findWorkspaceBySlug('tailspin-msp'))!.id;
  });

  afterAll(async () => {
    await t?.close();
  });

  const listAll = async (filter: Omit<AuditEventFilter, 'limit' | 'cursor'>, limit = 200): Promise<AuditEvent[]> => {
    const seen: AuditEvent[] = [];
    let cursor: AuditEventFilter['cursor'];
    for (let page = 0; page < 100; page++) {
      const result = await query.list({ ...filter, limit, cursor });
      seen.push(...result.items);
      if (!result.nextCursor) return seen;
      cursor = result.nextCursor;
    }
    throw new Error('Too many pages');
  };

  describe('recordMany', () => {
    it('appends a whole batch in one call, scrubbing secrets like record does', async () => {
      const before = (await t.db.query<{ n: string }>(`select count(*) as n from audit_events where action = 'test.batch'`))[0].n;
      expect(before).toBe('0');
      await log.recordMany(
        Array.from({ length: 3 }, (_, i) => ({
          actorUserId: null,
          actorLabel: 'system',
          workspaceId: otherWorkspaceId,
          action: 'test.batch',
          subjectType: 'operation_run',
          subjectId: `run-${i}`,
          metadata: { i, nested: { token: 'never-stored' } },
        })),
      );
      const rows = await t.db.query<{ subject_id: string; metadata: Record<string, unknown> }>(
        `select subject_id, metadata from audit_events where action = 'test.batch' order by id`,
      );
      expect(rows.map((r) => r.subject_id)).toEqual(['run-0', 'run-1', 'run-2']);
      expect(rows[1].metadata).toEqual({ i: 1, nested: {} });
      await expect(log.recordMany([])).resolves.toBeUndefined();
    });
  });

  describe('record', () => {
    it('stores every field and reads it back', async () => {
      const subjectId = randomUUID();
      await log.record({
        actorUserId: alice,
        actorLabel: 'user',
        workspaceId: scope.workspaceId,
        environmentId: hq,
        action: OPERATION_START_REQUESTED,
        subjectType: 'operation_run',
        subjectId,
        metadata: { type: 'inventory.sync', nested: { count: 2 } },
      });
      const { items } = await query.list({ workspaceId: scope.workspaceId, limit: 200 });
      const event = items.find((e) => e.subjectId === subjectId)!;
      expect(event).toEqual({
        id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
        at: expect.any(Date),
        actorUserId: alice,
        actorLabel: 'user',
        workspaceId: scope.workspaceId,
        environmentId: hq,
        action: OPERATION_START_REQUESTED,
        subjectType: 'operation_run',
        subjectId,
        metadata: { type: 'inventory.sync', nested: { count: 2 } },
      });
      expect(Math.abs(event.at.getTime() - Date.now())).toBeLessThan(60_000);
    });

    it('defaults optional fields to null and metadata to {}', async () => {
      await log.record({ actorUserId: null, actorLabel: 'system', workspaceId: scope.workspaceId, action: 'test.minimal' });
      const { items } = await query.list({ workspaceId: scope.workspaceId, action: 'test.minimal', limit: 10 });
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({
        actorUserId: null,
        actorLabel: 'system',
        environmentId: null,
        subjectType: null,
        subjectId: null,
        metadata: {},
      });
    });

    it('never stores secret-named metadata keys, at any depth', async () => {
      await log.record({
        actorUserId: null,
        actorLabel: 'anonymous',
        workspaceId: scope.workspaceId,
        action: AUTH_LOGIN_FAILED,
        metadata: {
          email: 'mallory@example.com',
          Password: 'hunter2',
          request: { headers: { TOKEN: 'opsdeck_pat_abc' }, body: [{ secret: 's3cr3t', ok: 1 }] },
        },
      });
      const rows = await t.db.query<{ metadata: unknown }>(
        `select metadata from audit_events where action = $1`,
        [AUTH_LOGIN_FAILED],
      );
      expect(rows).toHaveLength(1);
      expect(rows[0].metadata).toEqual({ email: 'mallory@example.com', request: { headers: {}, body: [{ ok: 1 }] } });
      expect(JSON.stringify(rows)).not.toMatch(/hunter2|opsdeck_pat_abc|s3cr3t/);
    });
  });

  describe('the table is append-only', () => {
    it('refuses UPDATE and DELETE, whoever asks', async () => {
      await log.record({ actorUserId: null, actorLabel: 'system', workspaceId: scope.workspaceId, action: 'test.immutable' });
      await expect(t.db.query(`update audit_events set action = 'test.tampered' where action = 'test.immutable'`)).rejects.toThrow(
        /append-only/,
      );
      await expect(t.db.query(`delete from audit_events where action = 'test.immutable'`)).rejects.toThrow(/append-only/);
      await expect(t.db.query(`delete from audit_events`)).rejects.toThrow(/append-only/);
      const rows = await t.db.query(`select id from audit_events where action = 'test.immutable'`);
      expect(rows).toHaveLength(1);
    });
  });

  describe('list', () => {
    // A dedicated workspace-sized fixture: events inserted straight into the table so that
    // several share one timestamp (ties broken by id) and timestamps carry microseconds.
    let workspaceId: string;
    let envA: string;
    let envB: string;
    let envC: string;
    const base = '2030-06-01T12:00:00';

    beforeAll(async () => {
      const tenancy = t.get<MikroOrmTenancyDirectory>(MikroOrmTenancyDirectory);
      workspaceId = (await tenancy.ensureWorkspace('audit-list', 'Audit list')).id;
      envA = (await tenancy.ensureEnvironment(workspaceId, 'a', 'A')).id;
      envB = (await tenancy.ensureEnvironment(workspaceId, 'b', 'B')).id;
      envC = (await tenancy.ensureEnvironment(workspaceId, 'c', 'C')).id;
      const fixture: Array<[string, string | null, string, string | null]> = [
        // [at, environment, action, actor]
        [`${base}.000100Z`, envA, OPERATION_COMPLETED, null],
        [`${base}.000100Z`, envB, OPERATION_COMPLETED, null],
        [`${base}.000100Z`, null, MEMBERSHIP_ADDED, alice],
        [`${base}.000100Z`, envC, OPERATION_COMPLETED, null],
        [`${base}.000900Z`, envA, OPERATION_START_REQUESTED, alice],
        [`${base}.001500Z`, envB, OPERATION_START_REQUESTED, bob],
        [`${base}.001500Z`, null, TOKEN_CREATED, bob],
        [`${base}.250000Z`, envC, OPERATION_START_REQUESTED, alice],
        [`${base}.750000Z`, envA, OPERATION_COMPLETED, null],
        [`${base}.750001Z`, null, MEMBERSHIP_ADDED, bob],
        ['2030-06-02T08:00:00.000000Z', envB, OPERATION_COMPLETED, null],
        ['2030-06-03T08:00:00.123456Z', envA, OPERATION_START_REQUESTED, bob],
      ];
      // The tied events get ids 98..101: ordering must be numeric, not textual ('99' > '100').
      const [{ max }] = await t.db.query<{ max: string | null }>('select max(id) as max from audit_events');
      expect(Number(max ?? 0)).toBeLessThan(97);
      await t.db.query(`select setval('audit_events_id_seq', 97)`);
      for (const [at, environmentId, action, actor] of fixture) {
        await t.db.query(
          `insert into audit_events (at, actor_user_id, actor_label, workspace_id, environment_id, action)
           values ($1, $2, $3, $4, $5, $6)`,
          [at, actor, actor ? 'user' : 'system', workspaceId, environmentId, action],
        );
      }
      // Noise that must never show up: another workspace, same environment-less shape.
      await log.record({ actorUserId: alice, actorLabel: 'user', workspaceId: otherWorkspaceId, action: 'test.elsewhere' });
    });

    it('returns the workspace newest first, ties broken by the sequence descending, under public ids only', async () => {
      const { items, nextCursor } = await query.list({ workspaceId, limit: 200 });
      expect(items).toHaveLength(12);
      expect(nextCursor).toBeNull();
      const stored = await t.db.query<{ id: string; public_id: string }>(
        'select a.id::text as id, a.public_id from audit_events a where a.workspace_id = $1 order by a.at desc, a.id desc',
        [workspaceId],
      );
      // Numeric order of the sequence ('100' after '99'), and never the sequence itself.
      expect(stored.map((r) => Number(r.id)).slice(-4)).toEqual([101, 100, 99, 98]);
      expect(items.map((e) => e.id)).toEqual(stored.map((r) => r.public_id));
      expect(items.every((e) => e.workspaceId === workspaceId)).toBe(true);
    });

    it('pages with a keyset cursor without skipping or repeating, at every page size', async () => {
      const { items: all } = await query.list({ workspaceId, limit: 200 });
      for (const size of [1, 2, 3, 5, 11, 12]) {
        const paged = await listAll({ workspaceId }, size);
        expect(paged.map((e) => e.id)).toEqual(all.map((e) => e.id));
      }
    });

    it('answers nextCursor only when more events follow', async () => {
      const first = await query.list({ workspaceId, limit: 11 });
      expect(first.items).toHaveLength(11);
      // The cursor keeps the database's microseconds, so events within one millisecond stay apart.
      expect(first.nextCursor).toEqual({ at: '2030-06-01T12:00:00.000100Z', id: first.items[10].id });
      const last = await query.list({ workspaceId, limit: 11, cursor: first.nextCursor! });
      expect(last.items).toHaveLength(1);
      expect(last.nextCursor).toBeNull();
      const exact = await query.list({ workspaceId, limit: 12 });
      expect(exact.nextCursor).toBeNull();
    });

    it('refuses a cursor naming no event the reader may see: unknown, another workspace\'s, a hidden environment\'s, or at another time', async () => {
      const { items: all } = await query.list({ workspaceId, limit: 200 });
      const at = async (id: string) =>
        (await t.db.query<{ at: string }>(`select to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at from audit_events where public_id = $1`, [id]))[0].at;
      const inA = all.find((e) => e.environmentId === envA)!;
      const inB = all.find((e) => e.environmentId === envB)!;
      const [elsewhere] = (await query.list({ workspaceId: otherWorkspaceId, limit: 1 })).items;
      const refused = [
        { workspaceId, cursor: { at: await at(inA.id), id: randomUUID() } },
        { workspaceId, cursor: { at: await at(elsewhere.id), id: elsewhere.id } },
        { workspaceId, environmentIds: [envA], cursor: { at: await at(inB.id), id: inB.id } },
        { workspaceId, cursor: { at: '2030-06-02T00:00:00.000000Z', id: inA.id } },
        { workspaceId, cursor: { at: await at(inA.id), id: '1; drop table x' } },
      ];
      for (const filter of refused) {
        await expect(query.list({ ...filter, limit: 5 })).rejects.toMatchObject({ code: 'invalid_cursor', kind: 'invalid' });
      }
      // The same events as cursors of readers who may see them.
      await expect(query.list({ workspaceId, environmentIds: [envA], limit: 5, cursor: { at: await at(inA.id), id: inA.id } })).resolves.toBeDefined();
      await expect(query.list({ workspaceId: otherWorkspaceId, limit: 5, cursor: { at: await at(elsewhere.id), id: elsewhere.id } })).resolves.toBeDefined();
    });

    it('answers an empty page (not a refusal) after the oldest event, which a valid cursor may name', async () => {
      const { items: all } = await query.list({ workspaceId, limit: 200 });
      const oldest = all.at(-1)!;
      const page = await query.list({ workspaceId, limit: 5, cursor: { at: '2030-06-01T12:00:00.000100Z', id: oldest.id } });
      expect(page).toEqual({ items: [], nextCursor: null });
    });

    it('scopes a limited reader to the permitted environments only (no workspace-level events)', async () => {
      const onlyA = await listAll({ workspaceId, environmentIds: [envA] });
      expect(new Set(onlyA.map((e) => e.environmentId))).toEqual(new Set([envA]));
      expect(onlyA).toHaveLength(4);

      const aAndC = await listAll({ workspaceId, environmentIds: [envA, envC] }, 2);
      expect(new Set(aAndC.map((e) => e.environmentId))).toEqual(new Set([envA, envC]));
      expect(aAndC).toHaveLength(4 + 2);

      expect(await listAll({ workspaceId, environmentIds: [] })).toEqual([]);

      expect(await listAll({ workspaceId, environmentIds: 'all' })).toHaveLength(12);
      expect(await listAll({ workspaceId })).toHaveLength(12);
    });

    it('never returns another workspace’s events, even for its environments', async () => {
      const events = await listAll({ workspaceId, environmentIds: [envA, scope.environmentIds['contoso-hq']] });
      expect(events.every((e) => e.workspaceId === workspaceId)).toBe(true);
      const other = await listAll({ workspaceId: otherWorkspaceId });
      expect(other.filter((e) => e.action === 'test.elsewhere')).toHaveLength(1);
      expect(other.every((e) => e.workspaceId === otherWorkspaceId)).toBe(true);
    });

    it('filters by action and by actor', async () => {
      const started = await listAll({ workspaceId, action: OPERATION_START_REQUESTED });
      expect(started).toHaveLength(4);
      expect(started.every((e) => e.action === OPERATION_START_REQUESTED)).toBe(true);

      const byBob = await listAll({ workspaceId, actorUserId: bob }, 1);
      expect(byBob.map((e) => e.action)).toEqual([OPERATION_START_REQUESTED, MEMBERSHIP_ADDED, TOKEN_CREATED, OPERATION_START_REQUESTED]);

      const bobStartsInA = await listAll({ workspaceId, actorUserId: bob, action: OPERATION_START_REQUESTED, environmentIds: [envA] });
      expect(bobStartsInA).toHaveLength(1);
      expect(await listAll({ workspaceId, action: 'no.such_action' })).toEqual([]);
    });

    it('filters by time: from is inclusive, to is exclusive', async () => {
      const day1 = await listAll({ workspaceId, from: new Date(`${base}.000Z`), to: new Date('2030-06-02T00:00:00Z') });
      expect(day1).toHaveLength(10);
      const fromBoundary = await listAll({ workspaceId, from: new Date('2030-06-02T08:00:00.000Z') });
      expect(fromBoundary).toHaveLength(2);
      const toBoundary = await listAll({ workspaceId, to: new Date('2030-06-02T08:00:00.000Z') });
      expect(toBoundary).toHaveLength(10);
      const window = await listAll({ workspaceId, from: new Date(`${base}.001Z`), to: new Date(`${base}.750Z`) }, 1);
      expect(window.map((e) => e.action)).toEqual([OPERATION_START_REQUESTED, TOKEN_CREATED, OPERATION_START_REQUESTED]);
    });
  });
});
