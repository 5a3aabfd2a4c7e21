import { isRecord } from '../../../shared/core/json-guards';
import { OperationRun, RunCancellation } from './operation-run';
import { completeRun, GuardedChange } from './run-transitions';

/** The failure a cancelled run carries: operator-safe, the same on every surface. */
export const CANCELLED_FAILURE_CODE = 'cancelled';
export const CANCELLED_MESSAGE = 'Cancelled by an operator before the run finished; no result was recorded.';
export const CANCELLED_WORKER_GONE_REASON = 'cancel_requested_worker_gone';
export const CANCELLED_WORKER_GONE_MESSAGE =
  'Reconciled: cancel was requested and the worker stopped; the run is cancelled and no result was recorded.';

/**
 * What a cancel request does to a run, by its state (issue 17):
 * - `cancel_now`: queued, no worker holds it — it completes `cancelled` at once;
 * - `request`: running — the request is recorded and the worker holding it stops within a heartbeat;
 * - `already_requested`: running with a request on record — nothing new is written;
 * - `completed`: nothing to cancel (the caller answers 409).
 */
export type CancelPlan = 'cancel_now' | 'request' | 'already_requested' | 'completed';

export function planCancel(run: Pick<OperationRun, 'status' | 'context'>): CancelPlan {
  if (run.status === 'completed') return 'completed';
  if (run.status === 'queued') return 'cancel_now';
  return readCancellation(run) ? 'already_requested' : 'request';
}

/** The cancel request as the run records it; null when none (or a malformed value) is on record. */
export function readCancellation(run: Pick<OperationRun, 'context'>): RunCancellation | null {
  const value: unknown = isRecord(run.context) ? run.context.cancellation : undefined;
  if (!isRecord(value) || typeof value.requested_at !== 'string' || !Number.isFinite(Date.parse(value.requested_at))) {
    return null;
  }
  return {
    requested_by: typeof value.requested_by === 'string' ? value.requested_by : null,
    requested_at: value.requested_at,
  };
}

/** Records the request on a running run; guarded on `running` so a run that finished first keeps its outcome. */
export function requestCancellation(requestedBy: string | null, now: Date): GuardedChange {
  return {
    expectedStatus: 'running',
    change: { contextMerge: { cancellation: { requested_by: requestedBy, requested_at: now.toISOString() } } },
  };
}

/** A queued run no worker has picked up: cancelled at once, guarded on `queued` (a pickup wins the race). */
export function cancelQueued(run: OperationRun, requestedBy: string | null, now: Date): GuardedChange {
  const guarded = completeRun(
    run,
    { outcome: 'cancelled', failures: [{ code: CANCELLED_FAILURE_CODE, message: CANCELLED_MESSAGE }] },
    now,
  );
  guarded.change.contextMerge = {
    ...guarded.change.contextMerge,
    cancellation: { requested_by: requestedBy, requested_at: now.toISOString() },
  };
  return { ...guarded, expectedStatus: 'queued' };
}

/** How long ago the request was made, in whole seconds (never negative: clocks differ). */
export function cancelRequestedAgoS(cancellation: RunCancellation, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - Date.parse(cancellation.requested_at)) / 1000));
}

/** The line every surface shows while a requested cancel waits for the worker. */
export function cancelPendingCopy(cancellation: RunCancellation, now: Date): string {
  return `Cancel requested ${agoLabel(cancelRequestedAgoS(cancellation, now))} — waiting for the worker to stop.`;
}

function agoLabel(seconds: number): string {
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  return `${Math.floor(minutes / 60)} h ago`;
}
