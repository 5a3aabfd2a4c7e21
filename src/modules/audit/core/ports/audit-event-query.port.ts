export const AUDIT_EVENT_QUERY = Symbol('AUDIT_EVENT_QUERY');

/** One stored audit event. `id` is the bigserial as a string. */
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

/** Position after the last event of a page (keyset on `at desc, id desc`). */
export interface AuditCursor {
  at: Date;
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
