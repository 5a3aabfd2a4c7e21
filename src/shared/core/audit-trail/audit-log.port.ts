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
  /** Appends many events in one write (e.g. a reconciler batch). */
  recordMany(events: AuditEventInput[]): Promise<void>;
}
