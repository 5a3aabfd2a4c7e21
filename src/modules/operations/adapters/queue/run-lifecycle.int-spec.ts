import { OperationRunService } from '../../core/operation-run.service';
import { presentRun } from '../../core/run-presenter';
import { OperationCatalog } from '../../core/operation-catalog';
import { startTestApp, TestApp, waitForCompletedRun } from '../../../../../test/support/test-app';
import { attemptsSeen, TEST_OPERATION_TYPES, TestHandlersModule } from '../../../../../test/support/test-handlers';
import { DemoScope, seedDemoScope } from '../../../../../test/support/seed';

describe('operation run lifecycle through BullMQ (real PostgreSQL + Redis)', () => {
  let t: TestApp;
  let scope: DemoScope;
  let service: OperationRunService;

  beforeAll(async () => {
    t = await startTestApp({ extraTypes: TEST_OPERATION_TYPES, imports: [TestHandlersModule] });
    scope = await seedDemoScope(t);
    service = t.get<OperationRunService>(OperationRunService);
  });

  afterAll(async () => {
    await t?.close();
  });

  const terminal = (id: string) => waitForCompletedRun(service, id);

  it('runs inventory.sync end to end and completes with real counts', async () => {
    const { run, created } = await service.dispatch({
      workspaceId: scope.workspaceId,
      environmentId: scope.environmentIds['contoso-hq'],
      type: 'inventory_sync', // legacy alias: writers store the canonical type
      initiatorUserId: null,
    });
    expect(created).toBe(true);
    expect(run.type).toBe('inventory.sync');
    expect(run.context.dispatch).toMatchObject({
      job_name: 'inventory.sync',
      queue: 'operation-runs',
      correlation_version: 1,
      operation_run_id: run.id,
    });

    const done = await terminal(run.id);
    const [{ count }] = await t.db.query<{ count: string }>(
      'select count(*) from inventory_items where environment_id = $1 and last_synced_run_id = $2',
      [scope.environmentIds['contoso-hq'], run.id],
    );
    expect(done.outcome).toBe('succeeded');
    expect(done.summaryCounts.total).toBe(Number(count));
    expect(done.summaryCounts).toMatchObject({ processed: Number(count), created: Number(count), updated: 0 });
    expect(done.attempts).toBe(1);
    expect(done.context.attempts).toHaveLength(1);
    expect(done.context.attempts![0].ended_at).toBeTruthy();
    expect(done.startedAt).not.toBeNull();
    expect(done.completedAt!.getTime()).toBeGreaterThanOrEqual(done.startedAt!.getTime());
  });

  it('a second sync of unchanged inventory creates nothing and updates nothing', async () => {
    const { run } = await service.dispatch({
      workspaceId: scope.workspaceId,
      environmentId: scope.environmentIds['contoso-hq'],
      type: 'inventory.sync',
      initiatorUserId: null,
    });
    const done = await terminal(run.id);
    expect(done.outcome).toBe('succeeded');
    expect(done.summaryCounts.created).toBe(0);
    expect(done.summaryCounts.updated).toBe(0);
    expect(done.summaryCounts.processed).toBe(done.summaryCounts.total);
  });

  it('20 concurrent dispatches of the same fingerprint yield exactly one run', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        service.dispatch({
          workspaceId: scope.workspaceId,
          environmentId: scope.environmentIds['fabrikam'],
          type: 'inventory.sync',
          initiatorUserId: null,
        }),
      ),
    );
    const ids = new Set(results.map((r) => r.run.id));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const rows = await t.db.query(
      `select id from operation_runs where environment_id = $1 and type = 'inventory.sync'`,
      [scope.environmentIds['fabrikam']],
    );
    expect(rows).toHaveLength(1);
    await terminal([...ids][0]);
  });

  it('a handler that throws on every attempt ends failed via the bridge, error kept out of the headline', async () => {
    const { run } = await service.dispatch({
      workspaceId: scope.workspaceId,
      environmentId: scope.environmentIds['fabrikam'],
      type: 'test.always_fails',
      initiatorUserId: null,
    });
    const done = await terminal(run.id);
    expect(done.outcome).toBe('failed');
    expect(done.attempts).toBe(3);
    expect(attemptsSeen.get(run.id)).toBe(3);
    expect(done.context.failures).toEqual([{ code: 'job_failed', message: expect.stringContaining('3 attempts') }]);
    expect(done.context.attempts!.map((a) => a.error_code)).toEqual(['job_failed', 'job_failed', 'job_failed']);
    expect(JSON.stringify(done.context.diagnostics)).toContain('ECONNREFUSED');
    const presentation = presentRun(done, t.get<OperationCatalog>(OperationCatalog).resolve(done.type), new Date());
    expect(`${presentation.headline} ${presentation.guidance}`).not.toMatch(/ECONNREFUSED|TLSSocket|secret/);
    expect(presentation.headline).toBe('Failed.');
  });

  it('a handler that exceeds job_timeout_s ends failed with job_timeout', async () => {
    const { run } = await service.dispatch({
      workspaceId: scope.workspaceId,
      environmentId: scope.environmentIds['fabrikam'],
      type: 'test.sleeps_past_timeout',
      initiatorUserId: null,
    });
    const done = await terminal(run.id);
    expect(done.outcome).toBe('failed');
    expect(done.context.failures?.[0]).toEqual({ code: 'job_timeout', message: 'The run exceeded its time limit of 1s and was stopped.' });
    const elapsed = done.completedAt!.getTime() - done.startedAt!.getTime();
    // Stopped at the 1 s timeout, not after the handler's 4 s sleep.
    expect(elapsed).toBeLessThan(3500);
  });
});
