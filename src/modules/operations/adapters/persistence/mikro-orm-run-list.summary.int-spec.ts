import { OperationRunService } from '../../core/operation-run.service';
import { RUN_LIST_QUERY, RunListFilter, RunListQuery } from '../../core/ports/run-list-query.port';
import { RunTabCounts } from '../../core/run-tabs';
import { LifecycleReconciler } from '../../../reconciliation/core/lifecycle-reconciler';
import { startTestApp, TestApp, waitFor, waitForCompletedRun } from '../../../../../test/support/test-app';
import { TEST_OPERATION_TYPES, TestHandlersModule } from '../../../../../test/support/test-handlers';
import { DemoScope, seedDemoScope } from '../../../../../test/support/seed';
import { insertFinishedNoopRun, insertRunRow } from '../../../../../test/support/run-rows';

/**
 * The hub's tab counts of completed runs come from `operation_run_tab_counts`, a summary kept by
 * triggers in the writers' own transactions; active runs are counted live. It must equal the exact scan of the runs at every step: after
 * dispatch, after completion, after the reconciler closes stale runs, under concurrent writers,
 * and under every scope and filter a reader can ask with. The exact scan is the same query with a
 * day-range filter the summary cannot serve (created since the epoch: every run).
 */
describe('hub tab counts from the maintained summary stay exact (real PostgreSQL + Redis)', () => {
  let t: TestApp;
  let scope: DemoScope;
  let query: RunListQuery;
  let service: OperationRunService;
  let envs: string[];

  beforeAll(async () => {
    t = await startTestApp({ roles: ['web', 'worker'], extraTypes: TEST_OPERATION_TYPES, imports: [TestHandlersModule] });
    scope = await seedDemoScope(t);
    query = t.get<RunListQuery>(RUN_LIST_QUERY);
    service = t.get<OperationRunService>(OperationRunService);
    envs = Object.values(scope.environmentIds);
  });
  afterAll(() => t?.close());

  const base = (extra: Partial<RunListFilter> = {}): RunListFilter => ({
    workspaceId: scope.workspaceId,
    scope: { allEnvironments: true, environmentIds: [] },
    tab: 'all',
    limit: 5,
    now: new Date(),
    ...extra,
  });
  const summaryCounts = async (extra: Partial<RunListFilter> = {}): Promise<RunTabCounts> => (await query.list(base(extra))).counts;
  const exactCounts = async (extra: Partial<RunListFilter> = {}): Promise<RunTabCounts> =>
    (await query.list(base({ ...extra, createdFrom: new Date(0) }))).counts;

  /** Readers and filters the hub serves from the summary, each compared with the exact scan. */
  function views(): Partial<RunListFilter>[] {
    const [hq, fabrikam] = envs;
    return [
      {},
      { scope: { allEnvironments: false, environmentIds: [hq] } },
      { scope: { allEnvironments: false, environmentIds: [hq, fabrikam] } },
      { scope: { allEnvironments: false, environmentIds: [] } },
      { scope: { allEnvironments: false, environmentIds: [hq] }, environmentId: fabrikam },
      { environmentId: fabrikam },
      { types: ['test.noop'] },
      { types: ['test.noop', 'inventory.sync'], status: 'completed' },
      { types: [] },
      { status: 'queued' },
      { status: 'running' },
      { outcome: 'failed' },
      { outcome: 'succeeded', environmentId: hq },
      { problemClass: 'terminal_follow_up' },
      { problemClass: 'none', environmentId: hq },
      { problemClass: 'reconciled', types: ['test.noop'] },
      { problemClass: 'active_stale_attention', status: 'running' },
      { problemClass: 'terminal_follow_up', scope: { allEnvironments: false, environmentIds: [fabrikam] } },
      // Archived environments left out (active work): workspace-level runs stay.
      { excludeEnvironmentIds: [hq] },
      { excludeEnvironmentIds: [hq, fabrikam], problemClass: 'terminal_follow_up' },
      { scope: { allEnvironments: false, environmentIds: [hq, fabrikam] }, excludeEnvironmentIds: [fabrikam], status: 'completed' },
    ];
  }

  /** Summary rows rolled up per key ≡ GROUP BY of the completed runs, in ONE statement (one snapshot: valid mid-flight). */
  async function expectNoDrift(label: string): Promise<void> {
    const drift = await t.db.query(
      `with s as (select workspace_id, coalesce(environment_id::text, '-') as env, type, status, outcome, reconciled, superseded, sum(n) as n
                    from operation_run_tab_counts group by 1, 2, 3, 4, 5, 6, 7),
            r as (select workspace_id, coalesce(environment_id::text, '-') as env, type, status, outcome,
                         opsdeck_run_is_reconciled(context) as reconciled, superseded_by is not null as superseded, count(*) as n
                    from operation_runs where status = 'completed' group by 1, 2, 3, 4, 5, 6, 7)
       select * from s full join r using (workspace_id, env, type, status, outcome, reconciled, superseded)
        where coalesce(s.n, 0) <> coalesce(r.n, 0)`,
    );
    expect({ label, drift }).toEqual({ label, drift: [] });
  }

  /** Every view's counts ≡ the exact scan (two statements: only while no worker is writing). */
  async function expectExact(label: string): Promise<void> {
    for (const view of views()) {
      const now = new Date();
      const [fromSummary, exact] = [await summaryCounts({ ...view, now }), await exactCounts({ ...view, now })];
      expect({ label, view, counts: fromSummary }).toEqual({ label, view, counts: exact });
    }
    await expectNoDrift(label);
  }

  const dispatch = (environmentId: string | null, n: number) =>
    service.dispatch({ workspaceId: scope.workspaceId, environmentId, type: 'test.noop', input: { n }, initiatorUserId: null });

  it('is exact after dispatch (queued) and after the worker completes the runs', async () => {
    await expectExact('empty');
    const started = await Promise.all(envs.flatMap((env, e) => [1, 2, 3].map((n) => dispatch(env, e * 10 + n))));
    // While the worker moves them queued → running → completed: no drift in any snapshot.
    await expectNoDrift('dispatched');
    // Active runs are counted live: dispatch and start write no summary row.
    const [{ active }] = await t.db.query<{ active: string }>(`select count(*) as active from operation_run_tab_counts where status <> 'completed'`);
    expect(Number(active)).toBe(0);
    for (const { run } of started) {
      await expectNoDrift('in flight');
      await waitForCompletedRun(service, run.id);
    }
    const all = await summaryCounts();
    expect(all.all).toBe(started.length);
    expect(all.active).toBe(0);
    await expectExact('completed');
  });

  it('is exact when the reconciler closes stale runs (reconciled and follow-up tabs move)', async () => {
    const hq = envs[0];
    const stale = [
      await insertRunRow(t.db, { workspaceId: scope.workspaceId, environmentId: hq, type: 'test.noop', status: 'running', heartbeatAgoS: 3600 }),
      await insertRunRow(t.db, { workspaceId: scope.workspaceId, environmentId: envs[1], type: 'test.noop', status: 'running', heartbeatAgoS: 3600 }),
      await insertRunRow(t.db, { workspaceId: scope.workspaceId, environmentId: null, type: 'test.noop', status: 'queued', createdAgoS: 7200 }),
    ];
    await insertRunRow(t.db, { workspaceId: scope.workspaceId, environmentId: hq, type: 'test.noop', status: 'completed', outcome: 'failed' });
    const before = await summaryCounts();
    expect(before.active_stale_attention).toBe(3);
    await expectExact('stale inserted');
    const summary = await t.get<LifecycleReconciler>(LifecycleReconciler).sweep();
    expect(summary.reconciled).toBe(3);
    const after = await summaryCounts();
    expect(after).toMatchObject({
      all: before.all,
      active: before.active - 3,
      active_stale_attention: 0,
      reconciled: before.reconciled + 3,
      terminal_follow_up: before.terminal_follow_up,
    });
    for (const id of stale) expect((await service.findById(id))?.context.reconciliation).toBeTruthy();
    await expectExact('reconciled');
  });

  it('is exact under concurrent writers on one hot key, after compaction, and after deletes', async () => {
    const fabrikam = envs[1];
    const started = await Promise.all(Array.from({ length: 40 }, (_, i) => dispatch(fabrikam, 1000 + i)));
    await expectNoDrift('hot key in flight');
    await waitFor(() => summaryCounts({ environmentId: fabrikam, status: 'completed', types: ['test.noop'] }), (c) => c.all >= 43, {
      what: 'the hot-key runs to complete',
    });
    for (const { run } of started) await waitForCompletedRun(service, run.id);
    await expectExact('hot key');
    const [{ folded }] = await t.db.query<{ folded: string }>('select opsdeck_compact_run_tab_counts() as folded');
    expect(Number(folded)).toBeGreaterThan(0);
    const [{ live }] = await t.db.query<{ live: string }>('select count(*) as live from operation_run_tab_counts where slot <> 0');
    expect(Number(live)).toBe(0);
    await expectExact('compacted');
    // A rolled-back write leaves the summary untouched; a committed delete is counted out.
    await t.db.query('begin');
    await t.db.query(`update operation_runs set outcome = 'failed' where environment_id = $1`, [fabrikam]);
    await t.db.query('rollback');
    await expectExact('rolled back');
    await t.db.query(`delete from operation_runs where environment_id = $1 and type = 'test.noop' and outcome = 'succeeded'`, [fabrikam]);
    await expectExact('deleted');
  });

  it('is exact when a later success supersedes follow-up runs (they leave Needs follow-up, not All) and a later failure does not', async () => {
    const [hq, fabrikam] = envs;
    /** A follow-up run of `test.noop` {n} that an earlier deploy left behind, completed a minute ago. */
    const leftBehind = (environmentId: string | null, n: number, outcome: string, completedAgoS = 60) =>
      insertFinishedNoopRun(t.db, { workspaceId: scope.workspaceId, environmentId, n, outcome, completedAgoS });
    const followUps = [
      await leftBehind(hq, 500, 'failed'),
      await leftBehind(hq, 500, 'blocked'),
      await leftBehind(fabrikam, 501, 'partially_succeeded'),
      await leftBehind(null, 502, 'failed'),
    ];
    const untouched = await leftBehind(hq, 503, 'failed');
    const before = await summaryCounts();
    await expectExact('follow-ups left behind');
    // The worker completes a success of three of those works.
    const successes = await Promise.all([dispatch(hq, 500), dispatch(fabrikam, 501), dispatch(null, 502)]);
    for (const { run } of successes) await waitForCompletedRun(service, run.id);
    for (const id of followUps) expect((await service.findById(id))?.supersededBy).toBeTruthy();
    expect((await service.findById(untouched))?.supersededBy).toBeNull();
    const after = await summaryCounts();
    expect(after).toMatchObject({ all: before.all + 3, terminal_follow_up: before.terminal_follow_up - 4 });
    expect((await summaryCounts({ problemClass: 'terminal_follow_up' })).all).toBe(after.terminal_follow_up);
    await expectExact('superseded');
    // A failure after the success needs follow-up again; the earlier ones stay cleared.
    await leftBehind(hq, 500, 'failed', 0);
    expect((await summaryCounts()).terminal_follow_up).toBe(after.terminal_follow_up + 1);
    await expectExact('failed again later');
  });

  it('keeps page and counts in one answer and falls back to the exact scan for unkeyed filters', async () => {
    const page = await query.list(base({ tab: 'reconciled', limit: 2 }));
    expect(page.items.every(({ run: r }) => r.status === 'completed' && !!r.context.reconciliation)).toBe(true);
    expect(page.items.length).toBe(Math.min(2, page.counts.reconciled));
    // Initiator and day range have no summary key: the exact scan answers (and agrees on its own terms).
    const none = await query.list(base({ initiatorUserId: scope.userIds.owner }));
    expect(none.counts.all).toBe(0);
    const future = await query.list(base({ createdFrom: new Date(Date.now() + 86_400_000) }));
    expect(future.counts).toEqual({ all: 0, active: 0, active_stale_attention: 0, terminal_follow_up: 0, reconciled: 0 });
  });

  it('truncate empties the summary with the runs', async () => {
    await t.db.query('truncate operation_runs cascade');
    const [{ n }] = await t.db.query<{ n: string }>('select count(*) as n from operation_run_tab_counts');
    expect(Number(n)).toBe(0);
    await expectExact('truncated');
  });
});
