import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { MikroOrmTenancyDirectory } from '../../../rbac/adapters/persistence/mikro-orm-tenancy-directory';
import { OperationRunService } from '../../core/operation-run.service';
import { startTestApp, TestApp, waitFor } from '../../../../../test/support/test-app';
import { DemoScope, seedDemoScope } from '../../../../../test/support/seed';
import { RUN_QUEUE_NAME } from './run-queue.constants';

describe('run correlation and terminal runs (real PostgreSQL + Redis)', () => {
  let t: TestApp;
  let scope: DemoScope;
  let queue: Queue;
  let service: OperationRunService;

  beforeAll(async () => {
    t = await startTestApp({ roles: ['worker'] });
    scope = await seedDemoScope(t);
    queue = t.get<Queue>(getQueueToken(RUN_QUEUE_NAME));
    service = t.get<OperationRunService>(OperationRunService);
  });
  afterAll(() => t?.close());

  const finished = (jobId: string) =>
    waitFor(() => queue.getJobState(jobId), (s) => s === 'completed' || s === 'failed', { what: `job ${jobId}` });

  it('skips a job that carries no run id, touching no run', async () => {
    const before = await t.db.query('select id, status, updated_at from operation_runs order by id');
    const job = await queue.add('inventory.sync', { environment: 'contoso-hq' });
    expect(await finished(job.id!)).toBe('completed');
    expect(await t.db.query('select id, status, updated_at from operation_runs order by id')).toEqual(before);
  });

  it('does nothing for a job whose run is already terminal', async () => {
    const id = randomUUID();
    await t.db.query(
      `insert into operation_runs (id, workspace_id, environment_id, type, status, outcome, fingerprint, context,
         summary_counts, attempts, created_at, completed_at, updated_at)
       values ($1, $2, $3, 'inventory.sync', 'completed', 'cancelled', 'done-fp', '{}', '{}', 0, now(), now(), now())`,
      [id, scope.workspaceId, scope.environmentIds['contoso-hq']],
    );
    const [before] = await t.db.query('select * from operation_runs where id = $1', [id]);
    await queue.add('inventory.sync', { operationRunId: id }, { jobId: id });
    expect(await finished(id)).toBe('completed');
    const [after] = await t.db.query('select * from operation_runs where id = $1', [id]);
    expect(after).toEqual(before);
    const items = await t.db.query('select 1 from inventory_items where last_synced_run_id = $1', [id]);
    expect(items).toHaveLength(0);
  });

  it('a missing inventory fixture fails the run at once with a message naming the file', async () => {
    const tenancy = t.get<MikroOrmTenancyDirectory>(MikroOrmTenancyDirectory);
    const ghost = await tenancy.ensureEnvironment(scope.workspaceId, 'ghost-tenant', 'Ghost tenant');
    const { run } = await service.dispatch({
      workspaceId: scope.workspaceId,
      environmentId: ghost.id,
      type: 'inventory.sync',
      initiatorUserId: null,
    });
    const done = await waitFor(() => service.findById(run.id), (r) => r?.status === 'completed');
    expect(done!.outcome).toBe('failed');
    // Retrying cannot make a missing file appear: one attempt, not max_attempts.
    expect(done!.attempts).toBe(1);
    expect(done!.context.failures).toEqual([
      { code: 'job_failed', message: expect.stringContaining('"ghost-tenant.json" was not found') },
    ]);
  });
});
