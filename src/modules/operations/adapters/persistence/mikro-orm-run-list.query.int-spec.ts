import { randomUUID } from 'node:crypto';
import { OperationCatalog } from '../../core/operation-catalog';
import { OperationRunService } from '../../core/operation-run.service';
import { RUN_LIST_QUERY, RunListFilter, RunListQuery } from '../../core/ports/run-list-query.port';
import { deriveFreshness } from '../../core/freshness';
import { deriveProblemClass, PROBLEM_CLASSES } from '../../core/problem-class';
import { emptyTabCounts, RUN_TABS, RunTab, tabsOfRun } from '../../core/run-tabs';
import { startTestApp, TestApp } from '../../../../../test/support/test-app';
import { TEST_OPERATION_TYPES, TestHandlersModule } from '../../../../../test/support/test-handlers';
import { DemoScope, seedDemoScope } from '../../../../../test/support/seed';

/**
 * The hub's SQL tab predicates are twins of the pure core rules (freshness + problem class).
 * Rows around every boundary are written to PostgreSQL, read back, classified by the core
 * functions, and the SQL tab membership on the same rows must match exactly — at a "now" far
 * from the database clock, proving the query judges staleness by the app clock.
 */

const NOW = new Date('2031-03-04T05:06:07.000Z');
const ms = (offsetMs: number) => new Date(NOW.getTime() - offsetMs);

interface Row {
  type: string;
  status: 'queued' | 'running' | 'completed';
  outcome?: string;
  createdAgoMs: number;
  startedAgoMs?: number | null;
  heartbeatAgoMs?: number | null;
  context?: unknown;
  /** A later success of the same work superseded this run (superseded_by set). */
  superseded?: boolean;
}

function rowsFor(catalog: OperationCatalog): Row[] {
  const rows: Row[] = [];
  const types = ['inventory.sync', 'inventory_sync', 'test.noop', 'test.always_fails', 'legacy.type_without_policy'];
  for (const type of types) {
    const policy = catalog.resolve(type)?.policy;
    const queued = (policy?.stale_queued_after_s ?? 300) * 1000;
    const running = (policy?.stale_running_after_s ?? 90) * 1000;
    for (const delta of [-1000, -1, 0, 1, 1000, 86_400_000]) {
      rows.push({ type, status: 'queued', createdAgoMs: queued + delta });
      rows.push({ type, status: 'running', createdAgoMs: running + delta + 5000, startedAgoMs: running + delta + 4000, heartbeatAgoMs: running + delta });
      // Never beat: judged from started_at.
      rows.push({ type, status: 'running', createdAgoMs: running + delta + 5000, startedAgoMs: running + delta, heartbeatAgoMs: null });
    }
    // A fresh heartbeat after an old start is not stale.
    rows.push({ type, status: 'running', createdAgoMs: 10 * running, startedAgoMs: 9 * running, heartbeatAgoMs: 10 });
    // No usable timestamps at all: unknown, never stale.
    rows.push({ type, status: 'running', createdAgoMs: 10 * running, startedAgoMs: null, heartbeatAgoMs: null });
    // A run created in the future of "now" (clock skew) is fresh.
    rows.push({ type, status: 'queued', createdAgoMs: -60_000 });
    const contexts: unknown[] = [
      {},
      { reconciliation: { version: 1, reason: 'stale_running', source: 'scheduled_reconciler' } },
      { reconciliation: {} },
      { reconciliation: null },
      { reconciliation: 'yes' },
      { reconciliation: [] },
      { reconciliation: 1 },
      [],
    ];
    for (const outcome of ['succeeded', 'partially_succeeded', 'failed', 'blocked', 'cancelled']) {
      for (const context of contexts) {
        for (const superseded of [false, true]) rows.push({ type, status: 'completed', outcome, createdAgoMs: 500_000, context, superseded });
      }
    }
  }
  return rows;
}

describe('hub tab SQL ≡ core problem classes (real PostgreSQL)', () => {
  let t: TestApp;
  let scope: DemoScope;
  let query: RunListQuery;
  let catalog: OperationCatalog;
  let service: OperationRunService;
  const ids: string[] = [];

  beforeAll(async () => {
    t = await startTestApp({
      roles: [],
      extraTypes: TEST_OPERATION_TYPES,
      imports: [TestHandlersModule],
      // A fractional window, to prove sub-second boundaries agree as well.
      env: { OPS_LIFECYCLE_OVERRIDES: JSON.stringify({ 'test.noop': { stale_running_after_s: 8.5, stale_queued_after_s: 45.25 } }) },
    });
    scope = await seedDemoScope(t);
    query = t.get<RunListQuery>(RUN_LIST_QUERY);
    catalog = t.get<OperationCatalog>(OperationCatalog);
    service = t.get<OperationRunService>(OperationRunService);
    const envs = Object.values(scope.environmentIds);
    for (const [i, row] of rowsFor(catalog).entries()) {
      const id = randomUUID();
      ids.push(id);
      const at = (ago: number | null | undefined) => (ago === null || ago === undefined ? null : ms(ago));
      await t.db.query(
        `insert into operation_runs (id, workspace_id, environment_id, type, status, outcome, fingerprint, context,
           attempts, created_at, started_at, last_heartbeat_at, completed_at, updated_at, superseded_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11, $12, $13, now(), $14)`,
        [
          id,
          scope.workspaceId,
          envs[i % envs.length],
          row.type,
          row.status,
          row.outcome ?? 'pending',
          `fp-${id}`,
          JSON.stringify(row.context ?? {}),
          row.status === 'queued' ? 0 : 1,
          ms(row.createdAgoMs),
          at(row.startedAgoMs),
          at(row.heartbeatAgoMs),
          row.status === 'completed' ? ms(1000) : null,
          row.superseded ? randomUUID() : null,
        ],
      );
    }
  });

  afterAll(() => t?.close());

  const base = (): RunListFilter => ({
    workspaceId: scope.workspaceId,
    scope: { allEnvironments: true, environmentIds: [] },
    tab: 'all',
    limit: 1,
    now: NOW,
  });

  async function sqlTab(tab: RunTab, extra: Partial<RunListFilter> = {}): Promise<{ ids: Set<string>; count: number }> {
    const seen = new Set<string>();
    let cursor: RunListFilter['cursor'] = null;
    let count = -1;
    do {
      const page = await query.list({
        workspaceId: scope.workspaceId,
        scope: { allEnvironments: true, environmentIds: [] },
        tab,
        limit: 97,
        cursor,
        now: NOW,
        ...extra,
      });
      page.items.forEach(({ run: r }) => seen.add(r.id));
      count = page.counts[tab];
      cursor = page.nextCursor;
    } while (cursor);
    return { ids: seen, count };
  }

  it('every row lands in exactly the tabs the core derives for it', async () => {
    const expected = new Map<RunTab, Set<string>>(RUN_TABS.map((tab) => [tab, new Set<string>()]));
    for (const id of ids) {
      const run = (await service.findById(id))!;
      for (const tab of tabsOfRun(run, catalog.resolve(run.type), NOW)) expected.get(tab)!.add(id);
    }
    // The fixture really exercises every tab.
    for (const tab of RUN_TABS) expect(expected.get(tab)!.size).toBeGreaterThan(0);
    for (const tab of RUN_TABS) {
      const actual = await sqlTab(tab);
      const diff = {
        tab,
        onlyInSql: [...actual.ids].filter((id) => !expected.get(tab)!.has(id)),
        onlyInCore: [...expected.get(tab)!].filter((id) => !actual.ids.has(id)),
      };
      expect(diff).toEqual({ tab, onlyInSql: [], onlyInCore: [] });
      expect(actual.count).toBe(expected.get(tab)!.size);
    }
  });

  it('the problem_class filter lists exactly the rows of that class, with every tab count under it, on both plans', async () => {
    const runs = await Promise.all(ids.map(async (id) => (await service.findById(id))!));
    for (const problemClass of PROBLEM_CLASSES) {
      const members = runs.filter(
        (run) => deriveProblemClass(run, deriveFreshness(run, catalog.resolve(run.type)?.policy ?? null, NOW)) === problemClass,
      );
      expect({ problemClass, members: members.length > 0 }).toEqual({ problemClass, members: true });
      const counts = emptyTabCounts();
      for (const run of members) for (const tab of tabsOfRun(run, catalog.resolve(run.type), NOW)) counts[tab]++;
      for (const plan of [{}, { createdFrom: new Date(0) }]) {
        const listed = await sqlTab('all', { problemClass, ...plan });
        expect({ problemClass, plan, ids: [...listed.ids].sort() }).toEqual({ problemClass, plan, ids: members.map((r) => r.id).sort() });
        const page = await query.list({ ...base(), problemClass, ...plan });
        expect({ problemClass, plan, counts: page.counts }).toEqual({ problemClass, plan, counts });
        // Combined with a tab: the tab's rows of that class.
        const active = await sqlTab('active', { problemClass, ...plan });
        expect(active.count).toBe(counts.active);
        expect(active.ids.size).toBe(counts.active);
      }
    }
  });

  it('per-environment figures equal the hub counts their links open, in one grouped read', async () => {
    const envs = Object.values(scope.environmentIds);
    // The completed rows were created 500 s before NOW: inside this bound, outside the later one below.
    const failedFrom = new Date(NOW.getTime() - 86_400_000);
    const figures = await query.figuresByEnvironment({ workspaceId: scope.workspaceId, environmentIds: envs, failedFrom, now: NOW });
    let failedTotal = 0;
    for (const environmentId of envs) {
      const active = await query.list({ ...base(), environmentId, tab: 'active' });
      const failed = await query.list({ ...base(), environmentId, outcome: 'failed', createdFrom: failedFrom });
      const expected = { active: active.counts.active, activeStale: active.counts.active_stale_attention, failedSince: failed.counts.all };
      expect({ environmentId, figures: figures.get(environmentId) ?? { active: 0, activeStale: 0, failedSince: 0 } }).toEqual({ environmentId, figures: expected });
      failedTotal += expected.failedSince;
    }
    expect(failedTotal).toBeGreaterThan(0);
    expect([...figures.values()].some((f) => f.activeStale > 0 && f.activeStale < f.active)).toBe(true);
    const later = await query.figuresByEnvironment({ workspaceId: scope.workspaceId, environmentIds: envs, failedFrom: ms(100_000), now: NOW });
    expect([...later.values()].every((f) => f.failedSince === 0)).toBe(true);
    // Only the environments asked for are read.
    const one = await query.figuresByEnvironment({ workspaceId: scope.workspaceId, environmentIds: [envs[0]], failedFrom, now: NOW });
    expect([...one.keys()]).toEqual([envs[0]]);
    expect(await query.figuresByEnvironment({ workspaceId: scope.workspaceId, environmentIds: [], failedFrom, now: NOW })).toEqual(new Map());
  });

  it('judges staleness by the given now, not the database clock', async () => {
    const earlier = await sqlTab('active_stale_attention', { now: new Date(NOW.getTime() - 365 * 86_400_000) });
    expect(earlier.count).toBe(0);
  });

  it('a limited scope counts only its environments; an empty one sees nothing', async () => {
    const hq = scope.environmentIds['contoso-hq'];
    const limited = await sqlTab('all', { scope: { allEnvironments: false, environmentIds: [hq] } });
    const [{ n }] = await t.db.query<{ n: string }>('select count(*) as n from operation_runs where environment_id = $1', [hq]);
    expect(limited.count).toBe(Number(n));
    expect(limited.ids.size).toBe(Number(n));
    const none = await sqlTab('all', { scope: { allEnvironments: false, environmentIds: [] } });
    expect(none).toEqual({ ids: new Set(), count: 0 });
  });

  it('its prepared pages survive a migration that adds a column to the runs, on both plans', async () => {
    const before = [await sqlTab('all'), await sqlTab('all', { createdFrom: new Date(0) })];
    await t.db.query('alter table operation_runs add column added_by_a_later_migration integer');
    try {
      const after = [await sqlTab('all'), await sqlTab('all', { createdFrom: new Date(0) })];
      expect(after).toEqual(before);
    } finally {
      await t.db.query('alter table operation_runs drop column added_by_a_later_migration');
    }
  });
});
