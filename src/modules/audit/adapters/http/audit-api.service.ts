import { Inject, Injectable } from '@nestjs/common';
import { Principal } from '../../../../shared/adapters/auth/principal';
import { DomainError } from '../../../../shared/core/domain-error';
import { AccessControl } from '../../../rbac/core/access-control';
import { CAPABILITIES } from '../../../rbac/core/capabilities';
import { TENANCY_DIRECTORY, TenancyDirectory } from '../../../rbac/core/ports/tenancy-directory.port';
import { decodeAuditCursor, encodeAuditCursor } from '../../core/audit-cursor';
import { AUDIT_EVENT_QUERY, AuditEvent, AuditEventQuery } from '../../core/ports/audit-event-query.port';
import { AuditEventDoc, AuditEventListResponse } from './audit-api.responses';
import { DEFAULT_AUDIT_PAGE_SIZE, ListAuditEventsRequest } from './list-audit-events.request';

/**
 * Reads the audit log of one workspace for holders of `audit.view`: not a member (or no such
 * workspace) → 404, member without the capability → 403. A member limited to some environments
 * sees only those environments' events (workspace-level events can name hidden environments).
 */
@Injectable()
export class AuditApiService {
  constructor(
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(AUDIT_EVENT_QUERY) private readonly events: AuditEventQuery,
    @Inject(TENANCY_DIRECTORY) private readonly tenancy: TenancyDirectory,
  ) {}

  async list(principal: Principal, workspaceSlug: string, query: ListAuditEventsRequest): Promise<AuditEventListResponse> {
    const ws = await this.access.workspace(principal.userId, workspaceSlug);
    this.access.require(ws.grants, { workspaceId: ws.workspace.id, capability: CAPABILITIES.AUDIT_VIEW });
    const cursor = query.cursor ? decodeAuditCursor(query.cursor) : undefined;
    if (query.cursor && !cursor) {
      throw new DomainError('invalid_cursor', 'cursor is not valid: pass the next_cursor of a previous page unchanged.');
    }
    const from = query.from ? new Date(query.from) : undefined;
    const to = query.to ? new Date(query.to) : undefined;
    if (from && to && from.getTime() > to.getTime()) {
      throw new DomainError('invalid_range', 'from must not be later than to.');
    }
    // A named environment narrows to its events; hidden or unknown is not found, like everywhere else.
    const only = query.environment ? await this.access.environment(ws, query.environment) : null;
    const page = await this.events.list({
      workspaceId: ws.workspace.id,
      environmentIds: only ? [only.id] : ws.scope.allEnvironments ? 'all' : ws.scope.environmentIds,
      action: query.action,
      actorUserId: query.actor?.toLowerCase(),
      from,
      to,
      limit: query.limit ?? DEFAULT_AUDIT_PAGE_SIZE,
      cursor: cursor ?? undefined,
    });
    const environmentIds = [...new Set(page.items.flatMap((e) => (e.environmentId ? [e.environmentId] : [])))];
    const environments = new Map((await this.tenancy.findEnvironmentsByIds(environmentIds)).map((e) => [e.id, e]));
    const workspace = { id: ws.workspace.id, slug: ws.workspace.slug, name: ws.workspace.name };
    const toItem = (event: AuditEvent): AuditEventDoc => {
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
