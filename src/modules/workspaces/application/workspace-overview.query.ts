import { Inject, Injectable } from '@nestjs/common';
import { Clock, CLOCK } from '../../../shared/core/clock.port';
import { routes } from '../../../shared/core/routes';
import { GetEnvironmentRunFigures } from '../../operations/application/environment-run-figures.query';
import { ListOperations, ListOperationsFilter } from '../../operations/application/list-operations.query';
import { OperationCatalog } from '../../operations/core/operation-catalog';
import { AccessContext } from '../../rbac/core/access-context';
import { AccessControl, WorkspaceAccess } from '../../rbac/core/access-control';
import { CAPABILITIES } from '../../rbac/core/capabilities';
import { ENVIRONMENT_LISTING, EnvironmentListing } from '../../rbac/core/ports/environment-listing.port';
import { WORKSPACE_FACTS, WorkspaceFacts } from '../core/ports/workspace-facts.port';
import { inventorySyncTypes } from './inventory-sync-types';
import { environmentHealthCard, sevenDaysAgoDay, workspaceKpis } from './workspace-page-models';

const ATTENTION_LIMIT = 5;
const RECENT_LIMIT = 10;

/**
 * The workspace overview: KPIs, a health card per environment, what needs attention and the recent
 * runs. Run lists and counts go through ListOperations (the hub's and the API's query) and the
 * cards' figures through one grouped read, so each number equals what its hub link shows.
 * Archived environments leave active work: while there are any, every list and count here is the
 * hub view `archived=exclude` (and links say so), and they are listed apart, without figures.
 */
@Injectable()
export class GetWorkspaceOverview {
  constructor(
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(ENVIRONMENT_LISTING) private readonly environments: EnvironmentListing,
    @Inject(ListOperations) private readonly operations: ListOperations,
    @Inject(GetEnvironmentRunFigures) private readonly figures: GetEnvironmentRunFigures,
    @Inject(OperationCatalog) private readonly catalog: OperationCatalog,
    @Inject(WORKSPACE_FACTS) private readonly facts: WorkspaceFacts,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(caller: AccessContext, workspaceSlug: string) {
    const ws = await this.access.workspaceOf(caller, workspaceSlug);
    return { ws, model: await this.model(caller, ws) };
  }

  private async model(caller: AccessContext, ws: WorkspaceAccess) {
    const slug = ws.workspace.slug;
    const visible = await this.environments.listEnvironments(ws.workspace.id, ws.scope);
    const environments = visible.filter((e) => !e.archived);
    const archivedEnvironments = visible
      .filter((e) => e.archived)
      .map((e) => ({ slug: e.slug, name: e.displayName, href: routes.environment(slug, e.slug) }));
    const view: Pick<ListOperationsFilter, 'archived'> = archivedEnvironments.length ? { archived: 'exclude' } : {};
    const canViewRuns = ws.capabilities.includes(CAPABILITIES.OPERATIONS_VIEW);
    const fromDay = sevenDaysAgoDay(this.clock.now());
    const health = await this.facts.environmentHealth(
      ws.workspace.id,
      environments.map((e) => e.id),
      ws.scope,
      inventorySyncTypes(this.catalog),
    );
    const list = (query: ListOperationsFilter) => this.operations.execute(caller, slug, { ...view, ...query });

    if (!canViewRuns) {
      return { canViewRuns, environments: environments.map((e) => ({ slug: e.slug, name: e.displayName, href: routes.environment(slug, e.slug) })), archivedEnvironments };
    }
    // The recent runs are the first page of the "all" tab: its counts are the workspace KPIs. The
    // cards' figures are one grouped read, each equal to the hub count its link opens.
    const [all, stale, followUp, figures] = await Promise.all([
      list({ tab: 'all', limit: RECENT_LIMIT }),
      list({ tab: 'active_stale_attention', limit: ATTENTION_LIMIT }),
      list({ tab: 'terminal_follow_up', limit: ATTENTION_LIMIT }),
      this.figures.execute(caller, slug, { environmentIds: environments.map((e) => e.id), failedFromDay: fromDay }),
    ]);
    const cards = environments.map((e) => {
      const f = figures.get(e.id);
      const facts = health.get(e.id);
      const card = environmentHealthCard(slug, {
        slug: e.slug,
        name: e.displayName,
        counts: { active: f?.active ?? 0, active_stale_attention: f?.activeStale ?? 0 },
        failedSinceCount: f?.failedSince ?? 0,
        fromDay,
        lastSyncAt: facts?.lastSyncAt ?? null,
        latestCompare: facts?.latestCompare ?? null,
      });
      return card;
    });
    return {
      canViewRuns,
      kpis: workspaceKpis(slug, all.counts, view),
      environments: cards,
      archivedEnvironments,
      attention: {
        stale: stale.items,
        staleCount: all.counts.active_stale_attention,
        staleHref: routes.hub(slug, { ...view, tab: 'active_stale_attention' }),
        followUp: followUp.items,
        followUpCount: all.counts.terminal_follow_up,
        followUpHref: routes.hub(slug, { ...view, tab: 'terminal_follow_up' }),
      },
      recent: all.items,
      recentHref: routes.hub(slug, view),
    };
  }
}
