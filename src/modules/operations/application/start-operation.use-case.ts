import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuditEventInput, AUDIT_LOG, AuditLog } from '../../../shared/core/audit-trail/audit-log.port';
import {
  OPERATION_START_DENIED,
  OPERATION_START_DUPLICATE,
  OPERATION_START_REQUESTED,
} from '../../../shared/core/audit-trail/audit-actions';
import { isDomainError } from '../../../shared/core/domain-error';
import { AccessContext } from '../../rbac/core/access-context';
import { AccessControl, WorkspaceAccess } from '../../rbac/core/access-control';
import { DenialReason } from '../../rbac/core/authorization-policy';
import { CAPABILITIES } from '../../rbac/core/capabilities';
import { RbacErrors } from '../../rbac/core/rbac-errors';
import { OperationCatalog } from '../core/operation-catalog';
import { OperationRunService } from '../core/operation-run.service';
import { DISPATCH_FAILED_CODE, OperationErrors } from '../core/operations-errors';
import { startsFromEnvironment } from '../core/operation-type';
import { RunResource } from '../core/run-resource';
import { RunResourceAssembler } from './run-resource.assembler';
import { recordAfterTheFact } from './visible-run';

export interface StartOperationCommand {
  workspaceSlug: string;
  environmentSlug: string;
  type: string;
  input?: Record<string, unknown>;
}

export interface StartOperationResult {
  run: RunResource;
  created: boolean;
}

/**
 * Starting a run (API, start forms, alike): scope under deny-as-not-found, the type's capability,
 * then OperationRunService.dispatch (dedupe, insert, enqueue); every attempt lands in the audit log.
 */
@Injectable()
export class StartOperation {
  private readonly logger = new Logger(StartOperation.name);

  constructor(
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(OperationCatalog) private readonly catalog: OperationCatalog,
    @Inject(OperationRunService) private readonly runs: OperationRunService,
    @Inject(RunResourceAssembler) private readonly assembler: RunResourceAssembler,
    @Inject(AUDIT_LOG) private readonly audit: AuditLog,
  ) {}

  async execute(caller: AccessContext, command: StartOperationCommand): Promise<StartOperationResult> {
    // Not a member: a plain 404, and nothing recorded in an audit log the user cannot see.
    const ws = await this.access.workspaceOf(caller, command.workspaceSlug);
    const environment = await this.access.environment(ws, command.environmentSlug).catch(async (error: unknown) => {
      // Unknown and hidden environments are recorded identically (no environment id), so the
      // audit log cannot tell a limited reader that a hidden environment exists.
      await this.recordDenial(caller, ws, null, command.type, 'not_found', { environment: command.environmentSlug });
      throw error;
    });
    const definition = this.catalog.require(command.type); // in scope: an unknown type is a plain 400
    if (!startsFromEnvironment(definition)) throw OperationErrors.startsFromWorkspace(definition.type);
    const decision = this.access.decide(ws.grants, {
      workspaceId: ws.workspace.id,
      environmentId: environment.id,
      capability: definition.capability,
    });
    if (!decision.allowed) {
      await this.recordDenial(caller, ws, environment.id, definition.type, decision.reason);
      throw decision.reason === 'not_found' ? RbacErrors.notFound() : RbacErrors.forbidden(definition.capability);
    }
    // Archived: its history stays readable, it takes no new runs (the listing read `archived`).
    if (environment.archived) {
      await this.recordDenial(caller, ws, environment.id, definition.type, 'archived');
      throw OperationErrors.environmentArchived(environment.slug);
    }
    const base = {
      actorUserId: caller.userId,
      actorLabel: caller.email,
      workspaceId: ws.workspace.id,
      environmentId: environment.id,
      subjectType: 'operation_run',
    };
    try {
      const { run, created } = await this.runs.dispatch({
        workspaceId: ws.workspace.id,
        environmentId: environment.id,
        type: definition.type,
        input: command.input,
        initiatorUserId: caller.userId,
        sees: (environmentId) => this.access.policy.isInScope(ws.grants, ws.workspace.id, environmentId),
      });
      await this.record({
        ...base,
        action: created ? OPERATION_START_REQUESTED : OPERATION_START_DUPLICATE,
        subjectId: run.id,
        metadata: { type: definition.type, created },
      });
      const includeDiagnostics = this.access.decide(ws.grants, {
        workspaceId: ws.workspace.id,
        environmentId: environment.id,
        capability: CAPABILITIES.OPERATIONS_VIEW_DIAGNOSTICS,
      }).allowed;
      const shown = { run, environment: { id: environment.id, slug: environment.slug, name: environment.displayName } };
      return { run: await this.assembler.one(shown, { includeDiagnostics, workspaces: [ws.workspace] }), created };
    } catch (error) {
      if (isDomainError(error) && error.code === DISPATCH_FAILED_CODE) {
        const runId = typeof error.details.run_id === 'string' ? error.details.run_id : null;
        await this.record({
          ...base,
          action: OPERATION_START_REQUESTED,
          subjectId: runId,
          metadata: { type: definition.type, created: true, dispatch_failed: true },
        });
      }
      throw error;
    }
  }

  private recordDenial(
    caller: AccessContext,
    ws: WorkspaceAccess,
    environmentId: string | null,
    type: string,
    reason: DenialReason | 'archived',
    extra: Record<string, unknown> = {},
  ): Promise<void> {
    return this.record({
      actorUserId: caller.userId,
      actorLabel: caller.email,
      workspaceId: ws.workspace.id,
      environmentId,
      action: OPERATION_START_DENIED,
      metadata: { type, reason, ...extra },
    });
  }

  /** The audit trail must not turn a run that was (or was not) started into a 500. */
  private record(event: AuditEventInput): Promise<void> {
    return recordAfterTheFact(this.audit, this.logger, event);
  }
}
