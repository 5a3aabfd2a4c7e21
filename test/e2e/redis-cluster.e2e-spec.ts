import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import request from 'supertest';
import { RUN_QUEUE_NAME } from '../../src/modules/operations/adapters/queue/run-queue.constants';
import { OperationRun } from '../../src/modules/operations/core/operation-run';
import { OperationRunService } from '../../src/modules/operations/core/operation-run.service';
import { RUN_QUEUE, RunQueue } from '../../src/modules/operations/core/ports/run-queue.port';
import { LifecycleReconciler } from '../../src/modules/reconciliation/core/lifecycle-reconciler';
import { RedisClusterSetup, startRedisCluster } from '../support/redis-cluster';
import { insertRunRow } from '../support/run-rows';
import { DemoScope, seedDemoScope } from '../support/seed';
import { TEST_OPERATION_TYPES, TestHandlersModule } from '../support/test-handlers';
import { startTestApp, TestApp, waitFor } from '../support/test-app';

/**
 * Redis Cluster (issue 18): a real three-node cluster the test starts. Queue keys are hash-tagged
 * (`{prefix}`) so BullMQ's multi-key scripts and the reconciler's inspection script stay in one
 * slot; runs go from dispatch to completion, the inspection tells a live job from a missing one,
 * and a sweep closes a run whose job is gone.
 */
jest.setTimeout(60_000);

describe('Redis Cluster', () => {
  let cluster: RedisClusterSetup;
  let t: TestApp;
  let scope: DemoScope;

  beforeAll(async () => {
    cluster = await startRedisCluster();
    t = await startTestApp({
      roles: ['web', 'worker'],
      extraTypes: TEST_OPERATION_TYPES,
      imports: [TestHandlersModule],
      env: { REDIS_URL: 'redis://unused.invalid:6379', REDIS_CLUSTER_NODES: cluster.seeds },
    });
    scope = await seedDemoScope(t);
  }, 60_000);
  afterAll(async () => {
    await t?.close().catch(() => undefined);
    await cluster?.dispose();
  });

  it('hash-tags the queue keys: every key of the run queue lives in one slot', async () => {
    const queue = t.get<Queue>(getQueueToken(RUN_QUEUE_NAME));
    expect(queue.toKey('wait')).toBe(`{${t.config.queuePrefix}}:${RUN_QUEUE_NAME}:wait`);
  });

  it('readiness pings the cluster', async () => {
    const res = await request(t.app.getHttpServer()).get('/health/ready');
    expect(res.body.details.redis).toMatchObject({ status: 'up' });
  });

  it('runs go from dispatch to completion through the cluster', async () => {
    const service = t.get<OperationRunService>(OperationRunService);
    for (let n = 0; n < 5; n++) {
      const { run } = await service.dispatch({
        workspaceId: scope.workspaceId,
        environmentId: scope.environmentIds['contoso-hq'],
        type: 'test.noop',
        input: { n },
        initiatorUserId: null,
      });
      const done = (await waitFor(() => service.findById(run.id), (r) => r?.status === 'completed', { what: `run ${n}` })) as OperationRun;
      expect(done.outcome).toBe('succeeded');
    }
  });

  it('the inspection script answers on the cluster, and a sweep closes a run whose job is gone', async () => {
    const queue = t.get<RunQueue>(RUN_QUEUE);
    const missing = await insertRunRow(t.db, {
      workspaceId: scope.workspaceId,
      environmentId: scope.environmentIds['contoso-hq'],
      type: 'inventory.sync',
      status: 'running',
      createdAgoS: 3600,
      heartbeatAgoS: 3600,
    });
    expect((await queue.inspect([missing])).get(missing)).toBe('missing');
    const summary = await t.get<LifecycleReconciler>(LifecycleReconciler).sweep();
    expect(summary).toMatchObject({ reconciled: 1, skipped_unverified: 0 });
  });
});
