import { Inject, Injectable, Logger } from '@nestjs/common';
import { Principal } from '../../../../shared/adapters/auth/principal';
import { Clock, CLOCK } from '../../../../shared/core/clock.port';
import { DomainError, isDomainError } from '../../../../shared/core/domain-error';
import {
  OPERATION_START_DENIED,
  OPERATION_START_DUPLICATE,
  OPERATION_START_REQUESTED,
} from '../../../../shared/core/audit-trail/audit-actions';
import { AUDIT_LOG, AuditEventInput, AuditLog } from '../../../../shared/core/audit-trail/audit-log.port';
import { AccessControl, forbiddenError, notFoundError, WorkspaceAccess } from '../../../rbac/core/access-control';
import { DenialReason } from '../../../rbac/core/authorization-policy';
import { CAPABILITIES } from '../../../rbac/core/capabilities';
import { OperationCatalog } from '../../core/operation-catalog';
import { OperationRunService } from '../../core/operation-run.service';
import { RUN_LIST_QUERY, RunListQuery } from '../../core/ports/run-list-query.port';
import { decodeRunCursor, encodeRunCursor } from '../../core/run-cursor';
import { RunResource } from '../../core/run-resource';
import { RunTabCounts } from '../../core/run-tabs';
import { RunResourceAssembler } from '../run-resource.assembler';
import { DEFAULT_PAGE_SIZE, ListOperationsRequest } from './list-operations.request';
import { StartOperationRequest } from './start-operation.request';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface StartOperationResult {
  run: RunResource;
  created: boolean;
}

export interface OperationListResult {
  items: RunResource[];
  next_cursor: string | null;
  counts: RunTabCounts;
}

/**
 * The JSON API's use cases over runs: resolve scope under deny-as-not-found, authorize by
 * capability, then read through the list query or write through OperationRunService only.
 */
@Injectable()
export class OperationsApiService {
  private readonly logger = new Logger(OperationsApiService.name);

  constructor(
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(OperationCatalog) private readonly catalog: OperationCatalog,
    @Inject(OperationRunService) private readonly runs: OperationRunService,
    @Inject(RUN_LIST_QUERY) private readonly runList: RunListQuery,
    @Inject(RunResourceAssembler) private readonly assembler: RunResourceAssembler,
    @Inject(AUDIT_LOG) private readonly audit: AuditLog,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async start(
    principal: Principal,
    workspaceSlug: string,
    environmentSlug: string,
    body: StartOperationRequest,
  ): Promise<StartOperationResult> {
    // Not a member: a plain 404, and nothing recorded in an audit log the user cannot see.
    const ws = await this.access.workspace(principal.userId, workspaceSlug);
    const environment = await this.access.environment(ws, environmentSlug).catch(async (error: unknown) => {
      // Unknown and hidden environments are recorded identically (no environment id), so the
      // audit log cannot tell a limited reader that a hidden environment exists.
      await this.recordDenial(principal, ws, null, body.type, 'not_found', { environment: environmentSlug });
      throw error;
    });
    const definition = this.catalog.require(body.type); // in scope: an unknown type is a plain 400
    const decision = this.access.decide(ws.grants, {
      workspaceId: ws.workspace.id,
      environmentId: environment.id,
      capability: definition.capability,
    });
    if (!decision.allowed) {
      await this.recordDenial(principal, ws, environment.id, definition.type, decision.reason);
      throw decision.reason === 'not_found' ? notFoundError() : forbiddenError(definition.capability);
    }
    const base = {
      actorUserId: principal.userId,
      actorLabel: principal.email,
      workspaceId: ws.workspace.id,
      environmentId: environment.id,
      subjectType: 'operation_run',
    };
    try {
      const { run, created } = await this.runs.dispatch({
        workspaceId: ws.workspace.id,
        environmentId: environment.id,
        type: definition.type,
        input: body.input,
        initiatorUserId: principal.userId,
        sees: (environmentId) => this.access.policy.isInScope(ws.grants, ws.workspace.id, environmentId),
      });
      await this.record({
        ...base,
        action: created ? OPERATION_START_REQUESTED : OPERATION_START_DUPLICATE,
        subjectId: run.id,
        metadata: { type: definition.type, created },
      });
      const resource = await this.assembler.one(run, { includeDiagnostics: this.canSeeDiagnostics(ws, environment.id) });
      return { run: resource, created };
    } catch (error) {
      if (isDomainError(error) && error.code === 'dispatch_failed') {
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

  async list(principal: Principal, workspaceSlug: string, query: ListOperationsRequest): Promise<OperationListResult> {
    const ws = await this.access.workspace(principal.userId, workspaceSlug);
    this.access.require(ws.grants, { workspaceId: ws.workspace.id, capability: CAPABILITIES.OPERATIONS_VIEW });
    const environment = query.environment ? await this.access.environment(ws, query.environment) : null;
    const definition = query.type ? this.catalog.require(query.type) : null;
    const cursor = query.cursor ? decodeRunCursor(query.cursor) : null;
    if (query.cursor && !cursor) {
      throw new DomainError('invalid_cursor', 'cursor is not valid: pass the next_cursor of a previous page unchanged.');
    }
    const { createdFrom, createdBefore } = dayRange(query.from, query.to);
    const page = await this.runList.list({
      workspaceId: ws.workspace.id,
      scope: ws.scope,
      tab: query.tab ?? 'all',
      environmentId: environment?.id,
      types: definition ? [definition.type, ...definition.aliases] : undefined,
      status: query.status,
      outcome: query.outcome,
      problemClass: query.problem_class,
      initiatorUserId: query.initiator?.toLowerCase(),
      createdFrom,
      createdBefore,
      limit: query.limit ?? DEFAULT_PAGE_SIZE,
      cursor,
      now: this.clock.now(),
    });
    return {
      items: await this.assembler.many(page.items),
      next_cursor: page.nextCursor ? encodeRunCursor(page.nextCursor) : null,
      counts: page.counts,
    };
  }

  /** Unknown, malformed and out-of-scope ids all answer the same 404. */
  async get(principal: Principal, id: string): Promise<RunResource> {
    if (!UUID.test(id)) throw notFoundError();
    const run = await this.runs.findById(id.toLowerCase());
    if (!run) throw notFoundError();
    const grants = await this.access.grantsOf(principal.userId);
    const scope = { workspaceId: run.workspaceId, environmentId: run.environmentId };
    this.access.require(grants, { ...scope, capability: CAPABILITIES.OPERATIONS_VIEW });
    const includeDiagnostics = this.access.decide(grants, {
      ...scope,
      capability: CAPABILITIES.OPERATIONS_VIEW_DIAGNOSTICS,
    }).allowed;
    return this.assembler.one(run, { includeDiagnostics });
  }

  private canSeeDiagnostics(ws: WorkspaceAccess, environmentId: string): boolean {
    return this.access.decide(ws.grants, {
      workspaceId: ws.workspace.id,
      environmentId,
      capability: CAPABILITIES.OPERATIONS_VIEW_DIAGNOSTICS,
    }).allowed;
  }

  private recordDenial(
    principal: Principal,
    ws: WorkspaceAccess,
    environmentId: string | null,
    type: string,
    reason: DenialReason,
    extra: Record<string, unknown> = {},
  ): Promise<void> {
    return this.record({
      actorUserId: principal.userId,
      actorLabel: principal.email,
      workspaceId: ws.workspace.id,
      environmentId,
      action: OPERATION_START_DENIED,
      metadata: { type, reason, ...extra },
    });
  }

  /** The audit trail must not turn a run that was (or was not) started into a 500. */
  private async record(event: AuditEventInput): Promise<void> {
    try {
      await this.audit.record(event);
    } catch (error) {
      this.logger.error(`Could not record audit event ${event.action}: ${(error as Error)?.message ?? error}`);
    }
  }
}

const DAY_MS = 86_400_000;

/** Whole UTC days, `to` inclusive; a reversed or impossible range is the caller's mistake (400). */
export function dayRange(from?: string, to?: string): { createdFrom?: Date; createdBefore?: Date } {
  const start = from ? dayStart(from, 'from') : undefined;
  const end = to ? new Date(dayStart(to, 'to').getTime() + DAY_MS) : undefined;
  if (start && end && start >= end) throw new DomainError('invalid_date_range', 'from must be on or before to.');
  return { createdFrom: start, createdBefore: end };
}

function dayStart(day: string, name: string): Date {
  const date = new Date(`${day}T00:00:00.000Z`);
  if (!Number.isFinite(date.getTime()) || date.toISOString().slice(0, 10) !== day) {
    throw new DomainError('invalid_date', `${name} is not a real calendar day.`);
  }
  return date;
}
