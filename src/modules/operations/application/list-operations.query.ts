import { Inject, Injectable } from '@nestjs/common';
import { Clock, CLOCK } from '../../../shared/core/clock.port';
import { AccessContext } from '../../rbac/core/access-context';
import { AccessControl } from '../../rbac/core/access-control';
import { CAPABILITIES } from '../../rbac/core/capabilities';
import { OperationCatalog } from '../core/operation-catalog';
import { RunOutcome, RunStatus } from '../core/operation-run';
import { OperationErrors } from '../core/operations-errors';
import { RUN_LIST_QUERY, RunListQuery } from '../core/ports/run-list-query.port';
import { ProblemClass } from '../core/problem-class';
import { decodeRunCursor, encodeRunCursor } from '../core/run-cursor';
import { RunResource } from '../core/run-resource';
import { RunTab, RunTabCounts } from '../core/run-tabs';
import { RunResourceAssembler } from './run-resource.assembler';
import { dayRange } from './day-range';

export const DEFAULT_PAGE_SIZE = 50;

/** The hub's filters, already shape-checked by the caller's adapter (DTO or form). */
export interface ListOperationsFilter {
  tab?: RunTab;
  environment?: string;
  type?: string;
  status?: RunStatus;
  outcome?: RunOutcome;
  problem_class?: ProblemClass;
  initiator?: string;
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
}

/** One page of the runs a caller may see, newest first, with the tab counts. */
export interface OperationListResult {
  items: RunResource[];
  next_cursor: string | null;
  counts: RunTabCounts;
}

/**
 * The operations hub (API and page alike): the workspace under deny-as-not-found, the
 * operations.view capability, then one scoped list read.
 */
@Injectable()
export class ListOperations {
  constructor(
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(OperationCatalog) private readonly catalog: OperationCatalog,
    @Inject(RUN_LIST_QUERY) private readonly runList: RunListQuery,
    @Inject(RunResourceAssembler) private readonly assembler: RunResourceAssembler,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(caller: AccessContext, workspaceSlug: string, filter: ListOperationsFilter): Promise<OperationListResult> {
    const ws = await this.access.workspaceOf(caller, workspaceSlug);
    this.access.require(ws.grants, { workspaceId: ws.workspace.id, capability: CAPABILITIES.OPERATIONS_VIEW });
    const environment = filter.environment ? await this.access.environment(ws, filter.environment) : null;
    const definition = filter.type ? this.catalog.require(filter.type) : null;
    const cursor = filter.cursor ? decodeRunCursor(filter.cursor) : null;
    if (filter.cursor && !cursor) throw OperationErrors.invalidCursor();
    const { createdFrom, createdBefore } = dayRange(filter.from, filter.to);
    const page = await this.runList.list({
      workspaceId: ws.workspace.id,
      scope: ws.scope,
      tab: filter.tab ?? 'all',
      environmentId: environment?.id,
      types: definition ? [definition.type, ...definition.aliases] : undefined,
      status: filter.status,
      outcome: filter.outcome,
      problemClass: filter.problem_class,
      initiatorUserId: filter.initiator?.toLowerCase(),
      createdFrom,
      createdBefore,
      limit: filter.limit ?? DEFAULT_PAGE_SIZE,
      cursor,
      now: this.clock.now(),
    });
    return {
      items: await this.assembler.many(page.items, { workspaces: [ws.workspace] }),
      next_cursor: page.nextCursor ? encodeRunCursor(page.nextCursor) : null,
      counts: page.counts,
    };
  }
}
