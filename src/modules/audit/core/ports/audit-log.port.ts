export const AUDIT_LOG = Symbol('AUDIT_LOG');

export interface AuditEventInput {
  actorUserId: string | null;
  actorLabel: string;
  workspaceId?: string | null;
  environmentId?: string | null;
  action: string;
  subjectType?: string | null;
  subjectId?: string | null;
  metadata?: Record<string, unknown>;
}

export interface AuditLog {
  record(event: AuditEventInput): Promise<void>;
}
