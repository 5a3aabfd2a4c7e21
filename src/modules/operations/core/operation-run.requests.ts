import { DomainError } from '../../../shared/core/domain-error';
import { OperationRun, ReconciliationSource, RelatedRef, TerminalOutcome } from './operation-run';

/** The shapes and operator-safe wording of OperationRunService's requests and outcomes. */
export interface DispatchRequest {
  workspaceId: string;
  environmentId: string | null;
  type: string;
  input?: unknown;
  initiatorUserId: string | null;
  /** The initiator's view of the workspace's environments (StartScope.sees); absent for system starts. */
  sees?: (environmentId: string) => boolean;
  /** Set when this start retries a completed run: recorded as `context.retry_of`. */
  retryOf?: string;
}

export interface DispatchResult {
  run: OperationRun;
  created: boolean;
}

export type QueueFailureReason = 'job_failed' | 'job_timeout' | 'worker_lost';

export interface ErrorInfo {
  class: string;
  message: string;
  code?: string;
}

export interface ReconcileRequest {
  run: OperationRun;
  outcome: TerminalOutcome;
  reason: string;
  message: string;
  source: ReconciliationSource;
  adapter?: string;
  related?: RelatedRef;
  summaryCounts?: Record<string, number>;
}

export const WORKER_LOST_RECONCILED_MESSAGE = 'Reconciled: the worker stopped reporting; no result was recorded';

export const INITIATOR_NOT_AUTHORIZED_MESSAGE =
  'The person who started this run no longer has access to do so, so it did no work.';

export const DISPATCH_FAILED_MESSAGE =
  'The run could not be queued because the job queue is unreachable. Try again once it is available.';

export function errorInfo(error: unknown): ErrorInfo {
  if (error instanceof DomainError) return { class: error.name, message: error.message, code: error.code };
  if (error instanceof Error) return { class: error.constructor?.name || error.name, message: error.message };
  return { class: typeof error, message: String(error) };
}
