import { Inject, Injectable } from '@nestjs/common';
import { Clock, CLOCK } from '../../../../shared/core/clock.port';
import { INVENTORY_ITEM_REPOSITORY, InventoryItemRepository } from '../../../baselines/core/ports/inventory-item.repository.port';
import { GetEnvironmentRunFigures } from '../../../operations/application/environment-run-figures.query';
import { ListOperations, ListOperationsFilter } from '../../../operations/application/list-operations.query';
import { RequestAccess } from '../../../rbac/adapters/http/request-access';
import { OperationCatalog } from '../../../operations/core/operation-catalog';
import { RunResource } from '../../../operations/core/run-resource';
import { StartFormRegistry } from '../../../operations/core/start-form';
import { AccessControl, WorkspaceAccess } from '../../../rbac/core/access-control';
import { CAPABILITIES } from '../../../rbac/core/capabilities';
import { ENVIRONMENT_LISTING, EnvironmentListing } from '../../../rbac/core/ports/environment-listing.port';
import { EnvironmentRef } from '../../../rbac/core/ports/tenancy-directory.port';
import { routes } from '../../../../shared/core/routes';
import { WorkspaceReadQuery } from '../persistence/workspace-read.query';
import {
  compareSummary,
  environmentAttention,
  environmentHealthCard,
  escalateStale,
  inventorySummary,
  sevenDaysAgoDay,
  startForms,
  workspaceKpis,
} from './workspace-pages.view-model';

const ATTENTION_LIMIT = 5;
const RECENT_LIMIT = 10;
/** Active runs on a dashboard; more are reachable through the hub link with the full count. */
const ACTIVE_LIMIT = 50;
const SYNC_TYPE = 'inventory.sync';

/**
 * Read models of the workspace overview and the environment dashboard. Run lists and counts go
 * through the ListOperations query, the same call as the hub and the API, so each number equals
 * what its hub link shows; baseline, inventory and review facts are read-only SQL.
 */
@Injectable()
export class WorkspacePagesService {
  constructor(
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(ENVIRONMENT_LISTING) private readonly environments: EnvironmentListing,
    @Inject(ListOperations) private readonly operations: ListOperations,
    @Inject(GetEnvironmentRunFigures) private readonly figures: GetEnvironmentRunFigures,
    @Inject(OperationCatalog) private readonly catalog: OperationCatalog,
    @Inject(StartFormRegistry) private readonly forms: StartFormRegistry,
    @Inject(WorkspaceReadQuery) private readonly reads: WorkspaceReadQuery,
    @Inject(INVENTORY_ITEM_REPOSITORY) private readonly inventory: InventoryItemRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  workspace(principal: RequestAccess, slug: string): Promise<WorkspaceAccess> {
    return this.access.workspaceOf(principal, slug);
  }

  environment(ws: WorkspaceAccess, slug: string): Promise<EnvironmentRef> {
    return this.access.environment(ws, slug);
  }

  async overview(principal: RequestAccess, ws: WorkspaceAccess) {
    const slug = ws.workspace.slug;
    const environments = await this.environments.listEnvironments(ws.workspace.id, ws.scope);
    const canViewRuns = ws.capabilities.includes(CAPABILITIES.OPERATIONS_VIEW);
    const fromDay = sevenDaysAgoDay(this.clock.now());
    const health = await this.reads.environmentHealth(
      ws.workspace.id,
      environments.map((e) => e.id),
      ws.scope,
      this.syncTypes(),
    );
    const list = (query: ListOperationsFilter) => this.operations.execute(principal, slug, query);

    if (!canViewRuns) {
      return { canViewRuns, environments: environments.map((e) => ({ slug: e.slug, name: e.displayName, href: routes.environment(slug, e.slug) })) };
    }
    // The recent runs are the first page of the "all" tab: its counts are the workspace KPIs. The
    // cards' figures are one grouped read, each equal to the hub count its link opens.
    const [all, stale, followUp, figures] = await Promise.all([
      list({ tab: 'all', limit: RECENT_LIMIT }),
      list({ tab: 'active_stale_attention', limit: ATTENTION_LIMIT }),
      list({ tab: 'terminal_follow_up', limit: ATTENTION_LIMIT }),
      this.figures.execute(principal, slug, { environmentIds: environments.map((e) => e.id), failedFromDay: fromDay }),
    ]);
    const cards = environments.map((e) => {
      const f = figures.get(e.id);
      const facts = health.get(e.id);
      return environmentHealthCard(slug, {
        slug: e.slug,
        name: e.displayName,
        counts: { active: f?.active ?? 0, active_stale_attention: f?.activeStale ?? 0 },
        failedSinceCount: f?.failedSince ?? 0,
        fromDay,
        lastSyncAt: facts?.lastSyncAt ?? null,
        latestCompare: facts?.latestCompare ?? null,
      });
    });
    return {
      canViewRuns,
      kpis: workspaceKpis(slug, all.counts),
      environments: cards,
      attention: {
        stale: stale.items,
        staleCount: all.counts.active_stale_attention,
        staleHref: routes.hub(slug, { tab: 'active_stale_attention' }),
        followUp: followUp.items,
        followUpCount: all.counts.terminal_follow_up,
        followUpHref: routes.hub(slug, { tab: 'terminal_follow_up' }),
      },
      recent: all.items,
      recentHref: routes.hub(slug),
    };
  }

  /**
   * The active runs of one environment, likely stale ones first, with the hub count. The list's
   * counts are per tab under the environment filter, so the likely stale count comes with it.
   */
  async activeRuns(
    principal: RequestAccess,
    ws: WorkspaceAccess,
    env: EnvironmentRef,
  ): Promise<{ runs: RunResource[]; count: number; staleCount: number; href: string }> {
    const href = routes.hub(ws.workspace.slug, { tab: 'active', environment: env.slug });
    if (!ws.capabilities.includes(CAPABILITIES.OPERATIONS_VIEW)) return { runs: [], count: 0, staleCount: 0, href };
    const page = await this.operations.execute(principal, ws.workspace.slug, { tab: 'active', environment: env.slug, limit: ACTIVE_LIMIT });
    return { runs: escalateStale(page.items), count: page.counts.active, staleCount: page.counts.active_stale_attention, href };
  }

  /** Runs of the environment that failed since `fromDay`: the hub's count for the link it gets. */
  private async failedSince(principal: RequestAccess, ws: WorkspaceAccess, env: EnvironmentRef, fromDay: string): Promise<number> {
    const page = await this.operations.execute(principal, ws.workspace.slug, { tab: 'all', outcome: 'failed', environment: env.slug, from: fromDay, limit: 1 });
    return page.counts.all;
  }

  async dashboard(principal: RequestAccess, ws: WorkspaceAccess, env: EnvironmentRef) {
    const slug = ws.workspace.slug;
    const canViewRuns = ws.capabilities.includes(CAPABILITIES.OPERATIONS_VIEW);
    const fromDay = sevenDaysAgoDay(this.clock.now());
    const [active, recent, failedSinceCount, kinds, health, compare, review, profiles] = await Promise.all([
      this.activeRuns(principal, ws, env),
      canViewRuns
        ? this.operations.execute(principal, slug, { tab: 'all', environment: env.slug, limit: RECENT_LIMIT }).then((p) => p.items)
        : Promise.resolve([] as RunResource[]),
      canViewRuns ? this.failedSince(principal, ws, env, fromDay) : Promise.resolve(0),
      this.inventory.summaryByEnvironment(env.id),
      this.reads.environmentHealth(ws.workspace.id, [env.id], ws.scope, this.syncTypes()),
      this.reads.latestCompare(ws.workspace.id, env.id, ws.scope),
      this.reads.latestReview(env.id),
      this.reads.profiles(ws.workspace.id, ws.scope),
    ]);
    const types = this.catalog.definitions().map((d) => ({
      type: d.type,
      label: d.label,
      form: this.forms.of(d.type),
      allowed: this.access.decide(ws.grants, { workspaceId: ws.workspace.id, environmentId: env.id, capability: d.capability }).allowed,
    }));
    return {
      canViewRuns,
      environment: { slug: env.slug, name: env.displayName, href: routes.environment(slug, env.slug) },
      active,
      attention: canViewRuns ? environmentAttention(slug, env.slug, { staleCount: active.staleCount, failedSinceCount, fromDay }) : null,
      recent,
      recentHref: routes.hub(slug, { environment: env.slug }),
      inventory: inventorySummary(kinds, health.get(env.id)?.lastSyncAt ?? null),
      compare: compareSummary(slug, compare),
      review: review
        ? {
            href: routes.environmentReview(slug, env.slug, review.id),
            periodLabel: review.periodLabel,
            status: review.status,
            at: (review.readyAt ?? review.createdAt).toISOString(),
          }
        : null,
      reviewsHref: routes.environmentReviews(slug, env.slug),
      startForms: startForms(types, {
        workspaceSlug: slug,
        environmentSlug: env.slug,
        environmentId: env.id,
        profiles,
        canManageBaselines: ws.capabilities.includes(CAPABILITIES.BASELINES_MANAGE),
      }),
    };
  }

  private syncTypes(): string[] {
    const def = this.catalog.resolve(SYNC_TYPE);
    return def ? [def.type, ...def.aliases] : [SYNC_TYPE];
  }
}
