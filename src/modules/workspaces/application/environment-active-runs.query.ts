import { Inject, Injectable } from '@nestjs/common';
import { routes } from '../../../shared/core/routes';
import { ListOperations } from '../../operations/application/list-operations.query';
import { RunResource } from '../../operations/core/run-resource';
import { AccessContext } from '../../rbac/core/access-context';
import { AccessControl, WorkspaceAccess } from '../../rbac/core/access-control';
import { CAPABILITIES } from '../../rbac/core/capabilities';
import { EnvironmentRef } from '../../rbac/core/ports/tenancy-directory.port';
import { escalateStale } from './workspace-page-models';

/** Active runs on a dashboard; more are reachable through the hub link with the full count. */
const ACTIVE_LIMIT = 50;

export interface EnvironmentActiveRuns {
  runs: RunResource[];
  count: number;
  staleCount: number;
  href: string;
}

/**
 * The active runs of one environment, likely stale ones first, with the hub count (the dashboard's
 * region and its live fragment). The list's counts are per tab under the environment filter, so
 * the likely stale count comes with it.
 */
@Injectable()
export class GetEnvironmentActiveRuns {
  constructor(
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(ListOperations) private readonly operations: ListOperations,
  ) {}

  async execute(caller: AccessContext, workspaceSlug: string, environmentSlug: string): Promise<EnvironmentActiveRuns> {
    const ws = await this.access.workspaceOf(caller, workspaceSlug);
    const env = await this.access.environment(ws, environmentSlug);
    return this.of(caller, ws, env);
  }

  /** For a caller whose workspace and environment are already resolved. */
  async of(caller: AccessContext, ws: WorkspaceAccess, env: EnvironmentRef): Promise<EnvironmentActiveRuns> {
    const href = routes.hub(ws.workspace.slug, { tab: 'active', environment: env.slug });
    if (!ws.capabilities.includes(CAPABILITIES.OPERATIONS_VIEW)) return { runs: [], count: 0, staleCount: 0, href };
    const page = await this.operations.execute(caller, ws.workspace.slug, { tab: 'active', environment: env.slug, limit: ACTIVE_LIMIT });
    return { runs: escalateStale(page.items), count: page.counts.active, staleCount: page.counts.active_stale_attention, href };
  }
}
