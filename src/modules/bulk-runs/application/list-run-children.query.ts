import { Inject, Injectable } from '@nestjs/common';
import { AccessContext, memberWorkspacesOf } from '../../rbac/core/access-context';
import { AccessControl } from '../../rbac/core/access-control';
import { CAPABILITIES } from '../../rbac/core/capabilities';
import { RunResourceAssembler } from '../../operations/application/run-resource.assembler';
import { findVisibleRun } from '../../operations/application/visible-run';
import { RUN_LIST_QUERY, RunListQuery } from '../../operations/core/ports/run-list-query.port';
import { RunResource } from '../../operations/core/run-resource';
import { BulkRunErrors } from '../core/bulk-runs-errors';
import { CHILD_RESULTS, ChildResult } from '../core/child-results';
import { RUN_CHILDREN, RunChildren } from '../core/ports/run-children.port';

export const CHILDREN_PAGE_SIZE = 50;

export interface RunChild {
  /** What the bulk run did to it, e.g. `cancelled`, `already_finished`, `retried`, `started`. */
  result: ChildResult;
  /** `acted`, `skipped` or `refused`. */
  result_kind: 'acted' | 'skipped' | 'refused';
  /** Why it was refused, when the refusing rule said so. */
  message: string | null;
  run: RunResource;
}

export interface RunChildrenPage {
  items: RunChild[];
  next_cursor: string | null;
}

/**
 * The runs a bulk or fan-out run touched, in the order it acted (`GET /api/v1/operations/:id/children`
 * and its page): the bulk run under deny-as-not-found, then only the children the reader may see,
 * as run resources. Any other run has none.
 */
@Injectable()
export class ListRunChildren {
  constructor(
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(RUN_LIST_QUERY) private readonly runList: RunListQuery,
    @Inject(RUN_CHILDREN) private readonly children: RunChildren,
    @Inject(RunResourceAssembler) private readonly assembler: RunResourceAssembler,
  ) {}

  async execute(caller: AccessContext, id: string, cursor?: string, limit = CHILDREN_PAGE_SIZE): Promise<RunChildrenPage> {
    const parent = await findVisibleRun(this.access, this.runList, caller, id);
    if (cursor !== undefined && !/^[1-9]\d{0,17}$/.test(cursor)) throw BulkRunErrors.invalidChildrenCursor();
    const scope = this.access.policy.scopeFilter(caller.grants, parent.run.workspaceId)!;
    const page = await this.children.page(parent.run.id, scope, cursor === undefined ? null : Number(cursor), limit + 1);
    const shown = page.slice(0, limit);
    const listed = await this.runList.findMany(shown.map((c) => c.runId!));
    const includeDiagnostics = this.access.decide(caller.grants, {
      workspaceId: parent.run.workspaceId,
      capability: CAPABILITIES.OPERATIONS_VIEW_DIAGNOSTICS,
    }).allowed;
    const resources = await this.assembler.many(listed, { includeDiagnostics, workspaces: memberWorkspacesOf(caller) });
    const byId = new Map(resources.map((r) => [r.id, r]));
    return {
      items: shown.flatMap((c) => {
        const run = byId.get(c.runId!);
        return run ? [{ result: c.result, result_kind: CHILD_RESULTS[c.result].kind, message: c.message ?? null, run }] : [];
      }),
      next_cursor: page.length > limit ? String(shown[shown.length - 1].position) : null,
    };
  }
}
