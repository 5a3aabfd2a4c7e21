import { OperationRun } from '../../src/modules/operations/core/operation-run';
import { OperationRunService } from '../../src/modules/operations/core/operation-run.service';
import { RUN_QUEUE, RunQueue } from '../../src/modules/operations/core/ports/run-queue.port';
import { insertRunRow } from '../support/run-rows';
import { DemoScope, seedDemoScope } from '../support/seed';
import { startTestApp, TestApp, waitFor } from '../support/test-app';

/**
 * Each type leaves its artifacts honest after a cancel (issue 17): a cancelled capture leaves no
 * usable snapshot, a cancelled compare's result is marked incomplete (unusable), a cancelled
 * compose leaves no draft. The path is the worker's own: a running run whose cancel arrived
 * between attempts is picked up again, and the worker acknowledges the cancel instead of working,
 * calling the type's cleanup before it completes the run `cancelled`.
 */
describe('a cancelled run leaves its artifacts honest (real PostgreSQL + Redis + worker)', () => {
  let t: TestApp;
  let scope: DemoScope;
  let service: OperationRunService;
  let queue: RunQueue;
  let hq: string;
  let fabrikam: string;
  let profile: string;
  let completeSnapshot: string;

  beforeAll(async () => {
    t = await startTestApp({ roles: ['web', 'worker'] });
    scope = await seedDemoScope(t);
    service = t.get(OperationRunService);
    queue = t.get(RUN_QUEUE);
    hq = scope.environmentIds['contoso-hq'];
    fabrikam = scope.environmentIds.fabrikam;
    profile = (
      await t.db.query<{ id: string }>(
        `insert into baseline_profiles (workspace_id, name, source_environment_id) values ($1, 'Cancel artifacts', $2) returning id`,
        [scope.workspaceId, hq],
      )
    )[0].id;
    completeSnapshot = (
      await t.db.query<{ id: string }>(
        `insert into baseline_snapshots (profile_id, run_id, status, completed_at) values ($1, gen_random_uuid(), 'complete', now()) returning id`,
        [profile],
      )
    )[0].id;
  });
  afterAll(() => t?.close());

  /** A running run (attempt 1) whose cancel is on record, with its half-done artifact, picked up again. */
  async function cancelledMidway(type: string, environmentId: string, artifact: (runId: string) => Promise<void>): Promise<OperationRun> {
    const id = await insertRunRow(t.db, {
      workspaceId: scope.workspaceId,
      environmentId,
      type,
      status: 'running',
      createdAgoS: 5,
      heartbeatAgoS: 1,
      context: {
        inputs: { baseline_id: profile },
        attempts: [{ n: 1, started_at: new Date().toISOString(), ended_at: null, error_code: null }],
        cancellation: { requested_by: scope.userIds.operator, requested_at: new Date().toISOString() },
      },
    });
    await artifact(id);
    await queue.enqueue({ runId: id, type, maxAttempts: 3, backoff: { type: 'fixed', delay_s: 1 } });
    return (await waitFor(() => service.findById(id), (r) => r?.status === 'completed', { what: `${type} run to end` })) as OperationRun;
  }

  it('capture: the partial snapshot is unusable, so no compare can use it', async () => {
    let snapshot = '';
    const run = await cancelledMidway('baseline.capture', hq, async (runId) => {
      snapshot = (
        await t.db.query<{ id: string }>(`insert into baseline_snapshots (profile_id, run_id) values ($1, $2) returning id`, [profile, runId])
      )[0].id;
    });
    expect(run.outcome).toBe('cancelled');
    const [row] = await t.db.query<{ status: string }>(`select status from baseline_snapshots where id = $1`, [snapshot]);
    expect(row.status).toBe('unusable');
  });

  it('compare: the result is marked incomplete (unusable)', async () => {
    let result = '';
    const run = await cancelledMidway('baseline.compare', fabrikam, async (runId) => {
      result = (
        await t.db.query<{ id: string }>(
          `insert into baseline_compare_results (profile_id, snapshot_id, target_environment_id, run_id) values ($1, $2, $3, $4) returning id`,
          [profile, completeSnapshot, fabrikam, runId],
        )
      )[0].id;
    });
    expect(run.outcome).toBe('cancelled');
    const [row] = await t.db.query<{ status: string }>(`select status from baseline_compare_results where id = $1`, [result]);
    expect(row.status).toBe('unusable');
  });

  it('compose: no draft is left behind', async () => {
    const run = await cancelledMidway('environment.review.compose', fabrikam, async (runId) => {
      await t.db.query(
        `insert into environment_reviews (workspace_id, environment_id, period_from, period_to, period_label, fingerprint, run_id)
         values ($1, $2, '2026-10-01', '2026-11-01', '2026-10', 'half-done', $3)`,
        [scope.workspaceId, fabrikam, runId],
      );
    });
    expect(run.outcome).toBe('cancelled');
    expect(await t.db.query(`select id from environment_reviews where run_id = $1`, [run.id])).toEqual([]);
  });

  it('inventory sync has nothing half done to close: it simply ends cancelled', async () => {
    const run = await cancelledMidway('inventory.sync', hq, async () => undefined);
    expect(run).toMatchObject({ status: 'completed', outcome: 'cancelled' });
    expect(run.context.failures?.map((f) => f.code)).toEqual(['cancelled']);
  });
});
