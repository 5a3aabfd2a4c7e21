import { randomUUID } from 'node:crypto';
import { Clock } from '../../../shared/core/clock.port';
import { OperationCatalog } from './operation-catalog';
import { CompositePart, OperationRun, ReconciliationRecord, RunContext, withChange } from './operation-run';
import { DISPATCH_FAILED_CODE, OperationErrors } from './operations-errors';
import {
  DISPATCH_FAILED_MESSAGE,
  DispatchRequest,
  DispatchResult,
  ErrorInfo,
  errorInfo,
  INITIATOR_NOT_AUTHORIZED_MESSAGE,
  QueueFailureReason,
  ReconcileRequest,
  WORKER_LOST_RECONCILED_MESSAGE,
} from './operation-run.requests';
import { buildReconciliationRecord } from './reconciliation-record';
import { CANCELLED_FAILURE_CODE, CANCELLED_MESSAGE, CancelPlan, cancelQueued, planCancel, requestCancellation } from './run-cancellation';
import { computeRunFingerprint } from './run-fingerprint';
import { RunHandlerRegistry } from './run-handler-registry';
import { beginAttempt, beginFirstAttempt, CompletionResult, completeRun, failAttempt, GuardedChange } from './run-transitions';
import { CompletionAudit, CompletionAuditEvent } from './ports/completion-audit.port';
import { HeartbeatAnswer, OperationRunRepository } from './ports/operation-run.repository.port';
import { RunLifecycleObserver } from './ports/run-lifecycle-observer.port';
import { RunQueue } from './ports/run-queue.port';

/**
 * The only writer of operation runs. Every transition is computed by the pure transition
 * functions and applied as a compare-and-set; a writer that loses the race is recorded in the
 * run's diagnostics instead of being applied.
 */
export class OperationRunService {
  constructor(
    private readonly runs: OperationRunRepository,
    private readonly queue: RunQueue,
    private readonly catalog: OperationCatalog,
    private readonly handlers: RunHandlerRegistry,
    private readonly clock: Clock,
    private readonly observers: RunLifecycleObserver[] = [],
    private readonly audit: CompletionAudit | null = null,
  ) {}

  async dispatch(request: DispatchRequest): Promise<DispatchResult> {
    const definition = this.catalog.require(request.type);
    const handler = this.handlers.require(definition.type);
    const inputs = handler.parseInput(request.input);
    const prepared = (await handler.prepareStart?.(inputs, request)) ?? {};
    const id = randomUUID();
    const now = this.clock.now();
    const context: RunContext = {
      inputs,
      dispatch: {
        job_name: definition.type,
        queue: this.queue.queueName,
        connection: this.queue.connectionName,
        dispatched_at: now.toISOString(),
        correlation_version: 1,
        operation_run_id: id,
      },
      ...(request.retryOf ? { retry_of: request.retryOf } : {}),
    };
    const related = handler.relatedAtStart?.(id);
    if (related) context.related = related;
    const { run, created } = await this.runs.insertQueuedOrFindActive({
      id,
      workspaceId: request.workspaceId,
      environmentId: request.environmentId,
      type: definition.type,
      initiatorUserId: request.initiatorUserId,
      fingerprint: computeRunFingerprint({
        ...request,
        type: definition.type,
        basis: prepared.fingerprintBasis === undefined ? inputs : { inputs, extra: prepared.fingerprintBasis },
      }),
      context,
      createdAt: now,
    });
    if (!created) return { run, created };
    try {
      await this.queue.enqueue({
        runId: run.id,
        type: definition.type,
        maxAttempts: definition.policy.max_attempts,
        backoff: definition.policy.backoff,
      });
    } catch (error) {
      // No ghost queued run: a run whose job never reached the queue is closed right away.
      const failed = await this.complete(
        run,
        {
          outcome: 'failed',
          failures: [{ code: DISPATCH_FAILED_CODE, message: DISPATCH_FAILED_MESSAGE }],
          diagnostics: { dispatch_error: errorInfo(error) },
        },
        { source: 'dispatch' },
      );
      throw OperationErrors.dispatchFailed((failed ?? run).id);
    }
    return { run, created };
  }

  /**
   * Runs a completed run again: same type, environment and input, `retry_of` naming it. Dedupe
   * applies as for any start (an identical active run is returned, `created: false`); a new run
   * is recorded on the old one as `retried_as`, so both pages link to each other.
   */
  async retry(
    previous: OperationRun,
    request: Pick<DispatchRequest, 'initiatorUserId' | 'sees'>,
  ): Promise<DispatchResult> {
    const result = await this.dispatch({
      workspaceId: previous.workspaceId,
      environmentId: previous.environmentId,
      type: previous.type,
      input: previous.context.inputs,
      initiatorUserId: request.initiatorUserId,
      sees: request.sees,
      retryOf: previous.id,
    });
    if (result.created) {
      await this.runs.compareAndSet(previous.id, { status: 'completed' }, { contextMerge: { retried_as: result.run.id } });
    }
    return result;
  }

  findById(id: string): Promise<OperationRun | null> {
    return this.runs.findById(id);
  }

  /** Starts (or retries) the attempt a worker picked up; null when the run is gone or final. */
  async beginAttempt(runId: string): Promise<OperationRun | null> {
    // The common case, a first pickup, is one guarded write; anything else reads the run first.
    const first = beginFirstAttempt(this.clock.now());
    const picked = await this.runs.compareAndSet(runId, { status: first.expectedStatus, attempts: 0 }, first.change);
    if (picked) return picked;
    const run = await this.runs.findById(runId);
    if (!run || run.status === 'completed') return null;
    return this.apply(run, beginAttempt(run, this.clock.now()), true);
  }

  /**
   * `gone` when the run finished or another attempt took over, `cancel_requested` when an operator
   * asked to cancel it: either way the caller must stop working.
   */
  heartbeat(run: Pick<OperationRun, 'id' | 'attempts'>): Promise<HeartbeatAnswer> {
    return this.runs.touchHeartbeat(run.id, run.attempts, this.clock.now());
  }

  async reportCounted(run: OperationRun, processed: number, total: number): Promise<OperationRun | null> {
    if (!(Number.isFinite(processed) && Number.isFinite(total) && processed >= 0 && total >= 0)) {
      throw OperationErrors.invalidCountedProgress();
    }
    return this.runs.compareAndSet(
      run.id,
      { status: 'running', attempts: run.attempts },
      {
        lastHeartbeatAt: this.clock.now(),
        summaryCounts: { ...run.summaryCounts, processed, total },
        contextMerge: { progress: { ...(run.context.progress ?? {}), mode: 'counted' } },
      },
    );
  }

  async reportPhase(run: OperationRun, key: string): Promise<OperationRun | null> {
    const phases = this.catalog.require(run.type).phases;
    const index = phases.findIndex((p) => p.key === key);
    if (index < 0) {
      throw OperationErrors.unknownPhase(key, run.type);
    }
    const now = this.clock.now();
    return this.runs.compareAndSet(
      run.id,
      { status: 'running', attempts: run.attempts },
      {
        lastHeartbeatAt: now,
        contextMerge: {
          progress: {
            ...(run.context.progress ?? {}),
            mode: 'phased',
            phase: { key, index: index + 1, count: phases.length, started_at: now.toISOString() },
          },
        },
      },
    );
  }

  async reportComposite(run: OperationRun, parts: CompositePart[]): Promise<OperationRun | null> {
    return this.runs.compareAndSet(
      run.id,
      { status: 'running', attempts: run.attempts },
      {
        lastHeartbeatAt: this.clock.now(),
        contextMerge: { progress: { ...(run.context.progress ?? {}), mode: 'composite', composite: { parts } } },
      },
    );
  }

  /**
   * An operator's cancel. A queued run completes `cancelled` at once (its job is removed, best
   * effort: a worker that picks it up anyway finds it final); a running one records the request,
   * which its worker reads with its next heartbeat. Each write is a compare-and-set: a pickup or
   * a completion that wins the race is read back and planned again, so the answer always
   * describes the run as it now is. Null when the run does not exist.
   */
  async cancel(
    runId: string,
    requestedBy: string | null,
    /** The run as the caller just read it: planned from it (a stale read only costs a lost compare-and-set and a re-read). */
    known?: OperationRun,
  ): Promise<{ run: OperationRun; plan: CancelPlan } | null> {
    let run = known?.id === runId ? known : await this.runs.findById(runId);
    for (let tries = 0; run && tries < 3; tries++) {
      const plan = planCancel(run);
      if (plan === 'completed' || plan === 'already_requested') return { run, plan };
      const now = this.clock.now();
      const guarded = plan === 'cancel_now' ? cancelQueued(run, requestedBy, now) : requestCancellation(requestedBy, now);
      const audit = plan === 'cancel_now' ? this.auditEventFor(run, guarded) : undefined;
      const updated = await this.runs.compareAndSet(run.id, { status: guarded.expectedStatus }, guarded.change, audit);
      if (updated) {
        if (plan === 'cancel_now') {
          await this.queue.remove(run.id).catch(() => false);
          await this.notifyCompleted(updated);
        }
        return { run: updated, plan };
      }
      run = await this.runs.findById(runId);
    }
    return run ? { run, plan: planCancel(run) } : null;
  }

  /** The worker holding a cancel-requested run stopped: the run completes `cancelled` (its own attempt only). */
  acknowledgeCancel(run: OperationRun): Promise<OperationRun | null> {
    return this.complete(run, {
      outcome: 'cancelled',
      failures: [{ code: CANCELLED_FAILURE_CODE, message: CANCELLED_MESSAGE }],
      attemptErrorCode: CANCELLED_FAILURE_CODE,
    });
  }

  /** Ends a run whose initiator lost access before it started: `blocked`, no work done. */
  blockUnauthorizedInitiator(run: OperationRun): Promise<OperationRun | null> {
    return this.complete(run, {
      outcome: 'blocked',
      failures: [{ code: 'initiator_no_longer_authorized', message: INITIATOR_NOT_AUTHORIZED_MESSAGE }],
    });
  }

  /**
   * Completes the run unless someone else already did; the loser is kept in diagnostics.
   * A worker completes only its own attempt: a superseded attempt's late result is not applied.
   */
  async complete(
    run: OperationRun,
    result: CompletionResult,
    { source = 'worker', ownAttemptOnly = source === 'worker' }: { source?: string; ownAttemptOnly?: boolean } = {},
  ): Promise<OperationRun | null> {
    const guarded = completeRun(run, result, this.clock.now());
    const completed = await this.apply(run, guarded, ownAttemptOnly, source, this.auditEventFor(run, guarded));
    if (completed) await this.notifyCompleted(completed);
    return completed;
  }

  /**
   * Closes the failed attempt `attempt` that the queue may still retry; the run stays running.
   * Nothing is written when another attempt has superseded it.
   */
  async failAttempt(runId: string, attempt: number, errorCode: string, error: ErrorInfo): Promise<void> {
    const run = await this.runs.findById(runId);
    if (!run || run.status !== 'running' || run.attempts !== attempt) return;
    const guarded = failAttempt(run, errorCode, this.clock.now());
    guarded.change.diagnosticsMerge = { last_error: error };
    await this.apply(run, guarded, true, 'worker');
  }

  /**
   * Applies reconciliation decisions in one set-based, status-guarded statement. A run that a
   * worker (or another reconciler) finished first is simply not among the returned winners.
   */
  async reconcileMany(items: ReconcileRequest[]): Promise<OperationRun[]> {
    if (!items.length) return [];
    const now = this.clock.now();
    const changes = items.map(({ run, ...d }) => {
      const record = buildReconciliationRecord(run, { ...d, decision: d.outcome }, now);
      const guarded = completeRun(
        run,
        {
          outcome: d.outcome,
          reconciliation: record,
          related: d.related,
          summaryCounts: d.summaryCounts,
          failures: d.outcome === 'succeeded' ? undefined : [{ code: d.reason, message: d.message }],
          attemptErrorCode: d.reason,
        },
        now,
      );
      // Guarded by the attempt too: the verdict was about this attempt. A replacement worker that
      // began a new attempt after the sweep read the run keeps it (the sweep loses, as diagnostics).
      return {
        id: run.id,
        expectedStatus: guarded.expectedStatus,
        expectedAttempts: run.attempts,
        change: guarded.change,
        audit: this.auditEventFor(run, guarded),
      };
    });
    const completed = await this.runs.completeMany(changes);
    const winners = new Set(completed.map((r) => r.id));
    for (const { run, source } of items) {
      if (winners.has(run.id)) continue;
      // Someone (usually the worker) finished first: keep the attempt as evidence, do not apply it.
      await this.runs.appendDiagnostic(run.id, 'lost_transitions', {
        source,
        attempted_status: 'completed',
        attempted_outcome: items.find((i) => i.run.id === run.id)!.outcome,
        expected_status: run.status,
        at: now.toISOString(),
      });
    }
    await this.notifyCompletedMany(completed);
    return completed;
  }

  /** The failed-job bridge: the queue gave up on the job, so the run ends failed. */
  async failFromQueue(
    runId: string,
    reason: QueueFailureReason,
    error: ErrorInfo,
    message: string,
  ): Promise<OperationRun | null> {
    const run = await this.runs.findById(runId);
    if (!run || run.status === 'completed') return null;
    const now = this.clock.now();
    // Only a lost worker could not report for itself; that failure is a reconciliation.
    const reconciliation: ReconciliationRecord | undefined =
      reason === 'worker_lost'
        ? buildReconciliationRecord(
            run,
            { reason, source: 'failed_job_bridge', decision: 'failed', message: WORKER_LOST_RECONCILED_MESSAGE },
            now,
          )
        : undefined;
    return this.complete(
      run,
      {
        outcome: 'failed',
        failures: [{ code: reason, message }],
        diagnostics: { final_error: error },
        reconciliation,
        attemptErrorCode: reason,
      },
      { source: 'failed_job_bridge' },
    );
  }

  /** The audit event of a completion, described from the run as the change will leave it. */
  private auditEventFor(run: OperationRun, guarded: GuardedChange): CompletionAuditEvent | undefined {
    return this.audit?.eventFor(withChange(this.canonical(run), guarded.change));
  }

  /** Audit and observers (metrics, notifications) name a run by its canonical type, a legacy alias row too. */
  private canonical(run: OperationRun): OperationRun {
    const type = this.catalog.resolve(run.type)?.type;
    return type && type !== run.type ? { ...run, type } : run;
  }

  private async apply(
    run: OperationRun,
    guarded: GuardedChange,
    guardAttempts: boolean,
    source = 'worker',
    audit?: CompletionAuditEvent,
  ): Promise<OperationRun | null> {
    const updated = await this.runs.compareAndSet(
      run.id,
      { status: guarded.expectedStatus, attempts: guardAttempts ? run.attempts : undefined },
      guarded.change,
      audit,
    );
    if (!updated) {
      await this.runs.appendDiagnostic(run.id, 'lost_transitions', {
        source,
        attempted_status: guarded.change.status ?? run.status,
        attempted_outcome: guarded.change.outcome ?? null,
        expected_status: guarded.expectedStatus,
        at: this.clock.now().toISOString(),
      });
    }
    return updated;
  }

  /** A reconciler batch: one call per observer that can take many, so a sweep is not N round trips. */
  private async notifyCompletedMany(completed: OperationRun[]): Promise<void> {
    if (!completed.length) return;
    const runs = completed.map((run) => this.canonical(run));
    for (const observer of this.observers) {
      try {
        if (observer.onCompletedMany) await observer.onCompletedMany(runs);
        else for (const run of runs) await observer.onCompleted?.(run);
      } catch {
        // Observers (metrics, audit, notifications) must never undo or block run truth.
      }
    }
  }

  private async notifyCompleted(completed: OperationRun): Promise<void> {
    const run = this.canonical(completed);
    for (const observer of this.observers) {
      try {
        await observer.onCompleted?.(run);
      } catch {
        // Observers (metrics, audit, notifications) must never undo or block run truth.
      }
    }
  }
}
