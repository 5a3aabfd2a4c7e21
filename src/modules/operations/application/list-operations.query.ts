import { Inject, Injectable } from '@nestjs/common';
import { Clock, CLOCK } from '../../../shared/core/clock.port';
import { AccessContext } from '../../rbac/core/access-context';
import { AccessControl } from '../../rbac/core/access-control';
import { CAPABILITIES } from '../../rbac/core/capabilities';
import { OperationCatalog } from '../core/operation-catalog';
import { OperationErrors } from '../core/operations-errors';
import { RUN_LIST_QUERY, RunListQuery } from '../core/ports/run-list-query.port';
import { decodeRunCursor, encodeRunCursor } from '../core/run-cursor';
import { RunResource } from '../core/run-resource';
import { RunTabCounts } from '../core/run-tabs';
import { RunResourceAssembler } from './run-resource.assembler';
import { resolveRunFilter, RunFilterParams } from './run-filter';

export const DEFAULT_PAGE_SIZE = 50;

/** The hub's filters, already shape-checked by the caller's adapter (DTO or form), and its page. */
export interface ListOperationsFilter extends RunFilterParams {
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
    const resolved = await resolveRunFilter(this.access, this.catalog, ws, filter);
    const cursor = filter.cursor ? decodeRunCursor(filter.cursor) : null;
    if (filter.cursor && !cursor) throw OperationErrors.invalidCursor();
    const page = await this.runList.list({
      ...resolved,
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
