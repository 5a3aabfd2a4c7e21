import { Inject, Injectable } from '@nestjs/common';
import { AccessContext } from '../../rbac/core/access-context';
import { AccessControl, WorkspaceAccess } from '../../rbac/core/access-control';
import { EnvironmentRef } from '../../rbac/core/ports/tenancy-directory.port';
import { FindRunTargets } from '../../operations/application/run-targets.query';
import { OperationCatalog } from '../../operations/core/operation-catalog';
import { BulkFilter, parseBulkFilter } from '../core/bulk-input';
import { asRunFilter } from './run-filter-of';
import { BULK_ACTIONS, BULK_SELECTION_OF, BULK_TYPE_OF, BulkAction, MAX_BULK_TARGETS } from '../core/bulk-run-types';
import { BulkRunErrors } from '../core/bulk-runs-errors';
import { DispatchWorkspaceRun, WorkspaceRunStarted } from './dispatch-workspace-run';

export interface BulkActionCommand {
  action: unknown;
  filter?: unknown;
}

/** Where a bulk action over a view stands for this caller: what it would touch, or why it may not. */
export interface BulkActionScope {
  ws: WorkspaceAccess;
  action: BulkAction;
  type: string;
  filter: BulkFilter;
  /** The environment the view is filtered to; the bulk run then belongs to it. */
  environment: EnvironmentRef | null;
}

/**
 * "Cancel N active runs" / "Retry N runs" over a hub view, as one bulk run (issue 17). The run
 * belongs to the view's environment when the view names one, else to the workspace — and a
 * workspace-level run is visible only to members who see every environment, so a limited member
 * acts in bulk one environment at a time (403 otherwise). The action's capability is checked
 * here; each run acted on is checked again by the worker, as if the user acted on it alone.
 */
@Injectable()
export class StartBulkAction {
  constructor(
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(OperationCatalog) private readonly catalog: OperationCatalog,
    @Inject(FindRunTargets) private readonly targets: FindRunTargets,
    @Inject(DispatchWorkspaceRun) private readonly dispatch: DispatchWorkspaceRun,
  ) {}

  async execute(caller: AccessContext, workspaceSlug: string, command: BulkActionCommand): Promise<WorkspaceRunStarted> {
    const scope = await this.scope(caller, workspaceSlug, command);
    return this.dispatch.execute(caller, scope.ws, scope.environment, scope.type, { filter: scope.filter });
  }

  /** How many runs the action would touch now (the confirmation page's exact count; capped at MAX_BULK_TARGETS). */
  async count(caller: AccessContext, workspaceSlug: string, command: BulkActionCommand): Promise<{ scope: BulkActionScope; count: number }> {
    const scope = await this.scope(caller, workspaceSlug, command);
    const ids = await this.targets.ids(scope.ws, asRunFilter(scope.filter), BULK_SELECTION_OF[scope.action], { max: MAX_BULK_TARGETS });
    return { scope, count: ids.length };
  }

  /** Every check a start makes, in the order the answers must come: 404, 400, 403. */
  async scope(caller: AccessContext, workspaceSlug: string, command: BulkActionCommand): Promise<BulkActionScope> {
    const ws = await this.access.workspaceOf(caller, workspaceSlug);
    if (!(BULK_ACTIONS as readonly unknown[]).includes(command.action)) throw BulkRunErrors.unknownAction(command.action);
    const action = command.action as BulkAction;
    const filter = parseBulkFilter(command.filter ?? {});
    const environment = filter.environment ? await this.access.environment(ws, filter.environment) : null;
    // The filter's other values (type, days, …) answer exactly as the hub's query would.
    await this.targets.check(ws, asRunFilter(filter));
    const definition = this.catalog.require(BULK_TYPE_OF[action]);
    this.access.require(ws.grants, { workspaceId: ws.workspace.id, environmentId: environment?.id, capability: definition.capability });
    if (!environment && !ws.scope.allEnvironments) throw BulkRunErrors.needsEveryEnvironment();
    return { ws, action, type: definition.type, filter, environment };
  }
}
