import { DomainError } from '../../../shared/core/domain-error';
import { FakeClock } from '../../../../test/support/fakes/fake-clock';
import { FakeRunQueue } from '../../../../test/support/fakes/fake-run-queue';
import { InMemoryOperationRunRepository } from '../../../../test/support/fakes/in-memory-operation-run.repository';
import { at, buildDefinition, buildRun, T0 } from '../../../../test/support/run-builder';
import { deriveFreshness } from './freshness';
import { OperationCatalog } from './operation-catalog';
import { OperationRun } from './operation-run';
import { OperationRunService } from './operation-run.service';
import { DISPATCH_FAILED_MESSAGE, DispatchRequest, errorInfo } from './operation-run.requests';
import { computeRunFingerprint } from './run-fingerprint';
import { RunHandlerRegistry } from './run-handler-registry';
import { HandlerResult, RunHandler } from './ports/run-handler.port';
import { RunLifecycleObserver } from './ports/run-lifecycle-observer.port';
import { CompletionAudit } from './ports/completion-audit.port';

const WORKSPACE = '00000000-0000-4000-8000-0000000000a1';
const ENV = '00000000-0000-4000-8000-0000000000e1';
const OTHER_ENV = '00000000-0000-4000-8000-0000000000e2';
const USER = '00000000-0000-4000-8000-0000000000b1';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** inventory.sync: optional boolean `full`, defaulted; baseline.capture: required non-empty `label`. */
const inventoryHandler: RunHandler = {
  type: 'inventory.sync',
  parseInput(raw) {
    const input = (raw ?? {}) as Record<string, unknown>;
    if (input.full !== undefined && typeof input.full !== 'boolean') {
      throw new DomainError('invalid_input', '"full" must be true or false.');
    }
    return { full: input.full ?? false, ...(input.scope ? { scope: input.scope } : {}) };
  },
  handle: async (): Promise<HandlerResult> => ({ outcome: 'succeeded' }),
};

const captureHandler: RunHandler = {
  type: 'baseline.capture',
  parseInput(raw) {
    const label = (raw as { label?: unknown } | undefined)?.label;
    if (typeof label !== 'string' || !label) throw new DomainError('invalid_input', 'A baseline needs a label.');
    return { label };
  },
  handle: async (): Promise<HandlerResult> => ({ outcome: 'succeeded' }),
};

const catalog = new OperationCatalog([
  buildDefinition({
    type: 'inventory.sync',
    aliases: ['inventory_sync'],
    policy: { max_attempts: 3, backoff: { type: 'exponential', delay_s: 5 } },
  }),
  buildDefinition({
    type: 'baseline.capture',
    aliases: ['baseline_capture'],
    progress_mode: 'phased',
    phases: [
      { key: 'collect', label: 'Collecting policy evidence' },
      { key: 'hash', label: 'Hashing' },
      { key: 'store', label: 'Storing the snapshot' },
    ],
    policy: { max_attempts: 2, backoff: { type: 'fixed', delay_s: 10 } },
  }),
]);

/** Describes a completion by what the audit log needs from it: outcome, failure codes, reconciliation. */
const describingAudit: CompletionAudit = {
  eventFor: (run) => ({
    actorUserId: run.initiatorUserId,
    actorLabel: run.initiatorUserId ? 'user' : 'system',
    workspaceId: run.workspaceId,
    environmentId: run.environmentId,
    action: run.context.reconciliation ? 'operation.reconciled' : 'operation.completed',
    subjectType: 'operation_run',
    subjectId: run.id,
    metadata: {
      type: run.type,
      status: run.status,
      outcome: run.outcome,
      failure_codes: (run.context.failures ?? []).map((f) => f.code),
      reason: run.context.reconciliation?.reason ?? null,
    },
  }),
};

function setup(observers: RunLifecycleObserver[] = []) {
  const clock = new FakeClock();
  const repo = new InMemoryOperationRunRepository(clock);
  const queue = new FakeRunQueue();
  const handlers = new RunHandlerRegistry(catalog);
  handlers.registerAll([inventoryHandler, captureHandler]);
  const service = new OperationRunService(repo, queue, catalog, handlers, clock, observers, describingAudit);
  return { clock, repo, queue, service };
}

function request(overrides: Partial<DispatchRequest> = {}): DispatchRequest {
  return { workspaceId: WORKSPACE, environmentId: ENV, type: 'inventory.sync', initiatorUserId: USER, ...overrides };
}

async function caught(work: Promise<unknown>): Promise<DomainError> {
  try {
    await work;
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}

function recordingObserver(): RunLifecycleObserver & { completed: OperationRun[] } {
  const completed: OperationRun[] = [];
  return { completed, onCompleted: (run) => void completed.push(run) };
}

/** A dispatched run that a worker has picked up (attempt 1 open), at clock T0 + 1s. */
async function startedRun(env: ReturnType<typeof setup>, overrides: Partial<DispatchRequest> = {}) {
  const { run } = await env.service.dispatch(request(overrides));
  env.clock.advance(1);
  const started = await env.service.beginAttempt(run.id);
  if (!started) throw new Error('could not start the run');
  return started;
}

describe('OperationRunService.dispatch', () => {
  it('inserts a queued run with canonical type, parsed inputs and the creation time from the clock', async () => {
    const { service, repo } = setup();
    const { run, created } = await service.dispatch(request({ input: { full: true } }));
    expect(created).toBe(true);
    expect(run.id).toMatch(UUID);
    expect(run).toMatchObject({
      workspaceId: WORKSPACE,
      environmentId: ENV,
      type: 'inventory.sync',
      status: 'queued',
      outcome: 'pending',
      initiatorUserId: USER,
      attempts: 0,
      createdAt: T0,
      startedAt: null,
      completedAt: null,
    });
    expect(run.context.inputs).toEqual({ full: true });
    expect(await repo.findById(run.id)).toEqual(run);
  });

  it('stores what the handler parsed (defaults applied), not the raw input', async () => {
    const { service } = setup();
    const { run } = await service.dispatch(request({ input: { unexpected: 'dropped' } }));
    expect(run.context.inputs).toEqual({ full: false });
  });

  it('resolves a legacy alias to the canonical type everywhere it writes', async () => {
    const { service, queue } = setup();
    const { run } = await service.dispatch(request({ type: 'inventory_sync' }));
    expect(run.type).toBe('inventory.sync');
    expect(run.context.dispatch?.job_name).toBe('inventory.sync');
    expect(queue.enqueued).toEqual([expect.objectContaining({ runId: run.id, type: 'inventory.sync' })]);
  });

  it('writes context.dispatch with the queue names, the clock time and the run id', async () => {
    const { service, clock } = setup();
    clock.set(at(123.456));
    const { run } = await service.dispatch(request());
    expect(run.context.dispatch).toEqual({
      job_name: 'inventory.sync',
      queue: 'operation-runs',
      connection: 'redis',
      dispatched_at: at(123.456).toISOString(),
      correlation_version: 1,
      operation_run_id: run.id,
    });
  });

  it("enqueues one job for the run with its type's max_attempts and backoff", async () => {
    const { service, queue } = setup();
    const inventory = await service.dispatch(request());
    const capture = await service.dispatch(request({ type: 'baseline_capture', input: { label: 'Q1' } }));
    expect(queue.enqueued).toEqual([
      { runId: inventory.run.id, type: 'inventory.sync', maxAttempts: 3, backoff: { type: 'exponential', delay_s: 5 } },
      { runId: capture.run.id, type: 'baseline.capture', maxAttempts: 2, backoff: { type: 'fixed', delay_s: 10 } },
    ]);
  });

  it('uses the fingerprint of canonical type, scope and parsed inputs', async () => {
    const { service } = setup();
    const { run } = await service.dispatch(request({ type: 'inventory_sync', input: { full: true } }));
    expect(run.fingerprint).toBe(
      computeRunFingerprint({ type: 'inventory.sync', workspaceId: WORKSPACE, environmentId: ENV, basis: { full: true } }),
    );
  });

  it('rejects invalid input with the handler DomainError and writes nothing', async () => {
    const { service, repo, queue } = setup();
    const error = await caught(service.dispatch(request({ input: { full: 'yes' } })));
    expect(error.code).toBe('invalid_input');
    expect(error.message).toBe('"full" must be true or false.');
    expect(repo.size).toBe(0);
    expect(queue.enqueued).toEqual([]);
  });

  it('rejects an unknown type with unknown_operation_type and writes nothing', async () => {
    const { service, repo, queue } = setup();
    const error = await caught(service.dispatch(request({ type: 'tenant.delete' })));
    expect(error.code).toBe('unknown_operation_type');
    expect(error.kind).toBe('invalid');
    expect(error.message).toContain('"tenant.delete"');
    expect(repo.size).toBe(0);
    expect(queue.enqueued).toEqual([]);
  });

  describe('dedupe', () => {
    it('returns the active run with created=false and does not enqueue again', async () => {
      const { service, repo, queue, clock } = setup();
      const first = await service.dispatch(request({ input: { full: true } }));
      clock.advance(30);
      const second = await service.dispatch(request({ input: { full: true } }));
      expect(second.created).toBe(false);
      expect(second.run.id).toBe(first.run.id);
      expect(second.run.context.dispatch?.dispatched_at).toBe(T0.toISOString());
      expect(second.run.context.dispatch?.operation_run_id).toBe(first.run.id);
      expect(repo.size).toBe(1);
      expect(queue.enqueued).toHaveLength(1);
    });

    it('also while the run is running, and regardless of who asks', async () => {
      const env = setup();
      const started = await startedRun(env);
      const again = await env.service.dispatch(request({ initiatorUserId: null }));
      expect(again).toEqual({ run: started, created: false });
      expect(env.queue.enqueued).toHaveLength(1);
    });

    it('treats an alias and the canonical type as the same request', async () => {
      const { service, queue } = setup();
      const first = await service.dispatch(request({ type: 'inventory.sync' }));
      const second = await service.dispatch(request({ type: 'inventory_sync' }));
      expect(second).toMatchObject({ created: false, run: { id: first.run.id } });
      expect(queue.enqueued).toHaveLength(1);
    });

    it('treats inputs that differ only in key order as the same request', async () => {
      const { service } = setup();
      const first = await service.dispatch(request({ input: { full: true, scope: { a: 1, b: 2 } } }));
      const second = await service.dispatch(request({ input: { scope: { b: 2, a: 1 }, full: true } }));
      expect(second.run.id).toBe(first.run.id);
      expect(second.created).toBe(false);
    });

    it('dedupes workspace-level runs (null environment) against each other', async () => {
      const { service, repo } = setup();
      const first = await service.dispatch(request({ environmentId: null }));
      const second = await service.dispatch(request({ environmentId: null }));
      expect(second.run.id).toBe(first.run.id);
      expect(repo.size).toBe(1);
    });

    it.each<[string, Partial<DispatchRequest>]>([
      ['another environment', { environmentId: OTHER_ENV }],
      ['no environment', { environmentId: null }],
      ['another type', { type: 'baseline.capture', input: { label: 'x' } }],
      ['other inputs', { input: { full: true } }],
      ['another workspace', { workspaceId: '00000000-0000-4000-8000-0000000000a2' }],
    ])('creates a separate run for %s', async (_label, change) => {
      const { service, queue } = setup();
      const first = await service.dispatch(request());
      const second = await service.dispatch(request(change));
      expect(second.created).toBe(true);
      expect(second.run.id).not.toBe(first.run.id);
      expect(queue.enqueued.map((job) => job.runId)).toEqual([first.run.id, second.run.id]);
    });

    it('starts a new run once the previous one completed', async () => {
      const env = setup();
      const started = await startedRun(env);
      await env.service.complete(started, { outcome: 'succeeded' });
      const next = await env.service.dispatch(request());
      expect(next.created).toBe(true);
      expect(next.run.id).not.toBe(started.id);
      expect(env.queue.enqueued).toHaveLength(2);
    });
  });

  describe('when the queue rejects the job', () => {
    it('completes the run failed with dispatch_failed and throws an unavailable DomainError naming it', async () => {
      const observer = recordingObserver();
      const { service, repo, queue, clock } = setup([observer]);
      queue.failWith(new Error('connect ECONNREFUSED 127.0.0.1:6379'));
      clock.set(at(7));
      const error = await caught(service.dispatch(request()));
      expect(error.code).toBe('dispatch_failed');
      expect(error.kind).toBe('unavailable');
      expect(error.message).toBe(DISPATCH_FAILED_MESSAGE);
      expect(error.message).not.toContain('ECONNREFUSED');

      const runs = repo.all();
      expect(runs).toHaveLength(1);
      const [run] = runs;
      expect(error.details).toEqual({ run_id: run.id });
      expect(run).toMatchObject({ status: 'completed', outcome: 'failed', completedAt: at(7), attempts: 0 });
      expect(run.context.failures).toEqual([{ code: 'dispatch_failed', message: DISPATCH_FAILED_MESSAGE }]);
      expect(run.context.diagnostics).toEqual({
        dispatch_error: { class: 'Error', message: 'connect ECONNREFUSED 127.0.0.1:6379' },
      });
      expect(run.context.dispatch?.operation_run_id).toBe(run.id);
      expect(observer.completed.map((r) => r.id)).toEqual([run.id]);
    });

    it('leaves no active run behind, so the next dispatch is not deduped onto a ghost', async () => {
      const { service, repo, queue } = setup();
      queue.failWith();
      await expect(service.dispatch(request())).rejects.toThrow(DomainError);
      expect(repo.all().filter((r) => r.status !== 'completed')).toEqual([]);

      queue.recover();
      const retry = await service.dispatch(request());
      expect(retry.created).toBe(true);
      expect(queue.enqueued).toEqual([expect.objectContaining({ runId: retry.run.id })]);
      expect(repo.size).toBe(2);
    });
  });
});

describe('OperationRunService.beginAttempt', () => {
  it('moves a queued run to running with attempt 1 open, using the clock', async () => {
    const { service, clock } = setup();
    const { run } = await service.dispatch(request());
    clock.set(at(4));
    const started = await service.beginAttempt(run.id);
    expect(started).toMatchObject({ status: 'running', outcome: 'pending', attempts: 1, startedAt: at(4), lastHeartbeatAt: at(4) });
    expect(started?.context.attempts).toEqual([
      { n: 1, started_at: at(4).toISOString(), ended_at: null, error_code: null },
    ]);
    expect(started?.context.dispatch?.operation_run_id).toBe(run.id); // other context keys survive the merge
    expect(started?.context.inputs).toEqual({ full: false });
  });

  it('returns null for a run that does not exist', async () => {
    const { service, repo } = setup();
    expect(await service.beginAttempt('00000000-0000-4000-8000-00000000ffff')).toBeNull();
    expect(repo.casLog.filter((c) => c.applied)).toEqual([]);
  });

  it('returns null for a completed run and leaves it exactly as it was', async () => {
    const env = setup();
    const started = await startedRun(env);
    const done = await env.service.complete(started, { outcome: 'succeeded' });
    env.clock.advance(10);
    expect(await env.service.beginAttempt(started.id)).toBeNull();
    expect(await env.repo.findById(started.id)).toEqual(done);
  });

  it('a retry after a failed attempt keeps startedAt and opens attempt 2', async () => {
    const env = setup();
    const started = await startedRun(env); // at(1)
    env.clock.set(at(20));
    await env.service.failAttempt(started.id, 1, 'job_failed', { class: 'Error', message: 'boom' });
    env.clock.set(at(30));
    const retry = await env.service.beginAttempt(started.id);
    expect(retry).toMatchObject({ status: 'running', attempts: 2, startedAt: at(1), lastHeartbeatAt: at(30) });
    expect(retry?.context.attempts).toEqual([
      { n: 1, started_at: at(1).toISOString(), ended_at: at(20).toISOString(), error_code: 'job_failed' },
      { n: 2, started_at: at(30).toISOString(), ended_at: null, error_code: null },
    ]);
  });

  it('when two workers start the same run at once, the later one supersedes: one open attempt, never two', async () => {
    const { service, repo, clock } = setup();
    const { run } = await service.dispatch(request());
    clock.set(at(2));
    const results = await Promise.all([service.beginAttempt(run.id), service.beginAttempt(run.id)]);
    // BullMQ hands a job to two workers only after a stall; the later pickup is then the live one.
    expect(results.map((r) => r?.attempts).sort()).toEqual([1, 2]);
    const stored = await repo.findById(run.id);
    expect(stored?.attempts).toBe(2);
    expect(stored?.context.attempts).toEqual([
      { n: 1, started_at: at(2).toISOString(), ended_at: at(2).toISOString(), error_code: 'attempt_abandoned' },
      { n: 2, started_at: at(2).toISOString(), ended_at: null, error_code: null },
    ]);
  });

  it('a first pickup is a single guarded write: no read of the run', async () => {
    const { service, repo, clock } = setup();
    const { run } = await service.dispatch(request());
    clock.set(at(3));
    const reads = jest.spyOn(repo, 'findById');
    const started = await service.beginAttempt(run.id);
    expect(started).toMatchObject({ status: 'running', attempts: 1, startedAt: at(3) });
    expect(reads).not.toHaveBeenCalled();
  });
});

describe('a superseded attempt (stalled job redelivered while the first worker still runs)', () => {
  async function twoAttempts(env: ReturnType<typeof setup>) {
    const first = await startedRun(env); // attempt 1 at(1)
    env.clock.set(at(100));
    const second = await env.service.beginAttempt(first.id);
    expect(second?.attempts).toBe(2);
    env.clock.set(at(101));
    return { first, second: second! };
  }

  it('cannot close the newer attempt or overwrite its diagnostics when it fails late', async () => {
    const env = setup();
    const { first } = await twoAttempts(env);
    await env.service.failAttempt(first.id, 1, 'job_failed', { class: 'Error', message: 'late failure of attempt 1' });
    const stored = await env.repo.findById(first.id);
    expect(stored?.context.attempts?.[1]).toMatchObject({ n: 2, ended_at: null, error_code: null });
    expect(stored?.context.diagnostics?.last_error).toBeUndefined();
  });

  it('cannot complete the run with its late result', async () => {
    const env = setup();
    const { first, second } = await twoAttempts(env);
    expect(await env.service.complete(first, { outcome: 'succeeded' })).toBeNull();
    const stored = await env.repo.findById(first.id);
    expect(stored?.status).toBe('running');
    const finished = await env.service.complete(second, { outcome: 'succeeded' });
    expect(finished?.status).toBe('completed');
  });

  it('is told to stop by its heartbeat', async () => {
    const env = setup();
    const { first, second } = await twoAttempts(env);
    expect(await env.service.heartbeat(first)).toBe('gone');
    expect(await env.service.heartbeat(second)).toBe('alive');
  });
});

describe('diagnostics written concurrently', () => {
  it('a completion keeps a lost-transition entry recorded after its snapshot was read', async () => {
    const env = setup();
    const started = await startedRun(env);
    await env.repo.appendDiagnostic(started.id, 'lost_transitions', { source: 'other_writer' });
    // `started` predates the append; the completion must merge, not replace, diagnostics.
    await env.service.complete(started, { outcome: 'failed', diagnostics: { final_error: { class: 'E', message: 'x' } } });
    const stored = await env.repo.findById(started.id);
    expect(stored?.context.diagnostics?.lost_transitions).toEqual([{ source: 'other_writer' }]);
    expect(stored?.context.diagnostics?.final_error).toEqual({ class: 'E', message: 'x' });
  });
});

describe('OperationRunService.heartbeat', () => {
  it('touches a running run with the clock time', async () => {
    const env = setup();
    const started = await startedRun(env);
    env.clock.set(at(50));
    expect(await env.service.heartbeat(started)).toBe('alive');
    expect((await env.repo.findById(started.id))?.lastHeartbeatAt).toEqual(at(50));
  });

  it('returns false for a queued run and does not touch it', async () => {
    const { service, repo } = setup();
    const { run } = await service.dispatch(request());
    expect(await service.heartbeat(run)).toBe('gone');
    expect((await repo.findById(run.id))?.lastHeartbeatAt).toBeNull();
  });

  it('returns false once someone else completed the run', async () => {
    const env = setup();
    const started = await startedRun(env);
    await env.service.failFromQueue(started.id, 'worker_lost', { class: 'Error', message: 'stalled' }, 'Lost.');
    env.clock.advance(5);
    expect(await env.service.heartbeat(started)).toBe('gone');
    expect((await env.repo.findById(started.id))?.lastHeartbeatAt).toEqual(at(1));
  });

  it('returns false for a missing run', async () => {
    const { service } = setup();
    expect(await service.heartbeat({ id: '00000000-0000-4000-8000-00000000ffff', attempts: 1 })).toBe('gone');
  });
});

describe('OperationRunService progress reports', () => {
  describe('reportCounted', () => {
    it('writes processed/total into summary counts, marks counted mode and heartbeats', async () => {
      const env = setup();
      const started = await startedRun(env);
      env.clock.set(at(12));
      const updated = await env.service.reportCounted(started, 4, 10);
      expect(updated?.summaryCounts).toEqual({ processed: 4, total: 10 });
      expect(updated?.context.progress).toEqual({ mode: 'counted' });
      expect(updated?.lastHeartbeatAt).toEqual(at(12));
      expect(await env.repo.findById(started.id)).toEqual(updated);
    });

    it('keeps the other counts and progress keys of the run it is given', async () => {
      const env = setup();
      const started = await startedRun(env, { type: 'baseline.capture', input: { label: 'Q1' } });
      const phased = await env.service.reportPhase(started, 'collect');
      const withCounts = await env.service.reportCounted({ ...phased!, summaryCounts: { findings: 2 } }, 1, 3);
      expect(withCounts?.summaryCounts).toEqual({ findings: 2, processed: 1, total: 3 });
      expect(withCounts?.context.progress?.phase?.key).toBe('collect');
      expect(withCounts?.context.progress?.mode).toBe('counted');
    });

    it.each<[number, number]>([
      [-1, 10],
      [1, -10],
      [Number.NaN, 10],
      [1, Number.POSITIVE_INFINITY],
    ])('rejects counted(%p, %p) and writes nothing', async (processed, total) => {
      const env = setup();
      const started = await startedRun(env);
      const error = await caught(env.service.reportCounted(started, processed, total));
      expect(error.code).toBe('invalid_progress');
      expect(await env.repo.findById(started.id)).toEqual(started);
    });

    it('does not write from a superseded attempt (attempts guard)', async () => {
      const env = setup();
      const first = await startedRun(env);
      await env.service.failAttempt(first.id, 1, 'job_failed', { class: 'Error', message: 'x' });
      const retry = await env.service.beginAttempt(first.id);
      expect(await env.service.reportCounted(first, 9, 10)).toBeNull();
      expect((await env.repo.findById(first.id))?.summaryCounts).toEqual(retry?.summaryCounts);
      expect(await env.service.reportCounted(retry!, 2, 10)).not.toBeNull();
    });

    it('does not write to a completed run', async () => {
      const env = setup();
      const started = await startedRun(env);
      const done = await env.service.complete(started, { outcome: 'succeeded', summaryCounts: { processed: 5 } });
      expect(await env.service.reportCounted(started, 1, 10)).toBeNull();
      expect(await env.repo.findById(started.id)).toEqual(done);
    });
  });

  describe('reportPhase', () => {
    it('writes the phase with 1-based index and count from the catalog definition', async () => {
      const env = setup();
      const started = await startedRun(env, { type: 'baseline.capture', input: { label: 'Q1' } });
      env.clock.set(at(15));
      const updated = await env.service.reportPhase(started, 'hash');
      expect(updated?.context.progress).toEqual({
        mode: 'phased',
        phase: { key: 'hash', index: 2, count: 3, started_at: at(15).toISOString() },
      });
      expect(updated?.lastHeartbeatAt).toEqual(at(15));
    });

    it('throws for a key that is not a phase of the type and writes nothing', async () => {
      const env = setup();
      const started = await startedRun(env, { type: 'baseline.capture', input: { label: 'Q1' } });
      const error = await caught(env.service.reportPhase(started, 'upload'));
      expect(error.code).toBe('invalid_progress');
      expect(error.message).toContain('"upload"');
      expect(await env.repo.findById(started.id)).toEqual(started);
    });

    it('throws for any key on a type without phases', async () => {
      const env = setup();
      const started = await startedRun(env);
      expect((await caught(env.service.reportPhase(started, 'collect'))).code).toBe('invalid_progress');
    });
  });

  describe('reportComposite', () => {
    it('replaces the composite parts and marks composite mode', async () => {
      const env = setup();
      const started = await startedRun(env);
      const first = await env.service.reportComposite(started, [
        { key: 'a', label: 'A', state: 'pending' },
        { key: 'b', label: 'B', state: 'pending' },
      ]);
      const second = await env.service.reportComposite(first!, [{ key: 'a', label: 'A', state: 'ready' }]);
      expect(second?.context.progress).toEqual({
        mode: 'composite',
        composite: { parts: [{ key: 'a', label: 'A', state: 'ready' }] },
      });
    });
  });
});

describe('OperationRunService.complete', () => {
  it('completes a running run with outcome, counts and the closed attempt, and notifies observers', async () => {
    const observer = recordingObserver();
    const env = setup([observer]);
    const started = await startedRun(env);
    env.clock.set(at(40));
    const done = await env.service.complete(started, {
      outcome: 'partially_succeeded',
      summaryCounts: { total: 10, processed: 10, failed: 1 },
      related: { type: 'inventory_snapshot', id: 's-1' },
    });
    expect(done).toMatchObject({ status: 'completed', outcome: 'partially_succeeded', completedAt: at(40) });
    expect(done?.summaryCounts).toEqual({ total: 10, processed: 10, failed: 1 });
    expect(done?.context.related).toEqual({ type: 'inventory_snapshot', id: 's-1' });
    expect(done?.context.attempts).toEqual([
      { n: 1, started_at: at(1).toISOString(), ended_at: at(40).toISOString(), error_code: null },
    ]);
    expect(observer.completed).toEqual([done]);
  });

  it('a second completion loses: returns null, keeps the first outcome and records lost_transitions', async () => {
    const observer = recordingObserver();
    const env = setup([observer]);
    const started = await startedRun(env);
    env.clock.set(at(10));
    const first = await env.service.complete(started, { outcome: 'succeeded', summaryCounts: { processed: 3 } });
    env.clock.set(at(11));
    const second = await env.service.complete(started, {
      outcome: 'failed',
      failures: [{ code: 'job_failed', message: 'Late.' }],
    });
    expect(second).toBeNull();
    const stored = await env.repo.findById(started.id);
    expect(stored).toMatchObject({ status: 'completed', outcome: 'succeeded', completedAt: at(10) });
    expect(stored?.summaryCounts).toEqual({ processed: 3 });
    expect(stored?.context.failures).toBeUndefined();
    expect(stored?.context.diagnostics?.lost_transitions).toEqual([
      {
        source: 'worker',
        attempted_status: 'completed',
        attempted_outcome: 'failed',
        expected_status: 'running',
        at: at(11).toISOString(),
      },
    ]);
    expect(observer.completed.map((r) => r.outcome)).toEqual(['succeeded']);
    expect(first?.outcome).toBe('succeeded');
  });

  it('records each lost completion, with the source it came from', async () => {
    const env = setup();
    const started = await startedRun(env);
    await env.service.complete(started, { outcome: 'succeeded' });
    await env.service.complete(started, { outcome: 'failed' }, { source: 'scheduled_reconciler' });
    await env.service.complete(started, { outcome: 'blocked' });
    const lost = (await env.repo.findById(started.id))?.context.diagnostics?.lost_transitions as Array<
      Record<string, unknown>
    >;
    expect(lost.map((l) => [l.source, l.attempted_outcome])).toEqual([
      ['scheduled_reconciler', 'failed'],
      ['worker', 'blocked'],
    ]);
  });

  it('throws on a run object that is already completed (no write, no diagnostic)', async () => {
    const env = setup();
    const started = await startedRun(env);
    const done = await env.service.complete(started, { outcome: 'succeeded' });
    const error = await caught(env.service.complete(done!, { outcome: 'failed' }));
    expect(error.code).toBe('illegal_run_transition');
    expect(await env.repo.findById(started.id)).toEqual(done);
  });

  it('rejects invalid counts without writing; the run stays running', async () => {
    const env = setup();
    const started = await startedRun(env);
    const error = await caught(env.service.complete(started, { outcome: 'succeeded', summaryCounts: { processed: '3' } }));
    expect(error.code).toBe('invalid_summary_counts');
    expect(await env.repo.findById(started.id)).toEqual(started);
  });

  it('an observer that throws (or rejects) does not break completion or the other observers', async () => {
    const after = recordingObserver();
    const env = setup([
      { onCompleted: () => { throw new Error('metrics down'); } },
      { onCompleted: async () => Promise.reject(new Error('audit down')) },
      {}, // an observer without onCompleted
      after,
    ]);
    const started = await startedRun(env);
    const done = await env.service.complete(started, { outcome: 'succeeded' });
    expect(done?.status).toBe('completed');
    expect((await env.repo.findById(started.id))?.outcome).toBe('succeeded');
    expect(after.completed).toEqual([done]);
  });

  it('notifies each observer once per completion', async () => {
    const observer = recordingObserver();
    const env = setup([observer]);
    const a = await startedRun(env);
    const b = await startedRun(env, { environmentId: OTHER_ENV });
    await env.service.complete(a, { outcome: 'succeeded' });
    await env.service.complete(b, { outcome: 'failed' });
    await env.service.complete(a, { outcome: 'failed' }); // lost: no notification
    expect(observer.completed.map((r) => [r.id, r.outcome])).toEqual([
      [a.id, 'succeeded'],
      [b.id, 'failed'],
    ]);
  });
});

describe('OperationRunService completion audit', () => {
  it('hands the repository the completed run\'s audit event with the write, described as the change leaves it', async () => {
    const env = setup();
    const started = await startedRun(env);
    const done = await env.service.complete(started, { outcome: 'failed', failures: [{ code: 'job_failed', message: 'Boom.' }] });
    expect(env.repo.auditEvents).toEqual([
      {
        actorUserId: USER,
        actorLabel: 'user',
        workspaceId: WORKSPACE,
        environmentId: ENV,
        action: 'operation.completed',
        subjectType: 'operation_run',
        subjectId: done!.id,
        metadata: { type: 'inventory.sync', status: 'completed', outcome: 'failed', failure_codes: ['job_failed'], reason: null },
      },
    ]);
  });

  it('describes a legacy alias row by its canonical type to the audit log and to observers', async () => {
    const observer = recordingObserver();
    const env = setup([observer]);
    const legacy = env.repo.seed({ ...(await startedRun(env)), type: 'inventory_sync' });
    const done = await env.service.complete(legacy, { outcome: 'succeeded' });
    expect(done?.type).toBe('inventory_sync'); // the stored row is what it is
    expect(env.repo.auditEvents.map((e) => e.metadata.type)).toEqual(['inventory.sync']);
    expect(observer.completed.map((r) => [r.id, r.type])).toEqual([[legacy.id, 'inventory.sync']]);
  });

  it('a completion that loses its compare-and-set writes no audit event', async () => {
    const env = setup();
    const started = await startedRun(env);
    await env.service.complete(started, { outcome: 'succeeded' });
    await env.service.complete(started, { outcome: 'failed' });
    expect(env.repo.auditEvents.map((e) => e.metadata.outcome)).toEqual(['succeeded']);
  });

  it('non-terminal writes (start, heartbeat, progress, failed attempt) carry no audit event', async () => {
    const env = setup();
    const started = await startedRun(env);
    await env.service.heartbeat(started);
    await env.service.reportCounted(started, 1, 2);
    await env.service.failAttempt(started.id, 1, 'job_failed', { class: 'Error', message: 'x' });
    expect(env.repo.auditEvents).toEqual([]);
  });

  it('a dispatch whose enqueue fails is audited as its failed completion', async () => {
    const env = setup();
    env.queue.failWith();
    await caught(env.service.dispatch(request()));
    expect(env.repo.auditEvents).toEqual([
      expect.objectContaining({ action: 'operation.completed', metadata: expect.objectContaining({ outcome: 'failed', failure_codes: ['dispatch_failed'] }) }),
    ]);
  });

  it('a reconciler batch audits only the runs it won, each as reconciled with its reason', async () => {
    const env = setup();
    const a = await startedRun(env);
    const b = await startedRun(env, { environmentId: OTHER_ENV });
    await env.service.complete(b, { outcome: 'succeeded' }); // the worker wins b first
    env.repo.auditEvents.length = 0;
    const request = (run: OperationRun) => ({
      run,
      outcome: 'failed' as const,
      reason: 'stale_running',
      message: 'The worker stopped reporting.',
      source: 'scheduled_reconciler' as const,
    });
    const won = await env.service.reconcileMany([request(a), request(b)]);
    expect(won.map((r) => r.id)).toEqual([a.id]);
    expect(env.repo.auditEvents).toEqual([
      expect.objectContaining({
        action: 'operation.reconciled',
        subjectId: a.id,
        metadata: expect.objectContaining({ outcome: 'failed', reason: 'stale_running', failure_codes: ['stale_running'] }),
      }),
    ]);
  });
});

describe('OperationRunService.failAttempt', () => {
  it('closes the open attempt and records last_error; the run stays running for the retry', async () => {
    const env = setup();
    const started = await startedRun(env);
    env.clock.set(at(9));
    await env.service.failAttempt(started.id, 1, 'job_timeout', { class: 'JobTimeoutError', message: 'Too slow.' });
    const stored = await env.repo.findById(started.id);
    expect(stored).toMatchObject({ status: 'running', outcome: 'pending', attempts: 1 });
    expect(stored?.context.attempts).toEqual([
      { n: 1, started_at: at(1).toISOString(), ended_at: at(9).toISOString(), error_code: 'job_timeout' },
    ]);
    expect(stored?.context.diagnostics).toEqual({ last_error: { class: 'JobTimeoutError', message: 'Too slow.' } });
  });

  it('keeps the other diagnostics', async () => {
    const env = setup();
    const started = await startedRun(env);
    await env.repo.appendDiagnostic(started.id, 'lost_transitions', { source: 'x' });
    await env.service.failAttempt(started.id, 1, 'job_failed', { class: 'Error', message: 'boom' });
    expect((await env.repo.findById(started.id))?.context.diagnostics).toEqual({
      lost_transitions: [{ source: 'x' }],
      last_error: { class: 'Error', message: 'boom' },
    });
  });

  it('does nothing to a queued, completed or missing run', async () => {
    const env = setup();
    const { run: queued } = await env.service.dispatch(request());
    const started = await startedRun(env, { environmentId: OTHER_ENV });
    const done = await env.service.complete(started, { outcome: 'succeeded' });
    const casBefore = env.repo.casLog.length;
    await env.service.failAttempt(queued.id, 0, 'job_failed', { class: 'Error', message: 'x' });
    await env.service.failAttempt(started.id, 1, 'job_failed', { class: 'Error', message: 'x' });
    await env.service.failAttempt('00000000-0000-4000-8000-00000000ffff', 1, 'job_failed', { class: 'Error', message: 'x' });
    expect(env.repo.casLog.length).toBe(casBefore);
    expect(await env.repo.findById(queued.id)).toEqual(queued);
    expect(await env.repo.findById(started.id)).toEqual(done);
  });
});

describe('OperationRunService.failFromQueue', () => {
  const error = { class: 'Error', message: 'connect ETIMEDOUT 10.0.0.7:443' };

  it('job_failed: completes failed with the operator message, final_error and the attempt closed; no reconciliation', async () => {
    const observer = recordingObserver();
    const env = setup([observer]);
    const started = await startedRun(env);
    env.clock.set(at(60));
    const done = await env.service.failFromQueue(started.id, 'job_failed', error, 'The run failed after 3 attempts.');
    expect(done).toMatchObject({ status: 'completed', outcome: 'failed', completedAt: at(60) });
    expect(done?.context.failures).toEqual([{ code: 'job_failed', message: 'The run failed after 3 attempts.' }]);
    expect(done?.context.diagnostics).toEqual({ final_error: error });
    expect(done?.context.attempts).toEqual([
      { n: 1, started_at: at(1).toISOString(), ended_at: at(60).toISOString(), error_code: 'job_failed' },
    ]);
    expect(done?.context).not.toHaveProperty('reconciliation');
    expect(observer.completed).toEqual([done]);
  });

  it('job_timeout: closes the attempt as job_timeout, no reconciliation', async () => {
    const env = setup();
    const started = await startedRun(env);
    const done = await env.service.failFromQueue(started.id, 'job_timeout', error, 'Too slow.');
    expect(done?.context.failures).toEqual([{ code: 'job_timeout', message: 'Too slow.' }]);
    expect(done?.context.attempts?.[0].error_code).toBe('job_timeout');
    expect(done?.context).not.toHaveProperty('reconciliation');
  });

  it('worker_lost: writes a failed_job_bridge reconciliation record', async () => {
    const env = setup();
    const started = await startedRun(env);
    env.clock.set(at(200));
    const done = await env.service.failFromQueue(started.id, 'worker_lost', error, 'The worker stopped responding.');
    expect(done?.outcome).toBe('failed');
    expect(done?.context.reconciliation).toEqual({
      version: 1,
      reason: 'worker_lost',
      source: 'failed_job_bridge',
      decision: 'failed',
      reconciled_at: at(200).toISOString(),
      previous_status: 'running',
      previous_outcome: 'pending',
      message: 'Reconciled: the worker stopped reporting; no result was recorded',
    });
    expect(done?.context.failures).toEqual([{ code: 'worker_lost', message: 'The worker stopped responding.' }]);
  });

  it('worker_lost on a run that never started records previous_status queued', async () => {
    const { service } = setup();
    const { run } = await service.dispatch(request());
    const done = await service.failFromQueue(run.id, 'worker_lost', error, 'Lost.');
    expect(done?.context.reconciliation?.previous_status).toBe('queued');
    expect(done?.context).not.toHaveProperty('attempts');
  });

  it('returns null and changes nothing for a completed run', async () => {
    const observer = recordingObserver();
    const env = setup([observer]);
    const started = await startedRun(env);
    const done = await env.service.complete(started, { outcome: 'succeeded' });
    env.clock.advance(100);
    expect(await env.service.failFromQueue(started.id, 'worker_lost', error, 'Lost.')).toBeNull();
    expect(await env.repo.findById(started.id)).toEqual(done);
    expect(observer.completed).toHaveLength(1);
  });

  it('returns null for a missing run', async () => {
    const { service, repo } = setup();
    expect(await service.failFromQueue('00000000-0000-4000-8000-00000000ffff', 'job_failed', error, 'x')).toBeNull();
    expect(repo.casLog).toEqual([]);
  });

  it('loses cleanly when the worker completes between its read and its write', async () => {
    const env = setup();
    const started = await startedRun(env);
    let raced = false;
    env.repo.beforeCompareAndSet = () => {
      if (raced) return;
      raced = true;
      // The worker's own completion lands first (synchronous body of the in-memory CAS).
      void env.repo.compareAndSet(started.id, { status: 'running' }, { status: 'completed', outcome: 'succeeded', completedAt: at(2) });
    };
    env.clock.set(at(3));
    expect(await env.service.failFromQueue(started.id, 'worker_lost', error, 'Lost.')).toBeNull();
    const stored = await env.repo.findById(started.id);
    expect(stored?.outcome).toBe('succeeded');
    expect(stored?.context.reconciliation).toBeUndefined();
    expect(stored?.context.diagnostics?.lost_transitions).toEqual([
      {
        source: 'failed_job_bridge',
        attempted_status: 'completed',
        attempted_outcome: 'failed',
        expected_status: 'running',
        at: at(3).toISOString(),
      },
    ]);
  });

  it('a worker finishing after the bridge failed the run loses and is recorded', async () => {
    const env = setup();
    const started = await startedRun(env);
    await env.service.failFromQueue(started.id, 'worker_lost', error, 'Lost.');
    expect(await env.service.complete(started, { outcome: 'succeeded' })).toBeNull();
    const stored = await env.repo.findById(started.id);
    expect(stored?.outcome).toBe('failed');
    expect(stored?.context.reconciliation?.source).toBe('failed_job_bridge');
    expect(stored?.context.diagnostics?.lost_transitions).toEqual([
      expect.objectContaining({ source: 'worker', attempted_outcome: 'succeeded' }),
    ]);
    expect(stored?.context.diagnostics?.final_error).toEqual(error);
  });
});

describe('errorInfo', () => {
  it('keeps the code of a DomainError', () => {
    expect(errorInfo(new DomainError('invalid_input', 'Bad.'))).toEqual({
      class: 'DomainError',
      message: 'Bad.',
      code: 'invalid_input',
    });
  });

  it('uses the class name of other errors', () => {
    class ProviderError extends Error {}
    expect(errorInfo(new ProviderError('nope'))).toEqual({ class: 'ProviderError', message: 'nope' });
    expect(errorInfo(new TypeError('t'))).toEqual({ class: 'TypeError', message: 't' });
  });

  it('describes non-errors by their type', () => {
    expect(errorInfo('plain')).toEqual({ class: 'string', message: 'plain' });
    expect(errorInfo(undefined)).toEqual({ class: 'undefined', message: 'undefined' });
  });
});

describe('the in-memory repository stays faithful to its contract', () => {
  it('returns copies: mutating a returned run does not change the stored row', async () => {
    const { service, repo } = setup();
    const { run } = await service.dispatch(request());
    run.status = 'completed';
    run.context.inputs!.full = true;
    const stored = await repo.findById(run.id);
    expect(stored?.status).toBe('queued');
    expect(stored?.context.inputs).toEqual({ full: false });
  });

  it('guards on attempts when asked to', async () => {
    const { repo } = setup();
    repo.seed(buildRun({ status: 'running', attempts: 2 }));
    const id = buildRun().id;
    expect(await repo.compareAndSet(id, { status: 'running', attempts: 1 }, { attempts: 3 })).toBeNull();
    expect((await repo.compareAndSet(id, { status: 'running', attempts: 2 }, { attempts: 3 }))?.attempts).toBe(3);
    expect((await repo.compareAndSet(id, { status: 'running' }, { attempts: 4 }))?.attempts).toBe(4);
  });

  it('appends diagnostics to terminal rows too, without touching status', async () => {
    const { repo } = setup();
    repo.seed(buildRun({ status: 'completed', outcome: 'failed', context: { diagnostics: { other: 1 } } }));
    const id = buildRun().id;
    await repo.appendDiagnostic(id, 'lost_transitions', { n: 1 });
    await repo.appendDiagnostic(id, 'lost_transitions', { n: 2 });
    const stored = await repo.findById(id);
    expect(stored?.status).toBe('completed');
    expect(stored?.context.diagnostics).toEqual({ other: 1, lost_transitions: [{ n: 1 }, { n: 2 }] });
  });
});

describe('runs read back from the in-memory store', () => {
  it('keep real dates, so freshness is derived rather than silently unknown', async () => {
    const env = setup();
    const { run } = await env.service.dispatch(request());
    const stored = (await env.repo.findById(run.id))!;
    expect(stored.createdAt).toBeInstanceOf(Date);
    expect(deriveFreshness(stored, buildDefinition().policy, new Date(stored.createdAt.getTime() + 10_000_000))).toBe('likely_stale');
  });
});

describe('OperationRunService.reconcileMany', () => {
  const verdict = { outcome: 'failed' as const, reason: 'stale_running', message: 'Reconciled: the worker stopped reporting; no result was recorded', source: 'scheduled_reconciler' as const };

  it('closes the run it judged, guarded by status and attempt', async () => {
    const env = setup();
    const started = await startedRun(env);
    const [closed] = await env.service.reconcileMany([{ run: started, ...verdict }]);
    expect(closed).toMatchObject({ id: started.id, status: 'completed', outcome: 'failed' });
    expect(env.repo.casLog.at(-1)?.guard).toEqual({ status: 'running', attempts: 1 });
  });

  it('loses to a replacement attempt that began after the sweep read the run', async () => {
    const env = setup();
    const readBySweep = await startedRun(env);
    // The stalled job is redelivered: attempt 2 begins before the sweep writes its verdict.
    await env.service.beginAttempt(readBySweep.id);
    expect((await env.repo.findById(readBySweep.id))?.attempts).toBe(2);
    const closed = await env.service.reconcileMany([{ run: readBySweep, ...verdict }]);
    expect(closed).toEqual([]);
    const after = await env.repo.findById(readBySweep.id);
    expect(after).toMatchObject({ status: 'running', attempts: 2 });
    expect(after?.context.diagnostics?.lost_transitions).toHaveLength(1);
  });
});
