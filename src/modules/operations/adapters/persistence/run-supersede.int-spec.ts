import { OperationRun, TerminalOutcome } from '../../core/operation-run';
import { OperationRunService } from '../../core/operation-run.service';
import { RUN_LIST_QUERY, RunListQuery } from '../../core/ports/run-list-query.port';
import { RunTabCounts } from '../../core/run-tabs';
import { startTestApp, TestApp } from '../../../../../test/support/test-app';
import { TEST_OPERATION_TYPES, TestHandlersModule } from '../../../../../test/support/test-handlers';
import { DemoScope, seedDemoScope } from '../../../../../test/support/seed';

/**
 * SPEC 2.4: a failed, blocked or partially succeeded run needs follow-up until a later success of
 * the same work — same workspace, environment, type and fingerprint — supersedes it. "Later" is
 * the order of completion. The success's own completion statement (worker path and the
 * reconciler's batch alike) records it, so the Needs follow-up tab and its counts move with it.
 * No worker runs here: the test completes each run through OperationRunService, as a worker would.
 */
describe('a later success supersedes the follow-up runs of its work (real PostgreSQL)', () => {
  let t: TestApp;
  let scope: DemoScope;
  let service: OperationRunService;
  let query: RunListQuery;
  let hq: string;
  let fabrikam: string;

  beforeAll(async () => {
    t = await startTestApp({ roles: ['web'], extraTypes: TEST_OPERATION_TYPES, imports: [TestHandlersModule] });
    scope = await seedDemoScope(t);
    service = t.get<OperationRunService>(OperationRunService);
    query = t.get<RunListQuery>(RUN_LIST_QUERY);
    hq = scope.environmentIds['contoso-hq'];
    fabrikam = scope.environmentIds.fabrikam;
  });
  afterAll(() => t?.close());

  /** Dispatches one run of `test.noop` (input n decides the fingerprint) and completes it. */
  async function finish(environmentId: string | null, n: number, outcome: TerminalOutcome, type = 'test.noop'): Promise<OperationRun> {
    const { run } = await service.dispatch({ workspaceId: scope.workspaceId, environmentId, type, input: { n }, initiatorUserId: null });
    const done = await service.complete(run, { outcome }, { source: 'test' });
    expect(done).toMatchObject({ status: 'completed', outcome });
    return done!;
  }

  const supersededBy = async (id: string) => (await service.findById(id))!.supersededBy;
  const counts = async (environmentId?: string): Promise<RunTabCounts> =>
    (await query.list({ workspaceId: scope.workspaceId, scope: { allEnvironments: true, environmentIds: [] }, tab: 'all', environmentId, limit: 1, now: new Date() })).counts;

  it('a later success clears every earlier follow-up run of the same work, and only those', async () => {
    const failed = await finish(hq, 1, 'failed');
    const blocked = await finish(hq, 1, 'blocked');
    const partial = await finish(hq, 1, 'partially_succeeded');
    const cancelled = await finish(hq, 1, 'cancelled');
    const otherInput = await finish(hq, 2, 'failed');
    const otherEnvironment = await finish(fabrikam, 1, 'failed');
    const before = await counts(hq);
    expect(before.terminal_follow_up).toBe(4);

    const success = await finish(hq, 1, 'succeeded');
    for (const run of [failed, blocked, partial]) expect(await supersededBy(run.id)).toBe(success.id);
    for (const run of [cancelled, otherInput, otherEnvironment, success]) expect(await supersededBy(run.id)).toBeNull();
    const after = await counts(hq);
    expect(after).toEqual({ ...before, all: before.all + 1, terminal_follow_up: 1 });
    expect((await counts(fabrikam)).terminal_follow_up).toBe(1);
  });

  it('a later failure does not clear anything, and a success does not clear a failure that completed after it', async () => {
    const success = await finish(hq, 10, 'succeeded');
    const laterFailure = await finish(hq, 10, 'failed');
    const evenLater = await finish(hq, 10, 'blocked');
    expect(await supersededBy(laterFailure.id)).toBeNull();
    expect(await supersededBy(evenLater.id)).toBeNull();
    expect(await supersededBy(success.id)).toBeNull();
    // The first success after them clears both; the success before them changed nothing.
    const next = await finish(hq, 10, 'succeeded');
    expect(await supersededBy(laterFailure.id)).toBe(next.id);
    expect(await supersededBy(evenLater.id)).toBe(next.id);
  });

  it('a superseded run keeps the first success that superseded it', async () => {
    const failed = await finish(fabrikam, 20, 'failed');
    const first = await finish(fabrikam, 20, 'succeeded');
    await finish(fabrikam, 20, 'succeeded');
    expect(await supersededBy(failed.id)).toBe(first.id);
  });

  it('workspace-level runs (no environment) are one work too, apart from every environment', async () => {
    const workspaceLevel = await finish(null, 30, 'failed');
    const inHq = await finish(hq, 30, 'failed');
    const success = await finish(null, 30, 'succeeded');
    expect(await supersededBy(workspaceLevel.id)).toBe(success.id);
    expect(await supersededBy(inHq.id)).toBeNull();
  });

  it("a success the reconciler's batch applies supersedes as the worker's does", async () => {
    const failed = await finish(hq, 40, 'failed');
    const { run } = await service.dispatch({ workspaceId: scope.workspaceId, environmentId: hq, type: 'test.noop', input: { n: 40 }, initiatorUserId: null });
    const [won] = await service.reconcileMany([
      { run, outcome: 'succeeded', reason: 'adapter_verified', message: 'The work was done.', source: 'adapter', adapter: 'test' },
    ]);
    expect(won).toMatchObject({ id: run.id, outcome: 'succeeded' });
    expect(await supersededBy(failed.id)).toBe(run.id);
    // And a reconciled failure in the same batch statement supersedes nothing.
    const second = await finish(hq, 41, 'failed');
    const { run: stale } = await service.dispatch({ workspaceId: scope.workspaceId, environmentId: hq, type: 'test.noop', input: { n: 41 }, initiatorUserId: null });
    await service.reconcileMany([{ run: stale, outcome: 'failed', reason: 'stale_queued', message: 'Gone.', source: 'scheduled_reconciler' }]);
    expect(await supersededBy(second.id)).toBeNull();
  });
});
