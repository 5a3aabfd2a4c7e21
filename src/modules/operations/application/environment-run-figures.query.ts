import { Inject, Injectable } from '@nestjs/common';
import { Clock, CLOCK } from '../../../shared/core/clock.port';
import { AccessContext } from '../../rbac/core/access-context';
import { AccessControl } from '../../rbac/core/access-control';
import { CAPABILITIES } from '../../rbac/core/capabilities';
import { EnvironmentRunFigures, RUN_LIST_QUERY, RunListQuery } from '../core/ports/run-list-query.port';
import { dayRange } from './day-range';

const NONE: EnvironmentRunFigures = Object.freeze({ active: 0, activeStale: 0, failedSince: 0 });

/**
 * Per environment of a workspace: active, likely stale and failed-since-a-day counts, each equal to
 * the hub count of the view its link opens (same scope, same rules), read in one grouped
 * statement. Environments outside the caller's scope are dropped before the read.
 */
@Injectable()
export class GetEnvironmentRunFigures {
  constructor(
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(RUN_LIST_QUERY) private readonly runList: RunListQuery,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(
    caller: AccessContext,
    workspaceSlug: string,
    query: { environmentIds: readonly string[]; failedFromDay: string },
  ): Promise<Map<string, EnvironmentRunFigures>> {
    const ws = await this.access.workspaceOf(caller, workspaceSlug);
    this.access.require(ws.grants, { workspaceId: ws.workspace.id, capability: CAPABILITIES.OPERATIONS_VIEW });
    const visible = ws.scope.allEnvironments
      ? [...query.environmentIds]
      : query.environmentIds.filter((id) => ws.scope.environmentIds.includes(id));
    const { createdFrom } = dayRange(query.failedFromDay);
    const found = await this.runList.figuresByEnvironment({
      workspaceId: ws.workspace.id,
      environmentIds: visible,
      failedFrom: createdFrom!,
      now: this.clock.now(),
    });
    return new Map(visible.map((id) => [id, found.get(id) ?? NONE]));
  }
}
