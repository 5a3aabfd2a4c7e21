import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { RUN_QUEUE_NAME } from '../../src/modules/operations/adapters/queue/run-queue.constants';
import { OperationCatalog } from '../../src/modules/operations/core/operation-catalog';
import { OperationRun } from '../../src/modules/operations/core/operation-run';
import { OperationRunService } from '../../src/modules/operations/core/operation-run.service';
import { OperationTypeDefinition } from '../../src/modules/operations/core/operation-type';
import { STALE_ACTIVE_GUIDANCE } from '../../src/modules/operations/core/freshness';
import { presentRun } from '../../src/modules/operations/core/run-presenter';
import { LifecycleReconciler } from '../../src/modules/reconciliation/core/lifecycle-reconciler';
import { STALE_RUN_SOURCE, StaleRunSource } from '../../src/modules/reconciliation/core/ports/stale-run-source.port';
import { STALE_RUNNING_MESSAGE } from '../../src/modules/reconciliation/core/reconciliation-decision';
import { insertRunRow } from '../support/run-rows';
import { DemoScope, seedDemoScope } from '../support/seed';
import { SLOW_STEPS_TYPE, WORKER_PROCESS_IMPORTS, WORKER_PROCESS_TYPES } from '../support/slow-handlers';
import { killAllWorkers, spawnWorker, WorkerProcess } from '../support/spawn-worker';
import { startTestApp, TestApp, TestAppOptions, waitFor } from '../support/test-app';

/**
 * Run truth when a worker really dies: the worker is a separate OS process
 * (test/support/worker-process.ts) killed with SIGKILL mid-run, so nothing in it gets a chance to
 * report. The in-process apps (web, and web + scheduler) see only what PostgreSQL and Redis say.
 *
 * `test.slow_steps`: 120 steps of 250 ms, heartbeat every 1 s, stale after 6 s without one,
 * no reconciliation adapter. Queue lock and stall check are 2 s each (startTestApp's defaults).
 */

// Real processes on a shared machine: ts-node startup of a whole app takes 5 s idle, 30 s and more
// on a busy host (the setup hook allows for that; each test needs far less).
jest.setTimeout(60_000);

const STALE_WINDOW_MS = 6_000;
const COUNTED_HEADLINE = /\d+ \/ \d+ processed/;


interface Harness {
  t: TestApp;
  scope: DemoScope;
  env: string;
  service: OperationRunService;
  reconciler: LifecycleReconciler;
  queue: Queue;
  definition: OperationTypeDefinition;
  find(id: string): Promise<OperationRun>;
  dispatchSlow(input: Record<string, unknown>): Promise<OperationRun>;
}

async function startHarness(options: TestAppOptions): Promise<Harness> {
  const t = await startTestApp({ extraTypes: WORKER_PROCESS_TYPES, imports: WORKER_PROCESS_IMPORTS, ...options });
  try {
    const scope = await seedDemoScope(t);
    const service = t.get<OperationRunService>(OperationRunService);
    const env = scope.environmentIds['northwind'];
    return {
      t,
      scope,
      env,
      service,
      reconciler: t.get<LifecycleReconciler>(LifecycleReconciler),
      queue: t.get<Queue>(getQueueToken(RUN_QUEUE_NAME)),
      definition: t.get<OperationCatalog>(OperationCatalog).require(SLOW_STEPS_TYPE),
      find: async (id) => (await service.findById(id)) as OperationRun,
      dispatchSlow: async (input) =>
        (await service.dispatch({ workspaceId: scope.workspaceId, environmentId: env, type: SLOW_STEPS_TYPE, input, initiatorUserId: null })).run,
    };
  } catch (error) {
    await t.close().catch(() => undefined);
    throw error;
  }
}

const processed = (run: OperationRun) => Number(run.summaryCounts.processed ?? 0);

/** Waits until the worker process is visibly working on the run; a timeout shows the worker's log. */
function waitUntilWorking(h: Harness, worker: WorkerProcess, id: string, atLeast = 3): Promise<OperationRun> {
  return waitFor(
    () => h.find(id),
    (r) => r.status === 'running' && processed(r) >= atLeast,
    { timeoutMs: 20_000, intervalMs: 100, what: `run ${id} running with processed >= ${atLeast}` },
  ).catch((error: Error) => {
    throw new Error(`${error.message}\nworker process output:\n${worker.output()}`);
  });
}

/**
 * The job must neither be running nor able to run later. A sweep removes the job right after
 * it committed the run, so a test that only watched the run may look a moment too early.
 */
async function expectJobGone(queue: Queue, id: string): Promise<void> {
  const gone = ['unknown', 'completed', 'failed'];
  const state = await waitFor(() => queue.getJobState(id), (s) => gone.includes(s), {
    timeoutMs: 5_000,
    intervalMs: 100,
    what: `job ${id} to leave the queue`,
  }).catch(async () => queue.getJobState(id));
  expect(gone).toContain(state);
}

function expectReconciledStaleRunning(run: OperationRun): void {
  expect(run).toMatchObject({ status: 'completed', outcome: 'failed' });
  expect(run.context.reconciliation).toMatchObject({
    version: 1,
    reason: 'stale_running',
    source: 'scheduled_reconciler',
    decision: 'failed',
    previous_status: 'running',
    previous_outcome: 'pending',
  });
  expect(run.context.failures).toEqual([{ code: 'stale_running', message: STALE_RUNNING_MESSAGE }]);
  // The counts the dead worker reported stay as evidence; nothing is invented on its behalf.
  expect(processed(run)).toBeGreaterThanOrEqual(3);
  expect(processed(run)).toBeLessThan(120);
}

describe('worker crash: a SIGKILLed worker process, real PostgreSQL + Redis', () => {
  // Two independent setups on their own databases and queue prefixes: web only (nothing
  // reconciles unless a test sweeps) and web + scheduler sweeping every second. Both apps and
  // both worker processes start side by side; ts-node startup dominates this file's runtime.
  let manual: Harness;
  let scheduled: Harness;
  let killedRun: OperationRun;
  let manualWorker: WorkerProcess;
  let scheduledWorker: WorkerProcess;

  beforeAll(async () => {
    const [a, b] = await Promise.allSettled([
      startHarness({ roles: ['web'] }),
      startHarness({ roles: ['web', 'scheduler'], env: { OPS_RECONCILE_EVERY_S: '1' } }),
    ]);
    if (a.status === 'fulfilled') manual = a.value;
    if (b.status === 'fulfilled') scheduled = b.value;
    if (a.status === 'rejected') throw a.reason;
    if (b.status === 'rejected') throw b.reason;
    // Queued before any worker exists: the worker process picks it up once it is ready.
    killedRun = await manual.dispatchSlow({ scenario: 'killed' });
    manualWorker = spawnWorker(manual.t);
    scheduledWorker = spawnWorker(scheduled.t);
    // Not the scheduled worker as well: the killed run must not run to its end meanwhile.
    await manualWorker.ready;
  }, 120_000);
  afterAll(async () => {
    // Workers first: a database dropped under a live worker would only make it log errors.
    await killAllWorkers();
    await Promise.all([manual?.t.close(), scheduled?.t.close()]);
  });

  describe('without a scheduler (manual sweep)', () => {
    let h: Harness;
    beforeAll(() => {
      h = manual;
    });
    afterEach(() => manualWorker?.kill());

    it('a worker killed mid-run: fresh inside the window, cautious once stale, then force-failed by a sweep', async () => {
      const run = killedRun;
      await waitUntilWorking(h, manualWorker, run.id);
      await manualWorker.kill();

      // Inside the heartbeat window the run is honestly still running, and a sweep leaves it alone.
      const justKilled = await h.find(run.id);
      expect(justKilled.status).toBe('running');
      const inside = presentRun(justKilled, h.definition, new Date());
      expect(inside.freshness).toBe('fresh');
      expect(inside.headline).toMatch(COUNTED_HEADLINE);
      const early = await h.reconciler.sweep();
      expect(early).toMatchObject({ examined: 0, reconciled: 0 });
      expect((await h.find(run.id)).status).toBe('running');

      // Past the window: every surface switches to the one cautious line, nothing calmer.
      const stale = await waitFor(
        async () => presentRun(await h.find(run.id), h.definition, new Date()),
        (p) => p.freshness === 'likely_stale',
        { timeoutMs: 15_000, intervalMs: 250, what: 'likely_stale freshness' },
      );
      expect(stale.headline).toBe('Past the lifecycle window. Review worker health and logs before retrying.');
      expect(stale.headline).toBe(STALE_ACTIVE_GUIDANCE);
      expect(stale.headline).not.toBe('Progress details pending.');
      expect(stale.headline).not.toMatch(COUNTED_HEADLINE);
      expect(stale.problem_class).toBe('active_stale_attention');
      expect(stale.reconciliation).toBeNull();

      // The queue proves nothing holds the job any more (its lock expired with the process).
      const summary = await h.reconciler.sweep();
      expect(summary).toMatchObject({ examined: 1, reconciled: 1, skipped_alive: 0, by_reason: { stale_running: 1 } });
      const done = await h.find(run.id);
      expectReconciledStaleRunning(done);
      expect(done.context.diagnostics?.lost_transitions).toBeUndefined();
      await expectJobGone(h.queue, run.id);
      const after = presentRun(done, h.definition, new Date());
      expect(after).toMatchObject({ freshness: 'reconciled_failed', problem_class: 'reconciled', headline: STALE_RUNNING_MESSAGE });
    });

    it('worker and reconciler racing: 20 stale runs, each ends with exactly one terminal transition', async () => {
      const source = h.t.get<StaleRunSource>(STALE_RUN_SOURCE);
      const findStale = source.findStale.bind(source);
      const reconcileMany = h.service.reconcileMany.bind(h.service);
      const winners = { worker: 0, reconciler: 0 };
      try {
        for (let i = 0; i < 20; i++) {
          const id = await insertRunRow(h.t.db, {
            workspaceId: h.scope.workspaceId,
            environmentId: h.env,
            type: SLOW_STEPS_TYPE,
            status: 'running',
            heartbeatAgoS: 600,
          });
          const run = await h.find(id);
          // The worker's result arrives while the sweep holds the run as stale: right after the
          // sweep read it (even i), or exactly when it writes its decision (odd i). Without this
          // gate a fast worker could finish before the sweep even looked, and nothing would race.
          let release!: () => void;
          const sweepHasRun = new Promise<void>((resolve) => (release = resolve));
          const findSpy = jest.spyOn(source, 'findStale').mockImplementation(async (...args) => {
            const rows = await findStale(...args);
            if (i % 2 === 0 && rows.some((r) => r.id === id)) release();
            return rows;
          });
          const reconcileSpy = jest.spyOn(h.service, 'reconcileMany').mockImplementation(async (items) => {
            if (i % 2 === 1 && items.some((r) => r.run.id === id)) release();
            return reconcileMany(items);
          });
          const [completed, summary] = await Promise.all([
            sweepHasRun.then(() => h.service.complete(run, { outcome: 'succeeded' })),
            h.reconciler.sweep(),
          ]).finally(() => {
            findSpy.mockRestore();
            reconcileSpy.mockRestore();
          });

          // Exactly one writer won the compare-and-set.
          const workerWon = completed !== null;
          expect(summary.reconciled).toBe(workerWon ? 0 : 1);
          const done = await h.find(id);
          expect(done.status).toBe('completed');
          const lost = done.context.diagnostics?.lost_transitions as Record<string, unknown>[] | undefined;
          expect(lost).toHaveLength(1);
          if (workerWon) {
            winners.worker++;
            expect(done.outcome).toBe('succeeded');
            expect(done.context.reconciliation).toBeUndefined();
            expect(done.context.failures).toBeUndefined();
            expect(lost![0]).toMatchObject({ source: 'scheduled_reconciler', attempted_status: 'completed', attempted_outcome: 'failed', expected_status: 'running' });
          } else {
            winners.reconciler++;
            expect(done.outcome).toBe('failed');
            expect(done.context.reconciliation).toMatchObject({ reason: 'stale_running', source: 'scheduled_reconciler', previous_status: 'running' });
            expect(done.context.failures).toEqual([{ code: 'stale_running', message: STALE_RUNNING_MESSAGE }]);
            expect(lost![0]).toMatchObject({ source: 'worker', attempted_status: 'completed', attempted_outcome: 'succeeded', expected_status: 'running' });
          }
          // One closing of the one attempt, not two.
          expect(done.context.attempts).toHaveLength(1);
          expect(done.context.attempts![0].ended_at).toEqual(expect.any(String));
        }
      } finally {
        jest.restoreAllMocks();
      }
      expect(winners.worker + winners.reconciler).toBe(20);
    });
  });

  describe('with the scheduler sweeping every second', () => {
    let h: Harness;
    let live: OperationRun | undefined;

    beforeAll(async () => {
      h = scheduled;
      await scheduledWorker.ready;
    }, 120_000);
    afterAll(() => scheduledWorker?.kill());

    it('a live long-running job with a fresh heartbeat is never touched, while a dead one is reconciled', async () => {
      const run = await h.dispatchSlow({ scenario: 'live' });
      live = await waitUntilWorking(h, scheduledWorker, run.id, 1);
      const startedAt = live.startedAt!.getTime();
      // A run left behind by some other dead worker proves the schedule really sweeps meanwhile.
      const canary = await insertRunRow(h.t.db, {
        workspaceId: h.scope.workspaceId,
        environmentId: h.env,
        type: SLOW_STEPS_TYPE,
        status: 'running',
        heartbeatAgoS: 600,
      });
      const sweeps = jest.spyOn(h.reconciler, 'sweep');
      try {
        // Watch for longer than stale_running_after_s (6 s) past the start.
        while (Date.now() - startedAt < STALE_WINDOW_MS + 2_000) {
          const current = await h.find(run.id);
          expect(current.status).toBe('running');
          expect(current.context.reconciliation).toBeUndefined();
          expect(presentRun(current, h.definition, new Date()).freshness).toBe('fresh');
          await new Promise((r) => setTimeout(r, 250));
        }
        expect(sweeps.mock.calls.length).toBeGreaterThanOrEqual(4);
      } finally {
        sweeps.mockRestore();
      }
      const still = await h.find(run.id);
      expect(still).toMatchObject({ status: 'running', outcome: 'pending', attempts: 1 });
      expect(still.context.diagnostics).toBeUndefined();
      expect(processed(still)).toBeGreaterThan(processed(live));
      expect(Date.now() - still.lastHeartbeatAt!.getTime()).toBeLessThan(STALE_WINDOW_MS);
      expect(await h.queue.getJobState(run.id)).toBe('active');
      expectReconciledStaleRunningCanary(await h.find(canary));
    });

    it('a worker killed mid-run is reconciled by the schedule alone (no manual sweep)', async () => {
      const run = await h.dispatchSlow({ scenario: 'killed-under-schedule' });
      await waitUntilWorking(h, scheduledWorker, run.id);
      await scheduledWorker.kill();
      const killedAt = Date.now();
      expect((await h.find(run.id)).status).toBe('running');

      // The live run of the previous test died with the same process: it converges too.
      const ids = [run.id, ...(live ? [live.id] : [])];
      for (const id of ids) {
        const done = await waitFor(() => h.find(id), (r) => r.status === 'completed', {
          timeoutMs: 20_000,
          intervalMs: 250,
          what: `run ${id} reconciled by the schedule`,
        });
        expectReconciledStaleRunning(done);
        // Not before the heartbeat window had passed.
        const reconciledAt = Date.parse(done.context.reconciliation!.reconciled_at);
        expect(reconciledAt - done.lastHeartbeatAt!.getTime()).toBeGreaterThan(STALE_WINDOW_MS);
        await expectJobGone(h.queue, id);
      }
      expect(Date.now() - killedAt).toBeLessThan(20_000);
    });
  });
});

function expectReconciledStaleRunningCanary(run: OperationRun): void {
  expect(run).toMatchObject({ status: 'completed', outcome: 'failed' });
  expect(run.context.reconciliation).toMatchObject({ reason: 'stale_running', source: 'scheduled_reconciler', previous_status: 'running' });
}
