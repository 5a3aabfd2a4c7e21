import {
  assertTransition,
  AttemptRecord,
  OperationRun,
  ReconciliationRecord,
  RelatedRef,
  RunChange,
  RunFailure,
  RunStatus,
  TerminalOutcome,
} from './operation-run';
import { OperationErrors } from './operations-errors';
import { mergeReconciliation } from './reconciliation-record';
import { SummaryCounts, validateSummaryCounts } from './summary-counts';

/** A transition is a change plus the status the row must still have for it to apply (CAS). */
export interface GuardedChange {
  expectedStatus: RunStatus;
  change: RunChange;
}

export interface CompletionResult {
  outcome: TerminalOutcome;
  summaryCounts?: Record<string, unknown>;
  failures?: RunFailure[];
  related?: RelatedRef;
  reconciliation?: ReconciliationRecord;
  diagnostics?: Record<string, unknown>;
  /** Closes the open attempt with this code (e.g. `job_timeout`), when the run has one. */
  attemptErrorCode?: string | null;
}

export function beginAttempt(run: OperationRun, now: Date): GuardedChange {
  assertTransition(run.status, 'running');
  const n = run.attempts + 1;
  const attempts: AttemptRecord[] = [
    ...closeOpenAttempt(run.context.attempts ?? [], now, 'attempt_abandoned'),
    { n, started_at: now.toISOString(), ended_at: null, error_code: null },
  ];
  return {
    expectedStatus: run.status,
    change: {
      status: 'running',
      startedAt: run.startedAt ?? now,
      lastHeartbeatAt: now,
      attempts: n,
      contextMerge: { attempts },
    },
  };
}

/**
 * The first pickup of a queued run that never started: its change depends on nothing stored
 * beyond the guard (queued, 0 attempts, hence no attempt records and no start time), so a worker
 * can apply it without reading the run first. Equal to `beginAttempt` for such a run.
 */
export function beginFirstAttempt(now: Date): GuardedChange {
  return {
    expectedStatus: 'queued',
    change: {
      status: 'running',
      startedAt: now,
      lastHeartbeatAt: now,
      attempts: 1,
      contextMerge: { attempts: [{ n: 1, started_at: now.toISOString(), ended_at: null, error_code: null }] },
    },
  };
}

/** A failed attempt that the queue will retry: the run stays running, the attempt is closed. */
export function failAttempt(run: OperationRun, errorCode: string, now: Date): GuardedChange {
  if (run.status !== 'running') {
    throw OperationErrors.failAttemptNotRunning();
  }
  return {
    expectedStatus: 'running',
    change: { contextMerge: { attempts: closeOpenAttempt(run.context.attempts ?? [], now, errorCode) } },
  };
}

export function completeRun(run: OperationRun, result: CompletionResult, now: Date): GuardedChange {
  assertTransition(run.status, 'completed');
  if ((result.outcome as string) === 'pending') {
    throw OperationErrors.completionNotTerminal();
  }
  const counts: SummaryCounts = result.summaryCounts
    ? { ...run.summaryCounts, ...validateSummaryCounts(result.summaryCounts) }
    : run.summaryCounts;
  const merge: RunChange['contextMerge'] = {};
  if (run.context.attempts?.length) {
    merge.attempts = closeOpenAttempt(run.context.attempts, now, result.attemptErrorCode ?? null);
  }
  if (result.failures?.length) merge.failures = [...(run.context.failures ?? []), ...result.failures];
  if (result.related) merge.related = result.related;
  const reconciliation = mergeReconciliation(run.context.reconciliation, result.reconciliation);
  if (reconciliation && reconciliation !== run.context.reconciliation) merge.reconciliation = reconciliation;
  return {
    expectedStatus: run.status,
    change: {
      status: 'completed',
      outcome: result.outcome,
      completedAt: now,
      summaryCounts: counts,
      contextMerge: merge,
      diagnosticsMerge: result.diagnostics,
      // A success is the newest word on its work: earlier failures of it need no follow-up.
      ...(result.outcome === 'succeeded' ? { supersedesFollowUps: true } : {}),
    },
  };
}

function closeOpenAttempt(attempts: AttemptRecord[], now: Date, errorCode: string | null): AttemptRecord[] {
  return attempts.map((a, i) =>
    i === attempts.length - 1 && !a.ended_at
      ? { ...a, ended_at: now.toISOString(), error_code: errorCode }
      : a,
  );
}
