import { OperationRun } from '../../src/modules/operations/core/operation-run';
import { OperationRunService } from '../../src/modules/operations/core/operation-run.service';
import { redisOptionsFor } from '../../src/shared/adapters/redis-connection';
import { SENTINEL_MASTER_NAME, SentinelSetup, startSentinelSetup } from '../support/redis-sentinel';
import { DemoScope, seedDemoScope } from '../support/seed';
import { SLOW_STEPS_TYPE, WORKER_PROCESS_IMPORTS, WORKER_PROCESS_TYPES } from '../support/slow-handlers';
import { TEST_OPERATION_TYPES, TestHandlersModule } from '../support/test-handlers';
import { startTestApp, TestApp, waitFor } from '../support/test-app';

/**
 * Redis with failover (issue 18): the app finds Redis through a real Sentinel (a master, a replica
 * and one sentinel started by the test) for every use — queue, worker, liveness, limiter,
 * readiness. A run goes from dispatch to completion; then the master is killed, the sentinel
 * promotes the replica, and runs go from dispatch to completion again without a restart.
 */
jest.setTimeout(60_000);

/** The app's Redis settings for a sentinel set-up; REDIS_URL's host is never used (the sentinel names the master). */
const sentinelEnv = (setup: SentinelSetup) => ({
  REDIS_URL: 'redis://unused.invalid:6379',
  REDIS_SENTINELS: `127.0.0.1:${setup.sentinelPort}`,
  REDIS_SENTINEL_NAME: SENTINEL_MASTER_NAME,
});

describe('Redis through Sentinel, with a failover', () => {
  let setup: SentinelSetup;
  let t: TestApp;
  let scope: DemoScope;

  beforeAll(async () => {
    setup = await startSentinelSetup();
    t = await startTestApp({
      roles: ['web', 'worker'],
      extraTypes: TEST_OPERATION_TYPES,
      imports: [TestHandlersModule],
      env: sentinelEnv(setup),
    });
    scope = await seedDemoScope(t);
  }, 60_000);
  afterAll(async () => {
    await t?.close().catch(() => undefined);
    await setup?.dispose();
  });

  const runOnce = async (n: number): Promise<OperationRun> => {
    const service = t.get<OperationRunService>(OperationRunService);
    const { run } = await service.dispatch({
      workspaceId: scope.workspaceId,
      environmentId: scope.environmentIds['contoso-hq'],
      type: 'test.noop',
      input: { n },
      initiatorUserId: null,
    });
    return (await waitFor(() => service.findById(run.id), (r) => r?.status === 'completed', {
      timeoutMs: 30_000,
      intervalMs: 200,
      what: `run ${n} to complete`,
    })) as OperationRun;
  };

  it('connects through the sentinel: every Redis option names it, none a host', () => {
    expect(redisOptionsFor(t.config)).toMatchObject({ sentinels: [{ host: '127.0.0.1', port: setup.sentinelPort }], name: SENTINEL_MASTER_NAME });
    expect(redisOptionsFor(t.config)).not.toHaveProperty('host');
  });

  it('a run completes, the master dies, the replica is promoted, and runs complete again', async () => {
    expect(await runOnce(1)).toMatchObject({ outcome: 'succeeded' });
    expect(await setup.currentMasterPort()).toBe(setup.master.port);

    await setup.master.stop();
    await waitFor(() => setup.currentMasterPort(), (port) => port === setup.replica.port, {
      timeoutMs: 20_000,
      intervalMs: 200,
      what: 'the sentinel to promote the replica',
    });
    expect(await runOnce(2)).toMatchObject({ outcome: 'succeeded' });
    expect(await runOnce(3)).toMatchObject({ outcome: 'succeeded' });
  });
});

describe('Redis through Sentinel: a failover during a run', () => {
  let setup: SentinelSetup;
  let t: TestApp;
  let scope: DemoScope;

  beforeAll(async () => {
    setup = await startSentinelSetup();
    t = await startTestApp({
      // The scheduler sweeps every second: whatever the failover does to the job, the run converges.
      roles: ['web', 'worker', 'scheduler'],
      extraTypes: WORKER_PROCESS_TYPES,
      imports: WORKER_PROCESS_IMPORTS,
      env: { ...sentinelEnv(setup), OPS_RECONCILE_EVERY_S: '1' },
    });
    scope = await seedDemoScope(t);
  }, 60_000);
  afterAll(async () => {
    await t?.close().catch(() => undefined);
    await setup?.dispose();
  });

  it('the master dies while a run works: the run still ends in exactly one terminal outcome', async () => {
    const service = t.get<OperationRunService>(OperationRunService);
    const { run } = await service.dispatch({
      workspaceId: scope.workspaceId,
      environmentId: scope.environmentIds['contoso-hq'],
      type: SLOW_STEPS_TYPE,
      input: { steps: 24 },
      initiatorUserId: null,
    });
    await waitFor(() => service.findById(run.id), (r) => r?.status === 'running' && Number(r.summaryCounts.processed ?? 0) >= 2, {
      timeoutMs: 20_000,
      what: 'the run to be working',
    });
    await setup.master.stop();
    const done = (await waitFor(() => service.findById(run.id), (r) => r?.status === 'completed', {
      timeoutMs: 45_000,
      intervalMs: 250,
      what: 'the run to end after the failover',
    })) as OperationRun;
    expect(['succeeded', 'failed']).toContain(done.outcome);
    const events = await t.db.query<{ n: string }>(
      `select count(*) as n from audit_events where subject_id = $1 and action in ('operation.completed', 'operation.reconciled')`,
      [run.id],
    );
    expect(Number(events[0].n)).toBe(1);
  });
});
