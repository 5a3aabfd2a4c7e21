import { OperationRun, RelatedRef } from '../../operations/core/operation-run';
import { LifecyclePolicy } from '../../operations/core/operation-type';
import { deriveFreshness } from '../../operations/core/freshness';
import { longestBackoffS } from '../../operations/core/lifecycle-policy';
import { isJobAlive, JobLiveness } from '../../operations/core/ports/job-liveness';
import { CANCELLED_WORKER_GONE_MESSAGE, CANCELLED_WORKER_GONE_REASON, readCancellation } from '../../operations/core/run-cancellation';
import { AdapterDecision, AdapterTerminalDecision } from './ports/reconciliation-adapter.port';

export const STALE_RUNNING_MESSAGE = 'Reconciled: the worker stopped reporting; no result was recorded';
export const STALE_QUEUED_MESSAGE =
  'Reconciled: no worker picked up this run within its lifecycle window; no result was recorded';

export type ReconcileAction =
  /** Not past its lifecycle window (or no policy): nothing to decide. */
  | { kind: 'not_stale' }
  /** The queue proves the job is alive; leave it alone. */
  | { kind: 'skip_alive'; reason: 'job_active' | 'job_retry_pending' }
  /** The queue could not be asked; never close a run on a guess. */
  | { kind: 'skip_unverified'; reason: 'queue_unreachable' }
  | { kind: 'defer'; reason: string; adapter: string }
  | {
      kind: 'reconcile';
      /** `cancelled` only for a run whose cancel was requested before its worker was lost. */
      outcome: AdapterTerminalDecision | 'cancelled';
      reason: string;
      message: string;
      source: 'scheduled_reconciler' | 'adapter';
      adapter?: string;
      related?: RelatedRef;
      summaryCounts?: Record<string, number>;
      /** The job still sits in Redis and must not run later. */
      removeJob: boolean;
      /** The adapter's domain write, run only once this run's transition won. */
      apply?: () => Promise<void>;
    };

export interface DecisionInput {
  run: OperationRun;
  policy: LifecyclePolicy | null;
  liveness: JobLiveness;
  now: Date;
  adapter?: { name: string; decision: AdapterDecision };
}

/**
 * The last moment a run could legitimately still be active: queue wait, then every attempt at
 * its full timeout with the backoffs between them. Deferring past it would hide a dead run.
 */
export function deferCeiling(run: Pick<OperationRun, 'createdAt'>, policy: LifecyclePolicy): Date {
  const seconds =
    policy.stale_queued_after_s +
    policy.job_timeout_s * policy.max_attempts +
    longestBackoffS(policy) * Math.max(0, policy.max_attempts - 1);
  return new Date(run.createdAt.getTime() + seconds * 1000);
}

/** One stale run → what the reconciler does about it. Pure; the same rules as every surface. */
export function decideReconciliation(input: DecisionInput): ReconcileAction {
  const { run, policy, liveness, now } = input;
  if (!policy || run.status === 'completed' || deriveFreshness(run, policy, now) !== 'likely_stale') {
    return { kind: 'not_stale' };
  }
  if (liveness === 'unreachable') return { kind: 'skip_unverified', reason: 'queue_unreachable' };
  if (isJobAlive(liveness)) {
    return { kind: 'skip_alive', reason: liveness === 'active_locked' ? 'job_active' : 'job_retry_pending' };
  }
  const removeJob = liveness === 'waiting' || liveness === 'active_unlocked';
  const decision = input.adapter?.decision;
  const cancelRequested = readCancellation(run) !== null;
  if (decision && decision.decision === 'failed' && cancelRequested) {
    // The adapter's cleanup (e.g. a partial snapshot made unusable) still runs; the verdict is the operator's cancel.
    return { ...cancelledAfterWorkerLoss(removeJob), source: 'adapter', adapter: input.adapter!.name, apply: decision.apply };
  }
  if (decision && decision.decision !== 'defer') {
    return {
      kind: 'reconcile',
      outcome: decision.decision,
      reason: decision.reason,
      message: decision.message,
      source: 'adapter',
      adapter: input.adapter!.name,
      related: decision.related,
      summaryCounts: decision.summaryCounts,
      removeJob,
      apply: decision.apply,
    };
  }
  if (decision?.decision === 'defer' && now < deferCeiling(run, policy)) {
    return { kind: 'defer', reason: decision.reason, adapter: input.adapter!.name };
  }
  if (cancelRequested) return cancelledAfterWorkerLoss(removeJob);
  const queued = run.status === 'queued';
  return {
    kind: 'reconcile',
    outcome: 'failed',
    reason: queued ? 'stale_queued' : 'stale_running',
    message: queued ? STALE_QUEUED_MESSAGE : STALE_RUNNING_MESSAGE,
    source: 'scheduled_reconciler',
    removeJob,
  };
}

/** A cancel-requested run whose worker is gone ends as the operator asked: cancelled, not failed. */
function cancelledAfterWorkerLoss(removeJob: boolean): Extract<ReconcileAction, { kind: 'reconcile' }> {
  return {
    kind: 'reconcile',
    outcome: 'cancelled',
    reason: CANCELLED_WORKER_GONE_REASON,
    message: CANCELLED_WORKER_GONE_MESSAGE,
    source: 'scheduled_reconciler',
    removeJob,
  };
}
