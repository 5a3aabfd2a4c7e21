import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { Cluster, Redis } from 'ioredis';
import request from 'supertest';
import { RUN_QUEUE_NAME } from '../../src/modules/operations/adapters/queue/run-queue.constants';
import { OperationCatalog } from '../../src/modules/operations/core/operation-catalog';
import { DISPATCH_FAILED_CODE } from '../../src/modules/operations/core/operations-errors';
import { OperationRun } from '../../src/modules/operations/core/operation-run';
import { OperationRunService } from '../../src/modules/operations/core/operation-run.service';
import { RUN_QUEUE, RunQueue } from '../../src/modules/operations/core/ports/run-queue.port';
import { LifecycleReconciler } from '../../src/modules/reconciliation/core/lifecycle-reconciler';
import { STALE_RUN_SOURCE, StaleRunSource } from '../../src/modules/reconciliation/core/ports/stale-run-source.port';
import { ReconciliationAdapterRegistry } from '../../src/modules/reconciliation/core/reconciliation-adapter.registry';
import { redisClientFor } from '../../src/shared/adapters/redis-connection';
import { DomainError } from '../../src/shared/core/domain-error';
import { RedisClusterSetup, startRedisCluster } from '../support/redis-cluster';
import { assertRunInvariants } from '../support/run-invariants';
import { DemoScope, seedDemoScope } from '../support/seed';
import { SLOW_STEPS_TYPE, WORKER_PROCESS_IMPORTS, WORKER_PROCESS_TYPES } from '../support/slow-handlers';
import { startTestApp, TestApp, waitFor } from '../support/test-app';

/**
 * Redis Cluster failover (issue 18): a real cluster of three masters, each with a replica, and
 * a short node timeout. Ten runs work through it when the master serving the queue's slot (the
 * hash-tagged prefix `{QUEUE_PREFIX}`) is SIGKILLed; its replica is promoted. Every run must end
 * in exactly one terminal outcome — completed by the worker, or, if its job died with the master,
 * closed by a reconciler sweep — none runs twice, a Redis command issued while the slot has no
 * master waits for the promotion instead of failing, runs started after the failover complete
 * without a restart, and readiness reports Redis up again.
 *
 * `test.slow_steps` with `{ steps: 6 }`: 1.5 s of work, one attempt, stale after 6 s without a
 * heartbeat. Five at a time (WORKER_CONCURRENCY's default), so some run while others wait.
 */
jest.setTimeout(60_000);

const RUNS = 10;
const STEPS = 6;
/** How a run lost with the master may end: refused at dispatch, given up by the queue, or closed by a sweep. */
const LOST_CODES = [DISPATCH_FAILED_CODE, 'worker_lost', 'stale_running', 'stale_queued'];

describe('Redis Cluster: the master of the queue slot fails over while runs work', () => {
  let cluster: RedisClusterSetup;
  let t: TestApp;
  let scope: DemoScope;
  let probe: Redis | Cluster | undefined;

  beforeAll(async () => {
    cluster = await startRedisCluster({ replicasPerMaster: 1, nodeTimeoutMs: 1000 });
    t = await startTestApp({
      roles: ['web', 'worker'],
      extraTypes: WORKER_PROCESS_TYPES,
      imports: WORKER_PROCESS_IMPORTS,
      env: { REDIS_URL: 'redis://unused.invalid:6379', REDIS_CLUSTER_NODES: cluster.seeds },
    });
    scope = await seedDemoScope(t);
  }, 60_000);
  afterAll(async () => {
    probe?.disconnect();
    await t?.close().catch(() => undefined);
    await cluster?.dispose();
  });

  const service = () => t.get<OperationRunService>(OperationRunService);
  const dispatch = async (input: Record<string, unknown>): Promise<OperationRun> =>
    (
      await service().dispatch({
        workspaceId: scope.workspaceId,
        environmentId: scope.environmentIds['contoso-hq'],
        type: SLOW_STEPS_TYPE,
        input,
        initiatorUserId: null,
      })
    ).run;
  const find = async (id: string) => (await service().findById(id)) as OperationRun;
  const findAll = (ids: string[]) => Promise.all(ids.map(find));
  const redisReadiness = async () => (await request(t.app.getHttpServer()).get('/health/ready')).body?.details?.redis?.status;

  /**
   * The reconciler as it will sweep once every lifecycle window has passed (ten minutes on):
   * the same source, queue inspection and writers, only a later clock. Used only when the queue
   * holds no job any more, so a run it closes can never be picked up by a worker.
   */
  const laterSweep = () =>
    new LifecycleReconciler(
      t.get<StaleRunSource>(STALE_RUN_SOURCE),
      t.get<RunQueue>(RUN_QUEUE),
      t.get(ReconciliationAdapterRegistry),
      service(),
      t.get(OperationCatalog),
      { now: () => new Date(Date.now() + 10 * 60_000) },
    ).sweep();

  it('every run ends once and none runs twice; a command waits out the failover; runs after it complete; readiness sees Redis again', async () => {
    expect(await redisReadiness()).toBe('up');
    const queueMaster = await cluster.masterOfHashTag(t.config.queuePrefix);
    // A client built as the app builds its own (limiter, readiness), for a command in flight across the failover.
    probe = redisClientFor(t.config);
    const probeKey = `{${t.config.queuePrefix}}:failover-probe`;
    await probe.set(probeKey, '1');

    const runs: OperationRun[] = [];
    for (let n = 0; n < RUNS; n++) runs.push(await dispatch({ steps: STEPS, n }));
    const ids = runs.map((r) => r.id);
    // Mid-way: some runs have made progress, the others wait in the queue.
    await waitFor(
      () => findAll(ids),
      (all) => all.filter((r) => r.status === 'running' && Number(r.summaryCounts.processed ?? 0) >= 1).length >= 2,
      { timeoutMs: 20_000, intervalMs: 100, what: 'runs to be working' },
    );

    const killed = await cluster.killMaster(queueMaster);
    // Issued while the slot has no master: it must wait for the promotion, not fail after
    // ioredis's default 1.6 s of redirections (redis-connection.ts, CLUSTER_FAILOVER_OPTIONS).
    const inFlight = probe.incr(probeKey);
    inFlight.catch(() => undefined);
    // Starts meanwhile: each reaches the queue once the replica is promoted (and runs), or, past
    // the 3 s enqueue deadline, fails its dispatch and is closed as failed — never a queued run
    // without a job (a job that lands later finds its run terminal and is skipped).
    const refused: string[] = [];
    for (let n = 0; n < 3; n++) {
      try {
        ids.push((await dispatch({ steps: STEPS, n, during_failover: true })).id);
      } catch (error) {
        expect(error).toBeInstanceOf(DomainError);
        expect((error as DomainError).code).toBe(DISPATCH_FAILED_CODE);
        const id = String((error as DomainError).details.run_id);
        ids.push(id);
        refused.push(id);
      }
    }
    const promoted = await killed.failover(20_000);
    expect(promoted.port).not.toBe(queueMaster.port);
    expect((await cluster.masterOfHashTag(t.config.queuePrefix)).port).toBe(promoted.port);
    await expect(inFlight).resolves.toEqual(expect.any(Number));

    // Converge: the worker finishes what it holds or finds again; a sweep closes a run whose job
    // died with the master — a running one once its heartbeat is stale (6 s), a queued one only
    // when the queue holds no job at all, by a sweep as it will run once the windows have passed.
    const queue = t.get<Queue>(getQueueToken(RUN_QUEUE_NAME));
    const reconciler = t.get<LifecycleReconciler>(LifecycleReconciler);
    await waitFor(
      async () => {
        const all = await findAll(ids);
        if (all.every((r) => r.status === 'completed')) return all;
        await reconciler.sweep();
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
        if (Object.values(counts).every((c) => c === 0)) await laterSweep();
        return findAll(ids);
      },
      (all) => all.every((r) => r.status === 'completed'),
      { timeoutMs: 30_000, intervalMs: 500, what: 'every run to end after the failover' },
    );

    // Straight from PostgreSQL: all terminal, none lost, exactly one terminal event each, attempt
    // records consistent.
    const { runs: rows } = await assertRunInvariants(t, { expectRuns: ids });
    for (const row of rows) {
      const label = `run ${row.id} (${row.outcome}, attempts ${row.attempts})`;
      // One attempt (max_attempts 1), plus at most one redelivery of a job whose lock the failover
      // expired (the worker's maxStalledCount 1); a later attempt abandons the earlier one, so only
      // the last can have produced the result.
      expect({ label, atMostTwo: row.attempts <= 2 }).toEqual({ label, atMostTwo: true });
      const earlier = (row.context.attempts ?? []).slice(0, -1);
      expect({ label, earlierClosedWithACode: earlier.every((a) => a.ended_at && a.error_code) }).toEqual({ label, earlierClosedWithACode: true });
      if (row.outcome !== 'succeeded') {
        expect({ label, outcome: row.outcome }).toEqual({ label, outcome: 'failed' });
        expect(LOST_CODES).toContain(row.context.failures?.[0]?.code);
      }
    }
    for (const id of refused) expect(rows.find((r) => r.id === id)?.context.failures?.[0]?.code).toBe(DISPATCH_FAILED_CODE);
    const succeeded = await findAll(rows.filter((r) => r.outcome === 'succeeded').map((r) => r.id));
    for (const run of succeeded) expect(run.summaryCounts).toMatchObject({ processed: STEPS, total: STEPS });

    // New runs after the failover go from dispatch to completion, no restart.
    const after: OperationRun[] = [];
    for (let n = 0; n < 3; n++) after.push(await dispatch({ steps: 2, n, after_failover: true }));
    const finished = await waitFor(() => findAll(after.map((r) => r.id)), (all) => all.every((r) => r.status === 'completed'), {
      timeoutMs: 20_000,
      intervalMs: 200,
      what: 'runs dispatched after the failover to complete',
    });
    expect(finished.map((r) => r.outcome)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(finished.map((r) => r.attempts)).toEqual([1, 1, 1]);

    await waitFor(redisReadiness, (status) => status === 'up', { timeoutMs: 15_000, intervalMs: 250, what: 'readiness to report Redis up' });
  });
});
