import { Inject, Injectable } from '@nestjs/common';
import { AccessContext, memberWorkspacesOf } from '../../rbac/core/access-context';
import { AccessControl } from '../../rbac/core/access-control';
import { CAPABILITIES } from '../../rbac/core/capabilities';
import { RUN_LIST_QUERY, RunListQuery } from '../core/ports/run-list-query.port';
import { RunResource } from '../core/run-resource';
import { RunResourceAssembler } from './run-resource.assembler';
import { findVisibleRun } from './visible-run';

/** One run as its reader may see it; diagnostics only with operations.view_diagnostics. */
@Injectable()
export class GetRun {
  constructor(
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(RUN_LIST_QUERY) private readonly runList: RunListQuery,
    @Inject(RunResourceAssembler) private readonly assembler: RunResourceAssembler,
  ) {}

  /** Unknown, malformed and out-of-scope ids all answer the same 404. */
  async execute(caller: AccessContext, id: string): Promise<RunResource> {
    const listed = await findVisibleRun(this.access, this.runList, caller, id);
    const { run } = listed;
    const scope = { workspaceId: run.workspaceId, environmentId: run.environmentId };
    const includeDiagnostics = this.access.decide(caller.grants, {
      ...scope,
      capability: CAPABILITIES.OPERATIONS_VIEW_DIAGNOSTICS,
    }).allowed;
    return this.assembler.one(listed, { includeDiagnostics, workspaces: memberWorkspacesOf(caller) });
  }
}
