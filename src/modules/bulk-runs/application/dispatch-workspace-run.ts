import { Inject, Injectable, Logger } from '@nestjs/common';
import { AUDIT_LOG, AuditLog } from '../../../shared/core/audit-trail/audit-log.port';
import { OPERATION_START_DUPLICATE, OPERATION_START_REQUESTED } from '../../../shared/core/audit-trail/audit-actions';
import { AccessContext } from '../../rbac/core/access-context';
import { AccessControl, WorkspaceAccess } from '../../rbac/core/access-control';
import { CAPABILITIES } from '../../rbac/core/capabilities';
import { EnvironmentRef } from '../../rbac/core/ports/tenancy-directory.port';
import { RunResourceAssembler } from '../../operations/application/run-resource.assembler';
import { recordAfterTheFact } from '../../operations/application/visible-run';
import { OperationRunService } from '../../operations/core/operation-run.service';
import { RunResource } from '../../operations/core/run-resource';

export interface WorkspaceRunStarted {
  run: RunResource;
  created: boolean;
}

/**
 * Starts a bulk or fan-out run once its use case has checked it: OperationRunService.dispatch
 * (an identical active one is returned, `created: false`), the start in the audit log, and the
 * run as the caller sees it.
 */
@Injectable()
export class DispatchWorkspaceRun {
  private readonly logger = new Logger(DispatchWorkspaceRun.name);

  constructor(
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(OperationRunService) private readonly runs: OperationRunService,
    @Inject(RunResourceAssembler) private readonly assembler: RunResourceAssembler,
    @Inject(AUDIT_LOG) private readonly audit: AuditLog,
  ) {}

  async execute(
    caller: AccessContext,
    ws: WorkspaceAccess,
    environment: EnvironmentRef | null,
    type: string,
    input: Record<string, unknown>,
  ): Promise<WorkspaceRunStarted> {
    const environmentId = environment?.id ?? null;
    const { run, created } = await this.runs.dispatch({
      workspaceId: ws.workspace.id,
      environmentId,
      type,
      input,
      initiatorUserId: caller.userId,
      sees: (id) => this.access.policy.isInScope(ws.grants, ws.workspace.id, id),
    });
    await recordAfterTheFact(this.audit, this.logger, {
      actorUserId: caller.userId,
      actorLabel: caller.email,
      workspaceId: ws.workspace.id,
      environmentId,
      action: created ? OPERATION_START_REQUESTED : OPERATION_START_DUPLICATE,
      subjectType: 'operation_run',
      subjectId: run.id,
      metadata: { type, created },
    });
    const includeDiagnostics = this.access.decide(ws.grants, {
      workspaceId: ws.workspace.id,
      environmentId,
      capability: CAPABILITIES.OPERATIONS_VIEW_DIAGNOSTICS,
    }).allowed;
    const shown = { run, environment: environment ? { id: environment.id, slug: environment.slug, name: environment.displayName } : null };
    return { run: await this.assembler.one(shown, { includeDiagnostics, workspaces: [ws.workspace] }), created };
  }
}
