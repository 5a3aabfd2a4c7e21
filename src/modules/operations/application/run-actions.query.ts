import { Inject, Injectable } from '@nestjs/common';
import { AccessContext } from '../../rbac/core/access-context';
import { AccessControl } from '../../rbac/core/access-control';
import { CAPABILITIES } from '../../rbac/core/capabilities';
import { OperationCatalog } from '../core/operation-catalog';
import { RunOutcome, RunStatus } from '../core/operation-run';
import { isRetryable } from '../core/run-retry';
import { RunResource } from '../core/run-resource';

/** What the reader may do to a run they can see, for the buttons a page offers. */
export interface RunActions {
  /** Active, no cancel on record yet, and the reader holds operations.cancel there. */
  cancel: boolean;
  /** Failed, blocked, cancelled or partially succeeded, and the reader may start its type there. */
  retry: boolean;
}

/**
 * The actions a page offers on a run it shows. The use cases check again when the action is
 * taken; this only keeps pages from offering what would be refused.
 */
@Injectable()
export class GetRunActions {
  constructor(
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(OperationCatalog) private readonly catalog: OperationCatalog,
  ) {}

  execute(caller: AccessContext, run: RunResource): RunActions {
    if (!run.workspace) return { cancel: false, retry: false };
    const scope = { workspaceId: run.workspace.id, environmentId: run.environment?.id ?? null };
    const may = (capability: string) => this.access.decide(caller.grants, { ...scope, capability }).allowed;
    const active = run.status === 'queued' || run.status === 'running';
    const type = this.catalog.resolve(run.type);
    const retryable = isRetryable({ status: run.status as RunStatus, outcome: run.outcome as RunOutcome });
    return {
      cancel: active && !run.cancellation && may(CAPABILITIES.OPERATIONS_CANCEL),
      retry: retryable && !!type && may(type.capability),
    };
  }
}
