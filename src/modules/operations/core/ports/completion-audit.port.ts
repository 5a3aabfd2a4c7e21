import { OperationRun } from '../operation-run';

export const COMPLETION_AUDIT = Symbol('COMPLETION_AUDIT');

/** The audit event of one terminal transition, in the shape the audit log stores. */
export interface CompletionAuditEvent {
  actorUserId: string | null;
  actorLabel: string;
  workspaceId: string | null;
  environmentId: string | null;
  action: string;
  subjectType: string;
  subjectId: string;
  metadata: Record<string, unknown>;
}

/**
 * Describes a run's terminal transition for the audit log. The repository writes the event in
 * the completion's own statement, so a completed run never lacks its event (a process dying
 * between two writes cannot lose it) and a transition that lost its compare-and-set leaves none.
 */
export interface CompletionAudit {
  eventFor(completed: OperationRun): CompletionAuditEvent;
}
