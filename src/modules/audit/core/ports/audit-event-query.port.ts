export const AUDIT_EVENT_QUERY = Symbol('AUDIT_EVENT_QUERY');

/**
 * One stored audit event. `id` is its random public id (a UUID): the table's sequential key is
 * shared by every workspace, so it never leaves the adapter (its gaps would count other tenants).
 */
export interface AuditEvent {
  id: string;
  at: Date;
  actorUserId: string | null;
  actorLabel: string;
  workspaceId: string | null;
  environmentId: string | null;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  metadata: Record<string, unknown>;
}

/**
 * Position after the last event of a page: that event's time (ISO 8601 with the database's
 * microseconds) and public id. It is valid only while it names an event the reader may see.
 */
export interface AuditCursor {
  at: string;
  id: string;
}

export interface AuditEventFilter {
  workspaceId: string;
  /**
   * Environments the reader may see: only their events are returned. Workspace-level events
   * (no environment) can name hidden environments, so they need `'all'`. Omitted or `'all'`: no
   * environment restriction.
   */
  environmentIds?: string[] | 'all';
  action?: string;
  actorUserId?: string;
  /** Inclusive lower bound on `at`. */
  from?: Date;
  /** Exclusive upper bound on `at`. */
  to?: Date;
  limit: number;
  /** Must name an event of this workspace within `environmentIds`; otherwise DomainError('invalid_cursor'). */
  cursor?: AuditCursor;
}

export interface AuditEventPage {
  items: AuditEvent[];
  /** Null on the last page. */
  nextCursor: AuditCursor | null;
}

/** Reads the audit log newest first, one keyset page at a time. */
export interface AuditEventQuery {
  list(filter: AuditEventFilter): Promise<AuditEventPage>;
}
