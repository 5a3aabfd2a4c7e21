import { OperationRun } from '../../operations/core/operation-run';
import { OPERATION_COMPLETED, OPERATION_RECONCILED } from '../../../shared/core/audit-trail/audit-actions';
import { AuditEventInput } from '../../../shared/core/audit-trail/audit-log.port';

/**
 * The audit event for a run that just completed. A reconciled run records how it was closed;
 * any other run records its outcome and failure codes. Diagnostics (raw errors) never go in.
 */
export function auditEventForCompletedRun(run: OperationRun): AuditEventInput {
  const reconciliation = run.context.reconciliation;
  const metadata: Record<string, unknown> = reconciliation
    ? {
        type: run.type,
        outcome: run.outcome,
        reason: reconciliation.reason,
        source: reconciliation.source,
        adapter: reconciliation.adapter ?? null,
        previous_status: reconciliation.previous_status,
      }
    : {
        type: run.type,
        outcome: run.outcome,
        failure_codes: (run.context.failures ?? []).map((f) => f.code),
      };
  return {
    actorUserId: run.initiatorUserId,
    actorLabel: run.initiatorUserId ? 'user' : 'system',
    workspaceId: run.workspaceId,
    environmentId: run.environmentId,
    action: reconciliation ? OPERATION_RECONCILED : OPERATION_COMPLETED,
    subjectType: 'operation_run',
    subjectId: run.id,
    metadata,
  };
}
