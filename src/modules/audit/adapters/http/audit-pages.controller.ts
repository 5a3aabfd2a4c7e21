import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { isUuid } from '../../../../shared/core/uuid';
import type { Response } from 'express';
import { Authenticated, CurrentAccess, RequestAccess } from '../../../web/adapters/http/route-access';
import { validateForm } from '../../../../shared/adapters/http/form-validation';
import { ViewService } from '../../../../shared/adapters/views/view.service';
import { DomainError } from '../../../../shared/core/domain-error';
import { routes } from '../../../../shared/core/routes';
import { AccessControl } from '../../../rbac/core/access-control';
import { CAPABILITIES } from '../../../rbac/core/capabilities';
import { USER_PROFILES, UserProfiles } from '../../../rbac/core/ports/user-profiles.port';
import { GetPageShell } from '../../../web/application/page-shell.query';
import { sendPage } from '../../../web/adapters/http/send-page';
import * as AUDIT_ACTIONS from '../../../../shared/core/audit-trail/audit-actions';
import { AuditEventItem, AuditEventList, ListAuditEvents } from '../../application/list-audit-events.query';
import { ListAuditEventsRequest } from './list-audit-events.request';

const PAGE_SIZE = 50;
const FILTERS = ['action', 'environment', 'actor', 'from', 'to'] as const;
type Filters = Partial<Record<(typeof FILTERS)[number], string>>;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const ACTIONS: string[] = [...Object.values(AUDIT_ACTIONS)].sort();

/**
 * `/w/:workspace/audit`: the audit log for holders of `audit.view` (others: 403; non-members: 404),
 * filtered by a GET form that maps onto the same use case as the audit API, newest first with
 * keyset paging.
 */
@Controller()
@Authenticated()
export class AuditPagesController {
  constructor(
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(ListAuditEvents) private readonly listAuditEvents: ListAuditEvents,
    @Inject(USER_PROFILES) private readonly profiles: UserProfiles,
    @Inject(GetPageShell) private readonly shell: GetPageShell,
    @Inject(ViewService) private readonly views: ViewService,
  ) {}

  @Get('w/:workspace/audit')
  async log(
    @CurrentAccess() principal: RequestAccess,
    @Param('workspace') workspaceSlug: string,
    @Query() query: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    const ws = await this.access.workspaceOf(principal, workspaceSlug);
    this.access.require(ws.grants, { workspaceId: ws.workspace.id, capability: CAPABILITIES.AUDIT_VIEW });
    const shell = await this.shell.execute(principal, { workspace: ws, section: 'audit' });
    const filters = pickFilters(query);
    const cursor = typeof query.cursor === 'string' && query.cursor ? query.cursor : undefined;

    const { value, errors } = await validateForm(ListAuditEventsRequest, { ...toListFilter(filters), cursor, limit: PAGE_SIZE });
    let page: AuditEventList = { items: [], next_cursor: null };
    if (value) {
      try {
        page = await this.listAuditEvents.execute(principal, ws.workspace.slug, value);
      } catch (error) {
        if (!(error instanceof DomainError) || error.kind !== 'invalid') throw error;
        errors._form = error.message;
      }
    }
    const failed = Object.keys(errors).length > 0;
    const base = routes.audit(ws.workspace.slug);
    const actorIds = [...new Set(page.items.flatMap((e) => (e.actor.id ? [e.actor.id] : [])))];
    if (filters.actor && isUuid(filters.actor)) actorIds.push(filters.actor);
    const names = new Map((await this.profiles.findProfiles([...new Set(actorIds)])).map((p) => [p.id, p.displayName]));
    const events = page.items.map((e) => ({
      ...toRow(e, names),
      actorHref: e.actor.id ? withQuery(base, { ...filters, actor: e.actor.id }) : null,
    }));
    const actors = [...names.entries()]
      .map(([id, name]) => ({ id, name, selected: id === filters.actor }))
      .sort((a, b) => a.name.localeCompare(b.name));

    sendPage(
      res,
      this.views.render('audit/log', {
        title: 'Audit log',
        shell,
        base,
        filters,
        errors,
        actions: ACTIONS.map((a) => ({ value: a, selected: a === filters.action })),
        environments: shell.environments.map((e) => ({ slug: e.slug, name: e.name, selected: e.slug === filters.environment })),
        actors,
        events,
        filtered: FILTERS.some((f) => filters[f]),
        isFirstPage: !cursor,
        newest: withQuery(base, filters),
        older: page.next_cursor ? withQuery(base, { ...filters, cursor: page.next_cursor }) : null,
      }),
      failed ? 400 : 200,
    );
  }
}

/** The form's own fields, trimmed; blanks mean "any". Other query parameters are ignored. */
function pickFilters(query: Record<string, unknown>): Filters {
  const filters: Filters = {};
  for (const key of FILTERS) {
    const raw = query[key];
    if (typeof raw === 'string' && raw.trim()) filters[key] = raw.trim();
  }
  return filters;
}

/** The page's dates are whole UTC days: "to" includes its day, so the list gets the next midnight. */
function toListFilter(filters: Filters): Record<string, string | undefined> {
  return { ...filters, to: filters.to ? dayAfter(filters.to) : undefined };
}

function dayAfter(day: string): string {
  if (!DATE_ONLY.test(day)) return day; // the request validator explains what is wrong
  const date = new Date(`${day}T00:00:00Z`);
  if (!Number.isFinite(date.getTime()) || date.toISOString().slice(0, 10) !== day) return day;
  return new Date(date.getTime() + 86_400_000).toISOString().slice(0, 10);
}

function withQuery(base: string, params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) search.set(key, value);
  const qs = search.toString();
  return qs ? `${base}?${qs}` : base;
}

function toRow(e: AuditEventItem, names: Map<string, string>) {
  const isRun = e.subject.type === 'operation_run' && !!e.subject.id && isUuid(e.subject.id);
  const metadata = Object.keys(e.metadata ?? {}).length ? JSON.stringify(e.metadata) : '';
  return {
    id: e.id,
    at: e.at,
    actor: e.actor.id ? (names.get(e.actor.id) ?? e.actor.label) : e.actor.label,
    actorId: e.actor.id,
    system: !e.actor.id,
    action: e.action,
    environment: e.environment?.name ?? null,
    subject: e.subject.type ? { type: e.subject.type, id: e.subject.id, shortId: e.subject.id?.slice(0, 8) ?? null, href: isRun && e.subject.id ? routes.run(e.subject.id) : null } : null,
    metadata,
  };
}
