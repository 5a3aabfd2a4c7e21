import { isRecord } from '../../../shared/core/json-guards';
import { isUuid } from '../../../shared/core/uuid';
import { OperationRun, RunOutcome } from './operation-run';

/** Outcomes worth running again (issue 17): a success or an active run is not retried. */
export const RETRYABLE_OUTCOMES: readonly RunOutcome[] = ['failed', 'blocked', 'cancelled', 'partially_succeeded'];

export function isRetryable(run: Pick<OperationRun, 'status' | 'outcome'>): boolean {
  return run.status === 'completed' && RETRYABLE_OUTCOMES.includes(run.outcome);
}

/** The run this one retries (`context.retry_of`), when one is on record. */
export function readRetryOf(run: Pick<OperationRun, 'context'>): string | null {
  return readRunRef(run, 'retry_of');
}

/** The latest retry of this run (`context.retried_as`), when one was started. */
export function readRetriedAs(run: Pick<OperationRun, 'context'>): string | null {
  return readRunRef(run, 'retried_as');
}

function readRunRef(run: Pick<OperationRun, 'context'>, key: 'retry_of' | 'retried_as'): string | null {
  const value: unknown = isRecord(run.context) ? run.context[key] : undefined;
  return typeof value === 'string' && isUuid(value) ? value : null;
}
