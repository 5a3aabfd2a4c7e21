import { Inject, Injectable, Logger } from '@nestjs/common';
import { AUDIT_LOG, AuditLog } from '../../../shared/core/audit-trail/audit-log.port';
import { OPERATION_START_DUPLICATE, OPERATION_START_REQUESTED } from '../../../shared/core/audit-trail/audit-actions';
import { isUuid } from '../../../shared/core/uuid';
import { AccessContext, memberWorkspacesOf } from '../../rbac/core/access-context';
import { AccessControl } from '../../rbac/core/access-control';
import { CAPABILITIES } from '../../rbac/core/capabilities';
import { RbacErrors } from '../../rbac/core/rbac-errors';
import { ENVIRONMENT_LISTING, EnvironmentListing } from '../../rbac/core/ports/environment-listing.port';
import { OperationCatalog } from '../core/operation-catalog';
import { OperationRunService } from '../core/operation-run.service';
import { OperationErrors } from '../core/operations-errors';
import { ListedRun, RUN_LIST_QUERY, RunListQuery } from '../core/ports/run-list-query.port';
import { OperationRun } from '../core/operation-run';
import { isRetryable } from '../core/run-retry';
import { RunResource } from '../core/run-resource';
import { RunResourceAssembler } from './run-resource.assembler';
import { findVisibleRun, recordAfterTheFact } from './visible-run';

export interface RetryRunResult {
  run: RunResource;
  created: boolean;
}

/**
 * Runs a failed, blocked, cancelled or partially succeeded run again (API and run page alike),
 * under the type's start capability: deny-as-not-found outside scope, 403 without the capability,
 * 409 for a run that is active or succeeded. Dedupe as for any start; audited as a start with
 * `retry_of`.
 */
@Injectable()
export class RetryRun {
  private readonly logger = new Logger(RetryRun.name);

  constructor(
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(RUN_LIST_QUERY) private readonly runList: RunListQuery,
    @Inject(OperationCatalog) private readonly catalog: OperationCatalog,
    @Inject(OperationRunService) private readonly runs: OperationRunService,
    @Inject(RunResourceAssembler) private readonly assembler: RunResourceAssembler,
    @Inject(AUDIT_LOG) private readonly audit: AuditLog,
    @Inject(ENVIRONMENT_LISTING) private readonly environments: EnvironmentListing,
  ) {}

  async execute(caller: AccessContext, id: string): Promise<RetryRunResult> {
    const { listed, run, created } = await this.act(caller, id);
    const scope = { workspaceId: listed.run.workspaceId, environmentId: listed.run.environmentId };
    const includeDiagnostics = this.access.decide(caller.grants, {
      ...scope,
      capability: CAPABILITIES.OPERATIONS_VIEW_DIAGNOSTICS,
    }).allowed;
    const shown = { run, environment: listed.environment };
    return { run: await this.assembler.one(shown, { includeDiagnostics, workspaces: memberWorkspacesOf(caller) }), created };
  }

  /**
   * The retry itself, with every check of `execute` but no read model: a bulk retry acts on each
   * of its runs through here, as if its initiator had retried that run alone.
   */
  async act(caller: AccessContext, id: string): Promise<{ listed: ListedRun; run: OperationRun; created: boolean }> {
    const listed = await findVisibleRun(this.access, this.runList, caller, id);
    const previous = listed.run;
    const scope = { workspaceId: previous.workspaceId, environmentId: previous.environmentId };
    const definition = this.catalog.require(previous.type);
    this.access.require(caller.grants, { ...scope, capability: definition.capability });
    if (!isRetryable(previous)) throw OperationErrors.runNotRetryable(previous.status, previous.outcome);
    await this.refuseArchived(previous);
    const { run, created } = await this.runs.retry(previous, {
      initiatorUserId: caller.userId,
      sees: (environmentId) => this.access.policy.isInScope(caller.grants, previous.workspaceId, environmentId),
    });
    await this.record({ userId: caller.userId, label: caller.email }, { ...scope, runId: run.id, type: definition.type, created, retryOf: previous.id });
    return { listed, run, created };
  }

  /** The CLI's retry (`run:retry`): a system start (no initiator, nobody notified); audited as `cli`. */
  async bySystem(id: string): Promise<RetryRunResult> {
    const previous = isUuid(id) ? await this.runs.findById(id.toLowerCase()) : null;
    if (!previous) throw RbacErrors.notFound();
    if (!isRetryable(previous)) throw OperationErrors.runNotRetryable(previous.status, previous.outcome);
    await this.refuseArchived(previous);
    const { run, created } = await this.runs.retry(previous, { initiatorUserId: null });
    const type = this.catalog.require(previous.type).type;
    await this.record(
      { userId: null, label: 'cli' },
      { workspaceId: previous.workspaceId, environmentId: previous.environmentId, runId: run.id, type, created, retryOf: previous.id },
    );
    return { run: await this.assembler.one(run, { includeDiagnostics: true }), created };
  }

  /** A retry is a new run: an archived environment takes none (409, as for any start). */
  private async refuseArchived(previous: OperationRun): Promise<void> {
    if (!previous.environmentId) return;
    const every = { allEnvironments: true, environmentIds: [] };
    const environment = (await this.environments.listEnvironments(previous.workspaceId, every)).find((e) => e.id === previous.environmentId);
    if (environment?.archived) throw OperationErrors.environmentArchived(environment.slug);
  }

  /** Audited after the fact, as a start with `retry_of` (a refusing audit log does not undo it). */
  private record(
    actor: { userId: string | null; label: string },
    e: { workspaceId: string; environmentId: string | null; runId: string; type: string; created: boolean; retryOf: string },
  ): Promise<void> {
    return recordAfterTheFact(this.audit, this.logger, {
      actorUserId: actor.userId,
      actorLabel: actor.label,
      workspaceId: e.workspaceId,
      environmentId: e.environmentId,
      action: e.created ? OPERATION_START_REQUESTED : OPERATION_START_DUPLICATE,
      subjectType: 'operation_run',
      subjectId: e.runId,
      metadata: { type: e.type, created: e.created, retry_of: e.retryOf },
    });
  }
}
