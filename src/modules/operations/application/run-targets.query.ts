import { Inject, Injectable } from '@nestjs/common';
import { Clock, CLOCK } from '../../../shared/core/clock.port';
import { AccessControl, WorkspaceAccess } from '../../rbac/core/access-control';
import { OperationCatalog } from '../core/operation-catalog';
import { RUN_LIST_QUERY, RunListQuery, RunTargetSelection } from '../core/ports/run-list-query.port';
import { resolveRunFilter, RunFilterParams } from './run-filter';

/**
 * The runs of a hub view a bulk action would act on, within the caller's scope: the confirmation
 * page counts them and the bulk run's worker acts on them, through this one read.
 */
@Injectable()
export class FindRunTargets {
  constructor(
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(OperationCatalog) private readonly catalog: OperationCatalog,
    @Inject(RUN_LIST_QUERY) private readonly runList: RunListQuery,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Resolves the view's filters only: the same 404 / 400 answers as the hub, without reading runs. */
  async check(ws: WorkspaceAccess, filter: RunFilterParams): Promise<void> {
    await resolveRunFilter(this.access, this.catalog, ws, filter);
  }

  async ids(
    ws: WorkspaceAccess,
    filter: RunFilterParams,
    select: RunTargetSelection,
    options: { max: number; excludeRunId?: string },
  ): Promise<string[]> {
    const resolved = await resolveRunFilter(this.access, this.catalog, ws, filter);
    return this.runList.targetIds({ ...resolved, now: this.clock.now(), select, ...options });
  }
}
