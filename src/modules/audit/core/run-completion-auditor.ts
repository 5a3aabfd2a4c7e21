import { OperationRun } from '../../operations/core/operation-run';
import { CompletionAudit, CompletionAuditEvent } from '../../operations/core/ports/completion-audit.port';
import { scrubAuditMetadata } from './audit-metadata';
import { auditEventForCompletedRun } from './run-audit';

/** The audit log's description of a terminal transition, scrubbed like every audit write. */
export class RunCompletionAuditor implements CompletionAudit {
  eventFor(completed: OperationRun): CompletionAuditEvent {
    const event = auditEventForCompletedRun(completed);
    return {
      actorUserId: event.actorUserId,
      actorLabel: event.actorLabel,
      workspaceId: event.workspaceId ?? null,
      environmentId: event.environmentId ?? null,
      action: event.action,
      subjectType: event.subjectType ?? 'operation_run',
      subjectId: event.subjectId ?? completed.id,
      metadata: scrubAuditMetadata(event.metadata),
    };
  }
}
