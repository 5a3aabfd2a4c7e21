import { Inject, Injectable } from '@nestjs/common';
import { AccessContext } from '../../rbac/core/access-context';
import { AccessControl } from '../../rbac/core/access-control';
import { OperationCatalog } from '../../operations/core/operation-catalog';
import { OperationErrors } from '../../operations/core/operations-errors';
import { startsFromEnvironment } from '../../operations/core/operation-type';
import { RunHandlerRegistry } from '../../operations/core/run-handler-registry';
import { parseFanOutInput } from '../core/bulk-input';
import { FAN_OUT_TYPE } from '../core/bulk-run-types';
import { BulkRunErrors } from '../core/bulk-runs-errors';
import { DispatchWorkspaceRun, WorkspaceRunStarted } from './dispatch-workspace-run';

/**
 * "Start for several environments": one fan-out run that starts `type` in each named (or every)
 * environment, deduped per environment (issue 17). A workspace-level run, so only members who
 * see every environment start one (403 otherwise). Checked here: the slugs (unknown and hidden
 * alike 404), the type (an environment's type, 400 otherwise), its input, and both capabilities;
 * the worker starts each run as the initiator would, skipping archived environments.
 */
@Injectable()
export class StartFanOut {
  constructor(
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(OperationCatalog) private readonly catalog: OperationCatalog,
    @Inject(RunHandlerRegistry) private readonly handlers: RunHandlerRegistry,
    @Inject(DispatchWorkspaceRun) private readonly dispatch: DispatchWorkspaceRun,
  ) {}

  async execute(caller: AccessContext, workspaceSlug: string, body: unknown): Promise<WorkspaceRunStarted> {
    const ws = await this.access.workspaceOf(caller, workspaceSlug);
    const input = parseFanOutInput(FAN_OUT_TYPE, body);
    if (input.environments !== 'all') {
      for (const slug of input.environments) await this.access.environment(ws, slug);
    }
    const target = this.catalog.require(input.type);
    if (!startsFromEnvironment(target)) throw OperationErrors.startsFromWorkspace(target.type);
    const targetInput = this.handlers.require(target.type).parseInput(input.input);
    const fanOut = this.catalog.require(FAN_OUT_TYPE);
    for (const capability of [fanOut.capability, target.capability]) {
      this.access.require(ws.grants, { workspaceId: ws.workspace.id, capability });
    }
    if (!ws.scope.allEnvironments) throw BulkRunErrors.needsEveryEnvironment();
    return this.dispatch.execute(caller, ws, null, fanOut.type, { type: target.type, environments: input.environments, input: targetInput });
  }
}
