import { Inject, Injectable, Logger } from '@nestjs/common';
import { AUDIT_LOG, AuditLog } from '../../../shared/core/audit-trail/audit-log.port';
import { OPERATION_CANCEL_REQUESTED } from '../../../shared/core/audit-trail/audit-actions';
import { isUuid } from '../../../shared/core/uuid';
import { AccessContext, memberWorkspacesOf } from '../../rbac/core/access-context';
import { AccessControl } from '../../rbac/core/access-control';
import { CAPABILITIES } from '../../rbac/core/capabilities';
import { RbacErrors } from '../../rbac/core/rbac-errors';
import { OperationRunService } from '../core/operation-run.service';
import { OperationErrors } from '../core/operations-errors';
import { ListedRun, RUN_LIST_QUERY, RunListQuery } from '../core/ports/run-list-query.port';
import { OperationRun } from '../core/operation-run';
import { CancelPlan } from '../core/run-cancellation';
import { RunResource } from '../core/run-resource';
import { RunResourceAssembler } from './run-resource.assembler';
import { findVisibleRun, recordAfterTheFact } from './visible-run';

export interface CancelRunResult {
  run: RunResource;
  /** False when a cancel was already requested: nothing new was written (the API answers 200). */
  accepted: boolean;
}

/**
 * An operator's cancel (API, run page and CLI alike): deny-as-not-found outside scope, 403
 * without `operations.cancel`, 409 on a completed run; then OperationRunService.cancel, and the
 * request lands in the audit log with what it did.
 */
@Injectable()
export class CancelRun {
  private readonly logger = new Logger(CancelRun.name);

  constructor(
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(RUN_LIST_QUERY) private readonly runList: RunListQuery,
    @Inject(OperationRunService) private readonly runs: OperationRunService,
    @Inject(RunResourceAssembler) private readonly assembler: RunResourceAssembler,
    @Inject(AUDIT_LOG) private readonly audit: AuditLog,
  ) {}

  async execute(caller: AccessContext, id: string): Promise<CancelRunResult> {
    const { listed, answer } = await this.act(caller, id);
    const scope = { workspaceId: listed.run.workspaceId, environmentId: listed.run.environmentId };
    const includeDiagnostics = this.access.decide(caller.grants, {
      ...scope,
      capability: CAPABILITIES.OPERATIONS_VIEW_DIAGNOSTICS,
    }).allowed;
    const run = await this.assembler.one(
      { run: answer.run, environment: listed.environment },
      { includeDiagnostics, workspaces: memberWorkspacesOf(caller) },
    );
    return { run, accepted: answer.plan !== 'already_requested' };
  }

  /**
   * The cancel itself, with every check of `execute` but no read model: a bulk cancel acts on
   * each of its runs through here, as if its initiator had cancelled that run alone.
   */
  async act(caller: AccessContext, id: string): Promise<{ listed: ListedRun; answer: { run: OperationRun; plan: CancelPlan } }> {
    const listed = await findVisibleRun(this.access, this.runList, caller, id);
    const scope = { workspaceId: listed.run.workspaceId, environmentId: listed.run.environmentId };
    this.access.require(caller.grants, { ...scope, capability: CAPABILITIES.OPERATIONS_CANCEL });
    const answer = await this.apply(listed.run.id, { userId: caller.userId, label: caller.email }, listed.run);
    return { listed, answer };
  }

  /** The CLI's cancel (`run:cancel`): an operator at the console, no scope to check; audited as `cli`. */
  async bySystem(id: string): Promise<CancelRunResult> {
    if (!isUuid(id)) throw RbacErrors.notFound();
    const answer = await this.apply(id.toLowerCase(), { userId: null, label: 'cli' });
    return { run: await this.assembler.one(answer.run, { includeDiagnostics: true }), accepted: answer.plan !== 'already_requested' };
  }

  private async apply(runId: string, actor: { userId: string | null; label: string }, known?: OperationRun) {
    const answer = await this.runs.cancel(runId, actor.userId, known);
    if (!answer) throw RbacErrors.notFound();
    if (answer.plan === 'completed') throw OperationErrors.runAlreadyCompleted(answer.run.outcome);
    if (answer.plan !== 'already_requested') await this.record(actor, answer.run, answer.plan);
    return answer;
  }

  /** Audited after the fact (a refusing audit log does not undo the cancel). */
  private record(
    actor: { userId: string | null; label: string },
    run: { id: string; workspaceId: string; environmentId: string | null; type: string },
    plan: CancelPlan,
  ): Promise<void> {
    return recordAfterTheFact(this.audit, this.logger, {
      actorUserId: actor.userId,
      actorLabel: actor.label,
      workspaceId: run.workspaceId,
      environmentId: run.environmentId,
      action: OPERATION_CANCEL_REQUESTED,
      subjectType: 'operation_run',
      subjectId: run.id,
      // cancel_now: the run was queued and is cancelled; request: its worker stops within a heartbeat.
      metadata: { type: run.type, cancelled_at_once: plan === 'cancel_now' },
    });
  }
}
