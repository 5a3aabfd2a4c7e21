import { FakeClock } from '../../../../test/support/fakes/fake-clock';
import { FakeRunQueue } from '../../../../test/support/fakes/fake-run-queue';
import { InMemoryOperationRunRepository } from '../../../../test/support/fakes/in-memory-operation-run.repository';
import { InMemoryStaleRunSource } from '../../../../test/support/fakes/in-memory-stale-run-source';
import { at, buildDefinition, buildRun, T0 } from '../../../../test/support/run-builder';
import { OperationCatalog } from '../../operations/core/operation-catalog';
import { OperationRun, RelatedRef } from '../../operations/core/operation-run';
import { OperationRunService } from '../../operations/core/operation-run.service';
import { RunHandlerRegistry } from '../../operations/core/run-handler-registry';
import { JobLiveness } from '../../operations/core/ports/job-liveness';
import { HandlerResult, RunHandler } from '../../operations/core/ports/run-handler.port';
import { RunLifecycleObserver } from '../../operations/core/ports/run-lifecycle-observer.port';
import { LifecycleReconciler, SweepSummary } from './lifecycle-reconciler';
import { staleWindows } from '../../operations/core/stale-windows';
import { ReconciliationAdapterRegistry } from './reconciliation-adapter.registry';
import { STALE_QUEUED_MESSAGE, STALE_RUNNING_MESSAGE } from './reconciliation-decision';
import { AdapterDecision, ReconciliationAdapter } from './ports/reconciliation-adapter.port';
import { SweepCursor } from './ports/stale-run-source.port';

/**
 * inventory.sync (alias inventory_sync) has no adapter: generic force-fail. Default policy:
 * queued window 300 s, running window 90 s.
 * baseline.capture has an adapter; 2 attempts, fixed 10 s backoff, so its defer ceiling is
 * created_at + 300 + 2 × 600 + 10 = created_at + 1510 s.
 */
const catalog = new OperationCatalog([
  buildDefinition({ type: 'inventory.sync', aliases: ['inventory_sync'] }),
  buildDefinition({
    type: 'baseline.capture',
    aliases: ['baseline_capture'],
    policy: { stale_running_after_s: 120, max_attempts: 2, backoff: { type: 'fixed', delay_s: 10 } },
  }),
]);
const CAPTURE_CEILING_S = 1510;

/** Every sweep in these specs runs at T0 + 1000 s unless the test moves the clock. */
const SWEEP_AT = at(1000);

const handler = (type: string): RunHandler => ({
  type,
  parseInput: () => ({}),
  handle: async (): Promise<HandlerResult> => ({ outcome: 'succeeded' }),
});

/** The adapter decides per run id as the test scripts it; an Error is thrown. Can be held on a gate. */
class ScriptedCaptureAdapter implements ReconciliationAdapter {
  readonly type = 'baseline.capture';
  readonly name = 'capture-adapter';
  readonly decisions = new Map<string, AdapterDecision | Error>();
  readonly calls: string[] = [];
  gate: Promise<void> | null = null;

  async decide(run: OperationRun): Promise<AdapterDecision> {
    this.calls.push(run.id);
    if (this.gate) await this.gate;
    const decision = this.decisions.get(run.id) ?? { decision: 'failed', reason: 'capture_failed', message: 'No snapshot.' };
    if (decision instanceof Error) throw decision;
    return decision;
  }
}

/** The same adapter with a set-based read: one `decideMany` per sweep batch. */
class BatchedCaptureAdapter extends ScriptedCaptureAdapter {
  readonly batches: string[][] = [];
  failBatch = false;

  async decideMany(runs: OperationRun[]): Promise<Map<string, AdapterDecision>> {
    this.batches.push(runs.map((r) => r.id));
    if (this.failBatch) throw new Error('domain unreachable');
    const verdicts = new Map<string, AdapterDecision>();
    for (const run of runs) {
      const decision = this.decisions.get(run.id) ?? { decision: 'failed', reason: 'capture_failed', message: 'No snapshot.' };
      if (decision instanceof Error) throw decision;
      verdicts.set(run.id, decision);
    }
    return verdicts;
  }
}

/**
 * A queue whose next inspect first lets the test act (the window between findStale and the write),
 * and that can leave ids out of its answer entirely.
 */
class InterleavingRunQueue extends FakeRunQueue {
  duringNextInspect: (() => Promise<void>) | null = null;
  readonly silentAbout = new Set<string>();

  override async inspect(runIds: string[]): Promise<Map<string, JobLiveness>> {
    const hook = this.duringNextInspect;
    this.duringNextInspect = null;
    if (hook) await hook();
    const answer = await super.inspect(runIds);
    for (const id of this.silentAbout) answer.delete(id);
    return answer;
  }
}

function recordingObserver(): RunLifecycleObserver & { completed: string[] } {
  const completed: string[] = [];
  return { completed, onCompleted: (run) => void completed.push(run.id) };
}

function setup({ batchSize = 500, batched = false }: { batchSize?: number; batched?: boolean } = {}) {
  const clock = new FakeClock(SWEEP_AT);
  const repo = new InMemoryOperationRunRepository(clock);
  const queue = new InterleavingRunQueue();
  const handlers = new RunHandlerRegistry(catalog);
  handlers.registerAll([handler('inventory.sync'), handler('baseline.capture')]);
  const observer = recordingObserver();
  const service = new OperationRunService(repo, queue, catalog, handlers, clock, [observer]);
  const source = new InMemoryStaleRunSource(repo);
  const adapter = batched ? new BatchedCaptureAdapter() : new ScriptedCaptureAdapter();
  const adapters = new ReconciliationAdapterRegistry(catalog);
  adapters.registerAll([adapter]);
  const reconciler = new LifecycleReconciler(source, queue, adapters, service, catalog, clock, batchSize);
  return { clock, repo, queue, service, source, adapter, adapters, observer, reconciler };
}
type Env = ReturnType<typeof setup>;

const id = (n: number) => `00000000-0000-4000-8000-${n.toString().padStart(12, '0')}`;

/** A queued run created at T0 + n s (stale at SWEEP_AT for n < 700). */
function queued(env: Env, n: number, o: Partial<OperationRun> = {}): OperationRun {
  return env.repo.seed(buildRun({ id: id(n), fingerprint: `fp-${n}`, status: 'queued', createdAt: at(n), updatedAt: at(n), ...o }));
}

/** A running run at attempt 1, created, started and last beating at T0 + n s. */
function running(env: Env, n: number, o: Partial<OperationRun> = {}): OperationRun {
  return env.repo.seed(
    buildRun({
      id: id(n),
      fingerprint: `fp-${n}`,
      status: 'running',
      attempts: 1,
      createdAt: at(n),
      startedAt: at(n),
      lastHeartbeatAt: at(n),
      updatedAt: at(n),
      context: { attempts: [{ n: 1, started_at: at(n).toISOString(), ended_at: null, error_code: null }] },
      ...o,
    }),
  );
}

async function get(env: Env, n: number): Promise<OperationRun> {
  const run = await env.repo.findById(id(n));
  if (!run) throw new Error(`run ${n} is gone`);
  return run;
}

/** Stored jsonb as this realm's plain objects (repository copies come from Node's structuredClone). */
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

const appliedCas = (env: Env, n: number) => env.repo.casLog.filter((e) => e.id === id(n) && e.applied).length;

const RELATED: RelatedRef = { type: 'baseline_snapshot', id: '00000000-0000-4000-8000-00000000c0de' };

/**
 * 1 queued, job missing → stale_queued          2 running, active_unlocked → stale_running (job removed)
 * 3 running, active_locked → skip_alive          4 running, delayed_retry → skip_alive
 * 5 queued, unreachable → skip_unverified        6 running with a fresh heartbeat → never examined
 * 7 capture, adapter succeeded → adapter         8 capture, adapter defers → deferred
 * 9 capture, active_locked → skip_alive          10 queued under the alias, waiting → stale_queued (job removed)
 * 11 completed long ago → never examined
 */
function seedMixedBatch(env: Env) {
  queued(env, 1);
  running(env, 2);
  running(env, 3);
  running(env, 4);
  queued(env, 5);
  running(env, 6, { lastHeartbeatAt: at(950) });
  running(env, 7, { type: 'baseline.capture' });
  running(env, 8, { type: 'baseline.capture' });
  running(env, 9, { type: 'baseline.capture' });
  queued(env, 10, { type: 'inventory_sync' });
  env.repo.seed(buildRun({ id: id(11), fingerprint: 'fp-11', status: 'completed', outcome: 'succeeded', completedAt: at(11) }));
  const liveness: Array<[number, JobLiveness]> = [
    [2, 'active_unlocked'],
    [3, 'active_locked'],
    [4, 'delayed_retry'],
    [5, 'unreachable'],
    [9, 'active_locked'],
    [10, 'waiting'],
  ];
  for (const [n, l] of liveness) env.queue.liveness.set(id(n), l);
  env.adapter.decisions.set(id(7), {
    decision: 'succeeded',
    reason: 'snapshot_complete',
    message: 'The snapshot was stored before the worker stopped.',
    related: RELATED,
    summaryCounts: { processed: 12, total: 12 },
  });
  env.adapter.decisions.set(id(8), { decision: 'defer', reason: 'capture_progressing' });
}

const MIXED_SUMMARY: Omit<SweepSummary, 'dry_run'> = {
  examined: 9,
  reconciled: 4,
  skipped_alive: 3,
  skipped_unverified: 1,
  deferred: 1,
  by_reason: { stale_queued: 2, stale_running: 1, snapshot_complete: 1 },
  apply_failed: 0,
  lock: 'acquired',
};

describe('LifecycleReconciler.sweep', () => {
  it('summarises a mixed batch and converges every eligible run to terminal truth', async () => {
    const env = setup();
    seedMixedBatch(env);
    const untouched = await Promise.all([3, 4, 5, 6, 8, 9, 11].map((n) => get(env, n)));

    const summary = await env.reconciler.sweep();

    expect(summary).toEqual({ ...MIXED_SUMMARY, dry_run: false });
    for (const run of untouched) expect(await get(env, Number(run.id.slice(-12)))).toEqual(run);

    const r1 = await get(env, 1);
    expect(r1).toMatchObject({ status: 'completed', outcome: 'failed', completedAt: SWEEP_AT });
    expect(plain(r1.context.reconciliation)).toStrictEqual({
      version: 1,
      reason: 'stale_queued',
      source: 'scheduled_reconciler',
      decision: 'failed',
      reconciled_at: SWEEP_AT.toISOString(),
      previous_status: 'queued',
      previous_outcome: 'pending',
      message: STALE_QUEUED_MESSAGE,
    });
    expect(r1.context.failures).toEqual([{ code: 'stale_queued', message: STALE_QUEUED_MESSAGE }]);

    const r2 = await get(env, 2);
    expect(r2).toMatchObject({ status: 'completed', outcome: 'failed' });
    expect(r2.context.reconciliation).toMatchObject({
      reason: 'stale_running',
      source: 'scheduled_reconciler',
      previous_status: 'running',
      message: STALE_RUNNING_MESSAGE,
    });
    expect(r2.context.reconciliation).not.toHaveProperty('adapter');
    expect(r2.context.attempts).toEqual([
      { n: 1, started_at: at(2).toISOString(), ended_at: SWEEP_AT.toISOString(), error_code: 'stale_running' },
    ]);

    const r7 = await get(env, 7);
    expect(r7).toMatchObject({ status: 'completed', outcome: 'succeeded', summaryCounts: { processed: 12, total: 12 } });
    expect(plain(r7.context.reconciliation)).toStrictEqual({
      version: 1,
      reason: 'snapshot_complete',
      source: 'adapter',
      adapter: 'capture-adapter',
      decision: 'succeeded',
      reconciled_at: SWEEP_AT.toISOString(),
      previous_status: 'running',
      previous_outcome: 'pending',
      related: RELATED,
      message: 'The snapshot was stored before the worker stopped.',
    });
    expect(r7.context.related).toEqual(RELATED);
    expect(r7.context.failures).toBeUndefined();

    const r10 = await get(env, 10);
    expect(r10).toMatchObject({ type: 'inventory_sync', status: 'completed', outcome: 'failed' });
    expect(r10.context.reconciliation?.reason).toBe('stale_queued');

    // Only the waiting / unlocked jobs are removed; the adapter was asked only about dead jobs.
    expect(env.queue.removed).toEqual([id(2), id(10)]);
    expect(env.adapter.calls).toEqual([id(7), id(8)]);
    // Observers hear about each reconciled run exactly once.
    expect([...env.observer.completed].sort()).toEqual([id(1), id(2), id(7), id(10)]);
  });

  it('asks a set-based adapter once per batch, never per run, with the same verdicts', async () => {
    const env = setup({ batched: true });
    seedMixedBatch(env);
    const summary = await env.reconciler.sweep();
    expect(summary).toEqual({ ...MIXED_SUMMARY, dry_run: false });
    const adapter = env.adapter as BatchedCaptureAdapter;
    expect(adapter.batches).toEqual([[id(7), id(8)]]);
    expect(adapter.calls).toEqual([]);
  });

  it('defers every run of a batch whose set-based read fails (nothing proven, nothing closed)', async () => {
    const env = setup({ batched: true });
    const adapter = env.adapter as BatchedCaptureAdapter;
    adapter.failBatch = true;
    seedMixedBatch(env);
    const summary = await env.reconciler.sweep();
    expect(adapter.batches).toHaveLength(1);
    expect((await get(env, 7)).status).not.toBe('completed');
    expect((await get(env, 8)).status).not.toBe('completed');
    expect(summary.deferred).toBe(2);
  });

  it('is idempotent: a second sweep reconciles nothing more and rewrites no record', async () => {
    const env = setup();
    seedMixedBatch(env);
    await env.reconciler.sweep();
    const after = env.repo.all();
    const casBefore = env.repo.casLog.length;
    env.clock.advance(30);

    const again = await env.reconciler.sweep();

    expect(again).toEqual({
      examined: 5,
      reconciled: 0,
      skipped_alive: 3,
      skipped_unverified: 1,
      deferred: 1,
      by_reason: {},
      apply_failed: 0,
      dry_run: false,
      lock: 'acquired',
    });
    expect(env.repo.all()).toEqual(after);
    expect(env.repo.casLog.length).toBe(casBefore);
    expect(env.queue.removed).toEqual([id(2), id(10)]);
    expect(env.observer.completed).toHaveLength(4);
  });

  it('a dry run changes nothing and removes no job, but reports what a real sweep then does', async () => {
    const env = setup();
    seedMixedBatch(env);
    const before = env.repo.all();

    const dry = await env.reconciler.sweep({ dryRun: true });

    expect(dry).toEqual({ ...MIXED_SUMMARY, dry_run: true });
    expect(env.repo.all()).toEqual(before);
    expect(env.repo.casLog).toEqual([]);
    expect(env.queue.removed).toEqual([]);
    expect(env.observer.completed).toEqual([]);

    const real = await env.reconciler.sweep();
    expect(real.by_reason).toEqual(dry.by_reason);
    expect({ ...real, dry_run: true }).toEqual(dry);
    expect(env.repo.all()).not.toEqual(before);
  });

  it('removes the job only for waiting and active_unlocked jobs, never for alive or unverified ones', async () => {
    const env = setup();
    const cases: Array<[number, JobLiveness, boolean]> = [
      [1, 'waiting', true],
      [2, 'active_unlocked', true],
      [3, 'missing', false],
      [4, 'completed', false],
      [5, 'failed', false],
      [6, 'active_locked', false],
      [7, 'delayed_retry', false],
      [8, 'unreachable', false],
    ];
    for (const [n, liveness] of cases) {
      running(env, n);
      env.queue.liveness.set(id(n), liveness);
    }

    const summary = await env.reconciler.sweep();

    expect(env.queue.removed).toEqual(cases.filter(([, , removed]) => removed).map(([n]) => id(n)));
    expect(summary).toMatchObject({ examined: 8, reconciled: 5, skipped_alive: 2, skipped_unverified: 1 });
    for (const [n, liveness] of cases) {
      const expected = ['active_locked', 'delayed_retry', 'unreachable'].includes(liveness) ? 'running' : 'completed';
      expect([liveness, (await get(env, n)).status]).toEqual([liveness, expected]);
    }
  });

  it('skips everything, closes nothing and removes nothing when the queue is unreachable', async () => {
    const env = setup();
    queued(env, 1);
    running(env, 2);
    env.queue.liveness.set(id(2), 'waiting');
    env.queue.failWith();

    const summary = await env.reconciler.sweep();

    expect(summary).toMatchObject({ examined: 2, reconciled: 0, skipped_unverified: 2, by_reason: {} });
    expect((await get(env, 1)).status).toBe('queued');
    expect((await get(env, 2)).status).toBe('running');
    expect(env.queue.removed).toEqual([]);
  });

  it('treats a run the queue gave no answer about as unverified, never closing it', async () => {
    const env = setup();
    running(env, 1);
    running(env, 2);
    env.queue.silentAbout.add(id(1));

    const summary = await env.reconciler.sweep();

    expect(summary).toMatchObject({ examined: 2, reconciled: 1, skipped_unverified: 1 });
    expect((await get(env, 1)).status).toBe('running');
    expect((await get(env, 2)).status).toBe('completed');
  });

  describe('batching', () => {
    /** Wraps findStale to record cursors and to fail fast (instead of hanging) if a sweep loops. */
    function watchFindStale(env: Env) {
      const original = env.source.findStale.bind(env.source);
      const cursors: Array<SweepCursor | null> = [];
      jest.spyOn(env.source, 'findStale').mockImplementation(async (now, windows, cursor, limit) => {
        cursors.push(cursor && { ...cursor });
        if (cursors.length > 20) throw new Error('the sweep does not terminate');
        return original(now, windows, cursor, limit);
      });
      return cursors;
    }

    it('walks 7 stale runs (2 alive) in batches of 2, reconciling each eligible run exactly once', async () => {
      const env = setup({ batchSize: 2 });
      for (const n of [1, 2, 3, 4, 5, 6, 7]) {
        // Runs 2 and 3 share a creation time: the keyset must fall back to the id across a batch edge.
        running(env, n, n === 3 ? { createdAt: at(2) } : {});
      }
      env.queue.liveness.set(id(2), 'active_locked');
      env.queue.liveness.set(id(5), 'delayed_retry');
      const cursors = watchFindStale(env);

      const summary = await env.reconciler.sweep();

      expect(summary).toMatchObject({ examined: 7, reconciled: 5, skipped_alive: 2, by_reason: { stale_running: 5 } });
      expect(cursors).toEqual([
        null,
        { createdAt: at(2), id: id(2) },
        { createdAt: at(4), id: id(4) },
        { createdAt: at(6), id: id(6) },
      ]);
      for (const n of [1, 3, 4, 6, 7]) expect([n, appliedCas(env, n)]).toEqual([n, 1]);
      for (const n of [2, 5]) {
        expect(env.repo.casLog.filter((e) => e.id === id(n))).toEqual([]);
        expect((await get(env, n)).status).toBe('running');
      }
      expect([...env.observer.completed].sort()).toEqual([1, 3, 4, 6, 7].map(id));
    });

    it('stops after an empty batch when the stale runs fill the last batch exactly', async () => {
      const env = setup({ batchSize: 2 });
      for (const n of [1, 2, 3, 4]) queued(env, n);
      const cursors = watchFindStale(env);

      const summary = await env.reconciler.sweep();

      expect(summary).toMatchObject({ examined: 4, reconciled: 4, by_reason: { stale_queued: 4 } });
      expect(cursors).toHaveLength(3);
      expect(cursors[2]).toEqual({ createdAt: at(4), id: id(4) });
    });

    it('terminates even when every run in every batch is skipped', async () => {
      const env = setup({ batchSize: 2 });
      for (const n of [1, 2, 3, 4, 5]) {
        running(env, n);
        env.queue.liveness.set(id(n), 'active_locked');
      }
      const cursors = watchFindStale(env);

      const summary = await env.reconciler.sweep();

      expect(summary).toMatchObject({ examined: 5, reconciled: 0, skipped_alive: 5 });
      expect(cursors).toHaveLength(3);
      expect(env.repo.casLog).toEqual([]);
    });
  });

  describe('adapters', () => {
    it('treats an adapter that throws as a defer, then force-fails generically once the ceiling passes', async () => {
      const env = setup();
      running(env, 7, { type: 'baseline.capture' });
      env.adapter.decisions.set(id(7), new Error('relation "baseline_snapshots" does not exist'));
      const before = await get(env, 7);

      const first = await env.reconciler.sweep();
      expect(first).toMatchObject({ examined: 1, deferred: 1, reconciled: 0, by_reason: {} });
      expect(await get(env, 7)).toEqual(before);

      env.clock.set(at(7 + CAPTURE_CEILING_S - 1));
      expect(await env.reconciler.sweep()).toMatchObject({ deferred: 1, reconciled: 0 });

      env.clock.set(at(7 + CAPTURE_CEILING_S));
      const late = await env.reconciler.sweep();
      expect(late).toMatchObject({ examined: 1, deferred: 0, reconciled: 1, by_reason: { stale_running: 1 } });

      const run = await get(env, 7);
      expect(run).toMatchObject({ status: 'completed', outcome: 'failed' });
      expect(run.context.reconciliation).toMatchObject({
        reason: 'stale_running',
        source: 'scheduled_reconciler',
        message: STALE_RUNNING_MESSAGE,
        reconciled_at: at(7 + CAPTURE_CEILING_S).toISOString(),
      });
      expect(run.context.reconciliation).not.toHaveProperty('adapter');
      expect(JSON.stringify(run.context)).not.toContain('baseline_snapshots');
      expect(env.adapter.calls).toEqual([id(7), id(7), id(7)]);
    });

    it('a deferring adapter is overruled by the generic force-fail after the ceiling', async () => {
      const env = setup();
      queued(env, 3, { type: 'baseline.capture' });
      env.adapter.decisions.set(id(3), { decision: 'defer', reason: 'capture_progressing' });

      expect(await env.reconciler.sweep()).toMatchObject({ deferred: 1, reconciled: 0 });
      env.clock.set(at(3 + CAPTURE_CEILING_S));
      expect(await env.reconciler.sweep()).toMatchObject({ deferred: 0, reconciled: 1, by_reason: { stale_queued: 1 } });
      expect((await get(env, 3)).context.reconciliation).toMatchObject({ source: 'scheduled_reconciler', reason: 'stale_queued' });
    });

    it.each<[string, AdapterDecision, string]>([
      ['partially_succeeded', { decision: 'partially_succeeded', reason: 'snapshot_partial', message: 'Part of it.', summaryCounts: { processed: 3, total: 9 } }, 'partially_succeeded'],
      ['blocked', { decision: 'blocked', reason: 'environment_locked', message: 'Locked.' }, 'blocked'],
      ['failed', { decision: 'failed', reason: 'snapshot_missing', message: 'Nothing stored.' }, 'failed'],
    ])('applies an adapter %s decision with its reason and message as the failure', async (_label, decision, outcome) => {
      const env = setup();
      running(env, 7, { type: 'baseline.capture' });
      env.adapter.decisions.set(id(7), decision);
      const d = decision as Exclude<AdapterDecision, { decision: 'defer' }>;

      const summary = await env.reconciler.sweep();

      expect(summary.by_reason).toEqual({ [d.reason]: 1 });
      const run = await get(env, 7);
      expect(run.outcome).toBe(outcome);
      expect(run.context.reconciliation).toMatchObject({ source: 'adapter', adapter: 'capture-adapter', decision: outcome, reason: d.reason });
      expect(run.context.failures).toEqual([{ code: d.reason, message: d.message }]);
      if (d.summaryCounts) expect(run.summaryCounts).toMatchObject(d.summaryCounts);
    });
  });

  describe("adapters' apply effects", () => {
    /** A failed verdict whose effect records the run's status at the moment it runs. */
    function withEffect(env: Env, n: number, effect: () => Promise<void> = async () => undefined) {
      const seen: string[] = [];
      env.adapter.decisions.set(id(n), {
        decision: 'failed',
        reason: 'incomplete_snapshot',
        message: 'Partial snapshot.',
        apply: async () => {
          seen.push((await get(env, n)).status);
          await effect();
        },
      });
      return seen;
    }

    it('a dry run never runs an effect; the real sweep runs it once, after the run is closed', async () => {
      const env = setup();
      running(env, 7, { type: 'baseline.capture' });
      const seen = withEffect(env, 7);

      expect(await env.reconciler.sweep({ dryRun: true })).toMatchObject({ reconciled: 1, by_reason: { incomplete_snapshot: 1 } });
      expect(seen).toEqual([]);

      expect(await env.reconciler.sweep()).toMatchObject({ reconciled: 1, apply_failed: 0 });
      expect(seen).toEqual(['completed']);
      expect(await env.reconciler.sweep()).toMatchObject({ examined: 0, reconciled: 0 });
      expect(seen).toEqual(['completed']);
    });

    it('never runs the effect of a run whose transition a worker won', async () => {
      const env = setup();
      running(env, 7, { type: 'baseline.capture' });
      const seen = withEffect(env, 7);
      env.queue.duringNextInspect = async () => {
        await env.service.complete((await env.service.findById(id(7)))!, { outcome: 'succeeded' });
      };

      expect(await env.reconciler.sweep()).toMatchObject({ examined: 1, reconciled: 0 });
      expect(seen).toEqual([]);
      expect((await get(env, 7)).outcome).toBe('succeeded');
    });

    it('an effect that fails is counted; the run stays closed and the other effects still run', async () => {
      const env = setup();
      running(env, 7, { type: 'baseline.capture' });
      running(env, 8, { type: 'baseline.capture' });
      withEffect(env, 7, async () => {
        throw new Error('connection lost');
      });
      const other = withEffect(env, 8);

      expect(await env.reconciler.sweep()).toMatchObject({ reconciled: 2, apply_failed: 1 });
      expect((await get(env, 7)).status).toBe('completed');
      expect(other).toEqual(['completed']);
    });
  });

  it('a second concurrent sweep finds the lock busy and does nothing', async () => {
    const env = setup();
    running(env, 7, { type: 'baseline.capture' });
    queued(env, 1);
    let release!: () => void;
    env.adapter.gate = new Promise<void>((resolve) => (release = resolve));
    const findStale = jest.spyOn(env.source, 'findStale');
    // Another app instance: its own reconciler, the same cluster-wide lock.
    const other = new LifecycleReconciler(env.source, env.queue, env.adapters, env.service, catalog, env.clock, 500);

    const first = env.reconciler.sweep();
    for (let i = 0; i < 50 && env.adapter.calls.length === 0; i++) await new Promise((r) => setImmediate(r));
    expect(env.adapter.calls).toEqual([id(7)]);
    expect(env.source.locked).toBe(true);

    const busy = await other.sweep();
    expect(busy).toEqual({
      examined: 0,
      reconciled: 0,
      skipped_alive: 0,
      skipped_unverified: 0,
      deferred: 0,
      by_reason: {},
      apply_failed: 0,
      dry_run: false,
      lock: 'busy',
    });
    const busyDry = await env.reconciler.sweep({ dryRun: true });
    expect(busyDry).toMatchObject({ lock: 'busy', dry_run: true, examined: 0 });
    expect(findStale).toHaveBeenCalledTimes(1);
    expect(env.repo.casLog).toEqual([]);
    expect((await get(env, 1)).status).toBe('queued');

    release();
    expect(await first).toMatchObject({ lock: 'acquired', reconciled: 2, by_reason: { stale_queued: 1, capture_failed: 1 } });
    expect(env.source.locked).toBe(false);
    expect(await other.sweep()).toMatchObject({ lock: 'acquired', examined: 0 });
  });

  it('reads the next batch while the current one is being closed, and closes every batch', async () => {
    const env = setup({ batchSize: 2 });
    for (const n of [1, 2, 3, 4, 5]) queued(env, n);
    const events: string[] = [];
    const findStale = env.source.findStale.bind(env.source);
    jest.spyOn(env.source, 'findStale').mockImplementation(async (...args) => {
      const batch = await findStale(...args);
      events.push(`read ${batch.map((r) => r.id.slice(-1)).join('')}`);
      return batch;
    });
    const completeMany = env.repo.completeMany.bind(env.repo);
    jest.spyOn(env.repo, 'completeMany').mockImplementation(async (items) => {
      const ids = items.map((i) => i.id.slice(-1)).join('');
      await new Promise((r) => setImmediate(r)); // the write takes a while
      const won = await completeMany(items);
      events.push(`closed ${ids}`);
      return won;
    });
    const summary = await env.reconciler.sweep();
    expect(summary).toMatchObject({ examined: 5, reconciled: 5 });
    // Each batch after the first was read before the batch ahead of it was closed; the last one
    // (shorter than the batch size) ends the sweep without another read.
    const order = (e: string) => events.indexOf(e);
    expect(events.filter((e) => e.startsWith('read'))).toEqual(['read 12', 'read 34', 'read 5']);
    expect(events.filter((e) => e.startsWith('closed'))).toEqual(['closed 12', 'closed 34', 'closed 5']);
    expect(order('read 34')).toBeLessThan(order('closed 12'));
    expect(order('read 5')).toBeLessThan(order('closed 34'));
    for (const n of [1, 2, 3, 4, 5]) expect((await get(env, n)).status).toBe('completed');
  });

  it('closes two batches at a time, never more', async () => {
    const env = setup({ batchSize: 2 });
    for (const n of [1, 2, 3, 4, 5, 6, 7]) queued(env, n);
    let inFlight = 0;
    let most = 0;
    const completeMany = env.repo.completeMany.bind(env.repo);
    jest.spyOn(env.repo, 'completeMany').mockImplementation(async (items) => {
      most = Math.max(most, ++inFlight);
      for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r)); // a slow write
      try {
        return await completeMany(items);
      } finally {
        inFlight--;
      }
    });
    expect(await env.reconciler.sweep()).toMatchObject({ examined: 7, reconciled: 7 });
    expect(most).toBe(2);
    for (const n of [1, 2, 3, 4, 5, 6, 7]) expect((await get(env, n)).status).toBe('completed');
  });

  it('a failed batch write fails the sweep only after the other batch in flight settled', async () => {
    const env = setup({ batchSize: 2 });
    for (const n of [1, 2, 3, 4]) queued(env, n);
    const completeMany = env.repo.completeMany.bind(env.repo);
    let settled = false;
    jest.spyOn(env.repo, 'completeMany').mockImplementation(async (items) => {
      if (items.some((i) => i.id === id(1))) throw new Error('statement failed');
      for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
      const won = await completeMany(items);
      settled = true;
      return won;
    });
    await expect(env.reconciler.sweep()).rejects.toThrow('statement failed');
    expect(settled).toBe(true);
    expect([(await get(env, 3)).status, (await get(env, 4)).status]).toEqual(['completed', 'completed']);
    expect(env.source.locked).toBe(false);
  });

  it('a failed read of the next batch fails the sweep once the current batch is closed', async () => {
    const env = setup({ batchSize: 2 });
    for (const n of [1, 2, 3, 4]) queued(env, n);
    const findStale = env.source.findStale.bind(env.source);
    let reads = 0;
    jest.spyOn(env.source, 'findStale').mockImplementation(async (...args) => {
      if (++reads === 2) throw new Error('connection lost');
      return findStale(...args);
    });
    await expect(env.reconciler.sweep()).rejects.toThrow('connection lost');
    expect([(await get(env, 1)).status, (await get(env, 2)).status]).toEqual(['completed', 'completed']);
    expect([(await get(env, 3)).status, (await get(env, 4)).status]).toEqual(['queued', 'queued']);
    expect(env.source.locked).toBe(false);
  });

  it('does not overwrite a run a worker completed between findStale and the write; records the lost transition', async () => {
    const env = setup();
    running(env, 1);
    running(env, 2);
    env.queue.liveness.set(id(1), 'active_unlocked');
    // While the sweep asks the queue about its batch, the worker finishes run 1 through the service.
    env.queue.duringNextInspect = async () => {
      const current = await env.service.findById(id(1));
      const done = await env.service.complete(current!, { outcome: 'succeeded', summaryCounts: { processed: 5, total: 5 } });
      expect(done?.status).toBe('completed');
    };

    const summary = await env.reconciler.sweep();

    expect(summary).toMatchObject({ examined: 2, reconciled: 1, by_reason: { stale_running: 1 } });
    const won = await get(env, 1);
    expect(won).toMatchObject({ status: 'completed', outcome: 'succeeded', summaryCounts: { processed: 5, total: 5 } });
    expect(won.context.reconciliation).toBeUndefined();
    expect(won.context.failures).toBeUndefined();
    expect(won.context.diagnostics?.lost_transitions).toEqual([
      {
        source: 'scheduled_reconciler',
        attempted_status: 'completed',
        attempted_outcome: 'failed',
        expected_status: 'running',
        at: SWEEP_AT.toISOString(),
      },
    ]);
    // The reconciler's guarded write for run 1 was attempted and refused.
    expect(env.repo.casLog.filter((e) => e.id === id(1)).map((e) => [e.change.outcome, e.applied])).toEqual([
      ['succeeded', true],
      ['failed', false],
    ]);
    expect((await get(env, 2)).context.reconciliation?.reason).toBe('stale_running');
    // Observers: run 1 once (the worker's completion), run 2 once (the reconciliation).
    expect(env.observer.completed).toEqual([id(1), id(2)]);
  });
});

describe('staleWindows', () => {
  it('lists every canonical type and alias with its own policy windows', () => {
    expect(staleWindows(catalog)).toEqual([
      { type: 'baseline.capture', queued_after_s: 300, running_after_s: 120 },
      { type: 'baseline_capture', queued_after_s: 300, running_after_s: 120 },
      { type: 'inventory.sync', queued_after_s: 300, running_after_s: 90 },
      { type: 'inventory_sync', queued_after_s: 300, running_after_s: 90 },
    ]);
  });
});

describe('InMemoryStaleRunSource (mirrors the SQL of MikroOrmStaleRunSource)', () => {
  const windows = staleWindows(catalog);

  it('returns only active runs strictly past their window, judged like the SQL', async () => {
    const env = setup();
    const now = at(1000);
    queued(env, 1, { createdAt: at(700) }); // exactly 300 s: not past
    queued(env, 2, { createdAt: at(699.999) }); // 1 ms past
    running(env, 3, { createdAt: T0, startedAt: T0, lastHeartbeatAt: at(910) }); // exactly 90 s: not past
    running(env, 4, { createdAt: T0, startedAt: at(909.999), lastHeartbeatAt: null }); // no heartbeat: from the start
    running(env, 5, { createdAt: T0, startedAt: null, lastHeartbeatAt: null }); // nothing to judge from
    running(env, 6, { createdAt: T0, type: 'legacy.unknown', lastHeartbeatAt: T0 }); // no window for the type
    running(env, 7, { createdAt: T0, type: 'baseline_capture', lastHeartbeatAt: at(879) }); // alias window 120 s
    env.repo.seed(buildRun({ id: id(8), status: 'completed', outcome: 'failed', createdAt: T0 }));

    const found = await env.source.findStale(now, windows, null, 100);
    // Oldest first; runs 4 and 7 share created_at, so the id decides.
    expect(found.map((r) => r.id)).toEqual([id(4), id(7), id(2)]);
    expect(await env.source.findStale(now, [], null, 100)).toEqual([]);
  });

  it('orders by (created_at, id), continues after the cursor and honours the limit', async () => {
    const env = setup();
    for (const n of [5, 3, 1, 4, 2]) queued(env, n, { createdAt: n <= 2 ? at(1) : at(n) });
    expect((await env.source.findStale(SWEEP_AT, windows, null, 3)).map((r) => r.id)).toEqual([id(1), id(2), id(3)]);
    expect((await env.source.findStale(SWEEP_AT, windows, { createdAt: at(1), id: id(1) }, 10)).map((r) => r.id)).toEqual([
      id(2),
      id(3),
      id(4),
      id(5),
    ]);
    expect(await env.source.findStale(SWEEP_AT, windows, { createdAt: at(5), id: id(5) }, 10)).toEqual([]);
  });

  it('admits one lock holder at a time and releases the lock even when the work fails', async () => {
    const env = setup();
    let release!: () => void;
    const held = env.source.withSweepLock(() => new Promise<string>((r) => (release = () => r('done'))));
    const work = jest.fn(async () => 'never');
    expect(await env.source.withSweepLock(work)).toEqual({ acquired: false });
    expect(work).not.toHaveBeenCalled();
    release();
    expect(await held).toEqual({ acquired: true, result: 'done' });
    await expect(env.source.withSweepLock(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await env.source.withSweepLock(async () => 1)).toEqual({ acquired: true, result: 1 });
  });
});
