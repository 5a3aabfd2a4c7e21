import { startsFromEnvironment } from '../../operations/core/operation-type';
import { Inject, Injectable } from '@nestjs/common';
import { Clock, CLOCK } from '../../../shared/core/clock.port';
import { routes } from '../../../shared/core/routes';
import { INVENTORY_ITEM_REPOSITORY, InventoryItemRepository } from '../../baselines/core/ports/inventory-item.repository.port';
import { ListOperations } from '../../operations/application/list-operations.query';
import { OperationCatalog } from '../../operations/core/operation-catalog';
import { RunResource } from '../../operations/core/run-resource';
import { StartFormRegistry } from '../../operations/core/start-form';
import { AccessContext } from '../../rbac/core/access-context';
import { AccessControl, WorkspaceAccess } from '../../rbac/core/access-control';
import { CAPABILITIES } from '../../rbac/core/capabilities';
import { EnvironmentRef } from '../../rbac/core/ports/tenancy-directory.port';
import { WORKSPACE_FACTS, WorkspaceFacts } from '../core/ports/workspace-facts.port';
import { GetEnvironmentActiveRuns } from './environment-active-runs.query';
import { inventorySyncTypes } from './inventory-sync-types';
import { compareSummary, environmentAttention, inventorySummary, sevenDaysAgoDay, startForms } from './workspace-page-models';

const RECENT_LIMIT = 10;

/**
 * An environment's dashboard: active runs (likely stale first), what needs attention, recent runs,
 * inventory, the latest compare and review, and a start form per operation type (disabled with
 * the reason when the caller's role cannot start it).
 */
@Injectable()
export class GetEnvironmentDashboard {
  constructor(
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(ListOperations) private readonly operations: ListOperations,
    @Inject(GetEnvironmentActiveRuns) private readonly activeRuns: GetEnvironmentActiveRuns,
    @Inject(OperationCatalog) private readonly catalog: OperationCatalog,
    @Inject(StartFormRegistry) private readonly forms: StartFormRegistry,
    @Inject(WORKSPACE_FACTS) private readonly facts: WorkspaceFacts,
    @Inject(INVENTORY_ITEM_REPOSITORY) private readonly inventory: InventoryItemRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(caller: AccessContext, workspaceSlug: string, environmentSlug: string) {
    const ws = await this.access.workspaceOf(caller, workspaceSlug);
    const env = await this.access.environment(ws, environmentSlug);
    return { ws, env, model: await this.model(caller, ws, env) };
  }

  /** Runs of the environment that failed since `fromDay`: the hub's count for the link it gets. */
  private async failedSince(caller: AccessContext, ws: WorkspaceAccess, env: EnvironmentRef, fromDay: string): Promise<number> {
    const page = await this.operations.execute(caller, ws.workspace.slug, { tab: 'all', outcome: 'failed', environment: env.slug, from: fromDay, limit: 1 });
    return page.counts.all;
  }

  private async model(caller: AccessContext, ws: WorkspaceAccess, env: EnvironmentRef) {
    const slug = ws.workspace.slug;
    const canViewRuns = ws.capabilities.includes(CAPABILITIES.OPERATIONS_VIEW);
    const fromDay = sevenDaysAgoDay(this.clock.now());
    const [active, recent, failedSinceCount, kinds, health, compare, review, profiles] = await Promise.all([
      this.activeRuns.of(caller, ws, env),
      canViewRuns
        ? this.operations.execute(caller, slug, { tab: 'all', environment: env.slug, limit: RECENT_LIMIT }).then((p) => p.items)
        : Promise.resolve([] as RunResource[]),
      canViewRuns ? this.failedSince(caller, ws, env, fromDay) : Promise.resolve(0),
      this.inventory.summaryByEnvironment(env.id),
      this.facts.environmentHealth(ws.workspace.id, [env.id], ws.scope, inventorySyncTypes(this.catalog)),
      this.facts.latestCompare(ws.workspace.id, env.id, ws.scope),
      this.facts.latestReview(env.id),
      this.facts.profiles(ws.workspace.id, ws.scope),
    ]);
    const types = this.catalog.definitions().filter(startsFromEnvironment).map((d) => ({
      type: d.type,
      label: d.label,
      form: this.forms.of(d.type),
      allowed: this.access.decide(ws.grants, { workspaceId: ws.workspace.id, environmentId: env.id, capability: d.capability }).allowed,
    }));
    return {
      canViewRuns,
      environment: { slug: env.slug, name: env.displayName, href: routes.environment(slug, env.slug), archived: env.archived === true },
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
        archived: env.archived === true,
      }),
    };
  }
}
