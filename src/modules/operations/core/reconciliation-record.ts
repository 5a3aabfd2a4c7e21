import { OperationRun, ReconciliationRecord, ReconciliationSource, RelatedRef } from './operation-run';
import { isRecord } from '../../../shared/core/json-guards';

/** Builds the canonical `context.reconciliation` record (SPEC 3) for a run about to be closed. */
export function buildReconciliationRecord(
  run: Pick<OperationRun, 'status' | 'outcome'>,
  fields: { reason: string; source: ReconciliationSource; decision: string; message: string; adapter?: string; related?: RelatedRef },
  now: Date,
): ReconciliationRecord {
  return {
    version: 1,
    reason: fields.reason,
    source: fields.source,
    ...(fields.adapter ? { adapter: fields.adapter } : {}),
    decision: fields.decision,
    reconciled_at: now.toISOString(),
    previous_status: run.status,
    previous_outcome: run.outcome,
    ...(fields.related ? { related: fields.related } : {}),
    message: fields.message,
  };
}

/**
 * Re-reconciling is idempotent: an existing record wins whole, so the first reconciliation's
 * previous status and time are never overwritten and nothing is duplicated.
 */
export function mergeReconciliation(
  existing: ReconciliationRecord | undefined,
  incoming: ReconciliationRecord | undefined,
): ReconciliationRecord | undefined {
  if (isRecord(existing)) return existing;
  return incoming;
}
