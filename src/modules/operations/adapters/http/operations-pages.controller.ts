import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Authenticated, CurrentAccess, RequestAccess } from '../../../web/adapters/http/route-access';
import { validateForm } from '../../../../shared/adapters/http/form-validation';
import { ViewService } from '../../../../shared/adapters/views/view.service';
import { DomainError, isDomainError } from '../../../../shared/core/domain-error';
import { AccessControl, WorkspaceAccess } from '../../../rbac/core/access-control';
import { RbacErrors } from '../../../rbac/core/rbac-errors';
import { CAPABILITIES } from '../../../rbac/core/capabilities';
import { ENVIRONMENT_LISTING, EnvironmentListing } from '../../../rbac/core/ports/environment-listing.port';
import { GetPageShell } from '../../../web/application/page-shell.query';
import { sendFragment, sendPage } from '../../../web/adapters/http/send-page';
import { OperationCatalog } from '../../core/operation-catalog';
import { OperationErrors } from '../../core/operations-errors';
import { RelatedArtifactLinks } from '../../core/related-artifact-links';
import { RunResource } from '../../core/run-resource';
import { ListOperationsRequest } from './list-operations.request';
import { GetRun } from '../../application/get-run.query';
import { GetRunActions } from '../../application/run-actions.query';
import { ListOperations, OperationListResult } from '../../application/list-operations.query';
import { hubBulkActions,
  buildFilters,
  buildPager,
  buildRunView,
  buildTabs,
  cleanQuery,
  HubQuery,
  hubPollActive,
  hubQueryOf,
  isActiveRun,
  runTitle,
} from './operations-pages.view-model';
import { routes } from '../../../../shared/core/routes';

interface HubOutcome {
  /** What was asked for, re-shown in the filters. */
  query: HubQuery;
  /** What links carry: the query without the values that were wrong. */
  linkQuery: HubQuery;
  result: OperationListResult | null;
  errors: Record<string, string>;
}

/**
 * The operations hub and the run page: the same use cases as the JSON API (scope, capability,
 * counts, 404 for hidden things), rendered from the presenter's RunResource only.
 */
@Controller()
@Authenticated()
export class OperationsPagesController {
  constructor(
    @Inject(ListOperations) private readonly listOperations: ListOperations,
    @Inject(GetRun) private readonly getRun: GetRun,
    @Inject(GetRunActions) private readonly runActions: GetRunActions,
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(ENVIRONMENT_LISTING) private readonly environments: EnvironmentListing,
    @Inject(OperationCatalog) private readonly catalog: OperationCatalog,
    @Inject(RelatedArtifactLinks) private readonly relatedLinks: RelatedArtifactLinks,
    @Inject(GetPageShell) private readonly shell: GetPageShell,
    @Inject(ViewService) private readonly views: ViewService,
  ) {}

  @Get('w/:workspace/operations')
  async hub(
    @CurrentAccess() principal: RequestAccess,
    @Param('workspace') workspace: string,
    @Query() raw: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    const ws = await this.workspaceFor(principal, workspace);
    const visible = await this.environments.listEnvironments(ws.workspace.id, ws.scope);
    const { query, linkQuery, result, errors } = await this.load(principal, ws, raw, visible.map((e) => e.slug));
    const items = result?.items ?? [];
    const slug = ws.workspace.slug;
    const model = {
      title: `Operations · ${ws.workspace.name}`,
      shell: await this.shell.execute(principal, { workspace: ws, environmentSlug: query.environment, section: 'operations' }),
      workspace: { slug, name: ws.workspace.name },
      action: routes.hub(slug, {}),
      filters: buildFilters({
        query,
        environments: visible.map((e) => ({ slug: e.slug, name: e.displayName, archived: e.archived === true })),
        types: this.catalog.definitions(),
        viewerId: principal.userId,
        runs: items,
      }),
      errors,
      hasErrors: Object.keys(errors).length > 0,
      clearHref: routes.hub(slug, { tab: linkQuery.tab }),
      pollUrl: routes.hub(slug, linkQuery, '/live'),
      pollActive: !!result && hubPollActive(query.tab, items),
      results: this.resultsModel(slug, linkQuery, result),
      bulkActions: result ? hubBulkActions(ws, linkQuery, query.environment) : [],
    };
    sendPage(res, this.views.render('operations/hub', model), model.hasErrors ? 400 : 200);
  }

  @Get('w/:workspace/operations/live')
  async hubLive(
    @CurrentAccess() principal: RequestAccess,
    @Param('workspace') workspace: string,
    @Query() raw: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    const ws = await this.workspaceFor(principal, workspace);
    const visible = await this.environments.listEnvironments(ws.workspace.id, ws.scope);
    const { linkQuery, result, errors } = await this.load(principal, ws, raw, visible.map((e) => e.slug));
    if (!result) throw OperationErrors.invalidFilter(Object.values(errors)[0] ?? 'The filters are not valid.');
    const html = this.views.renderFragment('operations/hub-live', { results: this.resultsModel(ws.workspace.slug, linkQuery, result) });
    sendFragment(res, html, result.items.some(isActiveRun));
  }

  @Get('operations/:id')
  async run(@CurrentAccess() principal: RequestAccess, @Param('id') id: string, @Res() res: Response): Promise<void> {
    const run = await this.getRun.execute(principal, id);
    const ws = run.workspace ? await this.access.workspaceOf(principal, run.workspace.slug) : undefined;
    const model = {
      title: runTitle(run),
      shell: await this.shell.execute(principal, { workspace: ws, environmentSlug: run.environment?.slug, section: 'operations' }),
      ...this.runModel(principal, run),
    };
    sendPage(res, this.views.render('operations/run', model));
  }

  @Get('operations/:id/live')
  async runLive(@CurrentAccess() principal: RequestAccess, @Param('id') id: string, @Res() res: Response): Promise<void> {
    const run = await this.getRun.execute(principal, id);
    const view = this.runModel(principal, run);
    sendFragment(res, this.views.renderFragment('operations/run-live', view), view.active);
  }

  private runModel(principal: RequestAccess, run: RunResource) {
    const actions = this.runActions.execute(principal, run);
    return {
      ...buildRunView(run, this.catalog.resolve(run.type), this.relatedLinks),
      cancelHref: actions.cancel ? routes.runCancel(run.id) : null,
      // The live fragment carries the form too (a run that ends while watched offers Retry at once).
      retry: actions.retry ? { action: routes.runRetry(run.id), csrfToken: principal.sessionCsrf } : null,
    };
  }

  private async workspaceFor(principal: RequestAccess, slug: string): Promise<WorkspaceAccess> {
    const ws = await this.access.workspaceOf(principal, slug);
    this.access.require(ws.grants, { workspaceId: ws.workspace.id, capability: CAPABILITIES.OPERATIONS_VIEW });
    return ws;
  }

  /**
   * Validates the query like a form (messages beside the filters) and runs the API's list use
   * case. A hidden or unknown environment is a 404 before anything else, so no page, link or
   * message ever echoes it.
   */
  private async load(principal: RequestAccess, ws: WorkspaceAccess, raw: Record<string, unknown>, visibleSlugs: string[]): Promise<HubOutcome> {
    const cleaned = cleanQuery(raw);
    const query = hubQueryOf(cleaned);
    if (typeof cleaned.environment === 'string' && !visibleSlugs.includes(cleaned.environment)) throw RbacErrors.notFound();
    if (query.type) query.type = this.catalog.resolve(query.type)?.type ?? query.type;
    const { value, errors } = await validateForm(ListOperationsRequest, cleaned);
    if (!value) return { query, linkQuery: withoutInvalid(query, errors), result: null, errors };
    try {
      return { query, linkQuery: query, result: await this.listOperations.execute(principal, ws.workspace.slug, value), errors: {} };
    } catch (error) {
      if (!isDomainError(error) || error.kind !== 'invalid') throw error;
      const listErrors = { [fieldOf(error)]: error.message };
      return { query, linkQuery: withoutInvalid(query, listErrors), result: null, errors: listErrors };
    }
  }

  private resultsModel(slug: string, query: HubQuery, result: OperationListResult | null) {
    return {
      tabs: buildTabs(slug, query, result?.counts ?? null),
      runs: result?.items ?? [],
      loaded: !!result,
      ...buildPager(slug, query, result?.next_cursor ?? null),
    };
  }
}

/** Which filter a list error belongs beside. */
function fieldOf(error: DomainError): string {
  switch (error.code) {
    case 'invalid_cursor':
      return 'cursor';
    case 'unknown_operation_type':
      return 'type';
    case 'invalid_date':
      return error.message.startsWith('to') ? 'to' : 'from';
    case 'invalid_date_range':
      return 'to';
    default:
      return '_form';
  }
}

/** Links from an invalid view drop the wrong values, so following one cannot fail again. */
function withoutInvalid(query: HubQuery, errors: Record<string, string>): HubQuery {
  const out: HubQuery = { ...query };
  for (const key of Object.keys(errors)) delete (out as Record<string, unknown>)[key];
  return out;
}
