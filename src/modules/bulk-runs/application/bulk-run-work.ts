import { Inject, Injectable } from '@nestjs/common';
import { Clock, CLOCK } from '../../../shared/core/clock.port';
import { isDomainError } from '../../../shared/core/domain-error';
import { AccessOfUser } from '../../rbac/application/access-of-user.query';
import { AccessContext } from '../../rbac/core/access-context';
import { AccessControl, WorkspaceAccess } from '../../rbac/core/access-control';
import { ENVIRONMENT_LISTING, EnvironmentListing } from '../../rbac/core/ports/environment-listing.port';
import { TENANCY_DIRECTORY, TenancyDirectory } from '../../rbac/core/ports/tenancy-directory.port';
import { CancelRun } from '../../operations/application/cancel-run.use-case';
import { RetryRun } from '../../operations/application/retry-run.use-case';
import { FindRunTargets } from '../../operations/application/run-targets.query';
import { StartOperation } from '../../operations/application/start-operation.use-case';
import { HandlerResult, RunExecution } from '../../operations/core/ports/run-handler.port';
import { BulkInput, FanOutInput } from '../core/bulk-input';
import { BULK_SELECTION_OF, BulkAction, MAX_BULK_TARGETS } from '../core/bulk-run-types';
import { BulkRunErrors } from '../core/bulk-runs-errors';
import { ChildRecord, ChildResult } from '../core/child-results';
import { RUN_CHILDREN, RunChildren } from '../core/ports/run-children.port';
import { actOnEach } from './act-on-each';
import { asRunFilter } from './run-filter-of';

/** Rule codes that mean "this run is not yours to act on now" rather than a refusal with a reason. */
const REFUSAL_BY_CODE: Record<string, ChildResult> = {
  not_found: 'not_found',
  forbidden: 'forbidden',
  run_completed: 'already_finished',
  run_not_retryable: 'not_retryable',
};

/**
 * What a bulk or fan-out run does in the worker: act for its initiator, with their grants as they
 * are now, through the very use cases a user acting on one run calls (CancelRun, RetryRun,
 * StartOperation) — so scope, capabilities, dedupe, audit and notifications are the same, run by
 * run. Runs outside the initiator's scope are never listed, so never touched nor counted.
 */
@Injectable()
export class BulkRunWork {
  constructor(
    @Inject(AccessOfUser) private readonly accessOf: AccessOfUser,
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(TENANCY_DIRECTORY) private readonly tenancy: TenancyDirectory,
    @Inject(ENVIRONMENT_LISTING) private readonly environments: EnvironmentListing,
    @Inject(FindRunTargets) private readonly targets: FindRunTargets,
    @Inject(CancelRun) private readonly cancelRun: CancelRun,
    @Inject(RetryRun) private readonly retryRun: RetryRun,
    @Inject(StartOperation) private readonly startOperation: StartOperation,
    @Inject(RUN_CHILDREN) private readonly children: RunChildren,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async bulk(action: BulkAction, execution: RunExecution): Promise<HandlerResult> {
    const { caller, ws } = await this.actingFor(execution);
    const { filter } = execution.inputs as unknown as BulkInput;
    const ids = await this.targets.ids(ws, asRunFilter(filter), BULK_SELECTION_OF[action], {
      max: MAX_BULK_TARGETS,
      excludeRunId: execution.run.id,
    });
    return this.each(execution, ids, (id) => id, (id) => (action === 'cancel' ? this.cancelOne(caller, id) : this.retryOne(caller, id)));
  }

  async fanOut(execution: RunExecution): Promise<HandlerResult> {
    const { caller, ws } = await this.actingFor(execution);
    const input = execution.inputs as unknown as FanOutInput;
    const visible = await this.environments.listEnvironments(ws.workspace.id, ws.scope);
    // "all" means every environment in use: archived ones are not candidates. A named archived
    // environment is recorded as skipped; named slugs the initiator no longer sees are not listed.
    const chosen = input.environments === 'all' ? visible.filter((e) => !e.archived) : visible.filter((e) => input.environments.includes(e.slug));
    return this.each(
      execution,
      chosen,
      (e) => e.id,
      async (e): Promise<ChildRecord> => {
        if (e.archived) return { runId: null, environmentId: e.id, result: 'archived' };
        try {
          const { run, created } = await this.startOperation.execute(caller, {
            workspaceSlug: ws.workspace.slug,
            environmentSlug: e.slug,
            type: input.type,
            input: input.input,
          });
          return { runId: run.id, environmentId: e.id, result: created ? 'started' : 'already_active' };
        } catch (error) {
          return { runId: null, environmentId: e.id, ...refusal(error) };
        }
      },
    );
  }

  private each<T>(execution: RunExecution, targets: T[], keyOf: (t: T) => string, act: (t: T) => Promise<ChildRecord>) {
    return actOnEach({
      runId: execution.run.id,
      targets,
      keyOf,
      act,
      children: this.children,
      progress: execution.progress,
      signal: execution.signal,
      clock: this.clock,
    });
  }

  private async cancelOne(caller: AccessContext, id: string): Promise<ChildRecord> {
    try {
      const { listed, answer } = await this.cancelRun.act(caller, id);
      const result: ChildResult =
        answer.plan === 'cancel_now' ? 'cancelled' : answer.plan === 'request' ? 'cancel_requested' : 'already_cancelling';
      return { runId: id, environmentId: listed.run.environmentId, result };
    } catch (error) {
      return { runId: id, environmentId: null, ...refusal(error) };
    }
  }

  private async retryOne(caller: AccessContext, id: string): Promise<ChildRecord> {
    try {
      const { listed, run, created } = await this.retryRun.act(caller, id);
      // The child is the run this bulk run started (or found active): its "Retry of" names the old one.
      return { runId: created ? run.id : id, environmentId: listed.run.environmentId, result: created ? 'retried' : 'already_active' };
    } catch (error) {
      return { runId: id, environmentId: null, ...refusal(error) };
    }
  }

  /** The initiator's access now, and the bulk run's workspace through it (404 if they left it). */
  private async actingFor(execution: RunExecution): Promise<{ caller: AccessContext; ws: WorkspaceAccess }> {
    const userId = execution.run.initiatorUserId;
    const caller = userId ? await this.accessOf.execute(userId) : null;
    if (!caller) throw BulkRunErrors.initiatorRequired();
    const [workspace] = await this.tenancy.findWorkspacesByIds([execution.run.workspaceId]);
    if (!workspace) throw BulkRunErrors.initiatorRequired();
    return { caller, ws: await this.access.workspaceOf(caller, workspace.slug) };
  }
}

/** A refused action as a child record: known refusals by code, anything else with the rule's message. */
function refusal(error: unknown): Pick<ChildRecord, 'result' | 'message'> {
  if (!isDomainError(error)) throw error;
  const known = REFUSAL_BY_CODE[error.code];
  return known ? { result: known, message: null } : { result: 'refused', message: error.message };
}
