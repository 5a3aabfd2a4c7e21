import { Inject, Injectable } from '@nestjs/common';
import { AccessContext } from '../../rbac/core/access-context';
import { AccessControl } from '../../rbac/core/access-control';
import { CAPABILITIES } from '../../rbac/core/capabilities';
import { TENANCY_DIRECTORY, TenancyDirectory } from '../../rbac/core/ports/tenancy-directory.port';
import { decodeAuditCursor, encodeAuditCursor } from '../core/audit-cursor';
import { AuditErrors } from '../core/audit-errors';
import { AUDIT_EVENT_QUERY, AuditEvent, AuditEventQuery } from '../core/ports/audit-event-query.port';

export const DEFAULT_AUDIT_PAGE_SIZE = 50;

/** The log's filters, already shape-checked by the caller's adapter (DTO or form). */
export interface AuditEventsFilter {
  action?: string;
  environment?: string;
  actor?: string;
  /** ISO 8601, inclusive. */
  from?: string;
  /** ISO 8601, exclusive. */
  to?: string;
  limit?: number;
  cursor?: string;
}

interface ScopeRef {
  id: string;
  slug: string;
  name: string;
}

/** One audit event as its readers show it (snake_case like the rest of /api/v1). */
export interface AuditEventItem {
  id: string;
  at: string;
  actor: { id: string | null; label: string };
  workspace: ScopeRef;
  environment: ScopeRef | null;
  action: string;
  subject: { type: string | null; id: string | null };
  metadata: Record<string, unknown>;
}

export interface AuditEventList {
  items: AuditEventItem[];
  /** Pass back as `cursor` for the next page; null on the last. */
  next_cursor: string | null;
}

/**
 * Reads the audit log of one workspace for holders of `audit.view`: not a member (or no such
 * workspace) → 404, member without the capability → 403. A member limited to some environments
 * sees only those environments' events (workspace-level events can name hidden environments).
 */
@Injectable()
export class ListAuditEvents {
  constructor(
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(AUDIT_EVENT_QUERY) private readonly events: AuditEventQuery,
    @Inject(TENANCY_DIRECTORY) private readonly tenancy: TenancyDirectory,
  ) {}

  async execute(caller: AccessContext, workspaceSlug: string, filter: AuditEventsFilter): Promise<AuditEventList> {
    const ws = await this.access.workspaceOf(caller, workspaceSlug);
    this.access.require(ws.grants, { workspaceId: ws.workspace.id, capability: CAPABILITIES.AUDIT_VIEW });
    const cursor = filter.cursor ? decodeAuditCursor(filter.cursor) : undefined;
    if (filter.cursor && !cursor) throw AuditErrors.invalidCursor();
    const from = filter.from ? new Date(filter.from) : undefined;
    const to = filter.to ? new Date(filter.to) : undefined;
    if (from && to && from.getTime() > to.getTime()) throw AuditErrors.invalidRange();
    // A named environment narrows to its events; hidden or unknown is not found, like everywhere else.
    const only = filter.environment ? await this.access.environment(ws, filter.environment) : null;
    const page = await this.events.list({
      workspaceId: ws.workspace.id,
      environmentIds: only ? [only.id] : ws.scope.allEnvironments ? 'all' : ws.scope.environmentIds,
      action: filter.action,
      actorUserId: filter.actor?.toLowerCase(),
      from,
      to,
      limit: filter.limit ?? DEFAULT_AUDIT_PAGE_SIZE,
      cursor: cursor ?? undefined,
    });
    const environmentIds = [...new Set(page.items.flatMap((e) => (e.environmentId ? [e.environmentId] : [])))];
    const environments = new Map((await this.tenancy.findEnvironmentsByIds(environmentIds)).map((e) => [e.id, e]));
    const workspace = { id: ws.workspace.id, slug: ws.workspace.slug, name: ws.workspace.name };
    const toItem = (event: AuditEvent): AuditEventItem => {
      const environment = event.environmentId ? environments.get(event.environmentId) : undefined;
      return {
        id: event.id,
        at: event.at.toISOString(),
        actor: { id: event.actorUserId, label: event.actorLabel },
        workspace,
        environment: environment ? { id: environment.id, slug: environment.slug, name: environment.displayName } : null,
        action: event.action,
        subject: { type: event.subjectType, id: event.subjectId },
        metadata: event.metadata,
      };
    };
    return {
      items: page.items.map(toItem),
      next_cursor: page.nextCursor ? encodeAuditCursor(page.nextCursor) : null,
    };
  }
}
