import { Inject, Injectable } from '@nestjs/common';
import { AccessContext } from '../../rbac/core/access-context';
import { AccessControl } from '../../rbac/core/access-control';
import { RbacErrors } from '../../rbac/core/rbac-errors';
import { CAPABILITIES } from '../../rbac/core/capabilities';
import { BaselineErrors } from '../core/baselines-errors';
import { FindingType } from '../core/drift';
import { decodeFindingsCursor, encodeFindingsCursor } from '../core/findings-cursor';
import { BASELINE_COMPARE_REPOSITORY, BaselineCompareRepository } from '../core/ports/baseline-compare.repository.port';
import { FindingListView, toFindingView } from './baseline-read-models';
import { BaselineVisibility } from './baseline-visibility';

export const DEFAULT_FINDINGS_PAGE = 50;

/** The findings filters, already shape-checked by the caller's adapter (DTO or form). */
export interface FindingsFilter {
  kind?: string;
  type?: FindingType;
  limit?: number;
  cursor?: string;
}

/**
 * One keyset page of a compare result's drift findings: visible with the profile's source and
 * the compare's target environment (either hidden: the same 404 as an unknown id).
 */
@Injectable()
export class ListFindings {
  constructor(
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(BaselineVisibility) private readonly visibility: BaselineVisibility,
    @Inject(BASELINE_COMPARE_REPOSITORY) private readonly results: BaselineCompareRepository,
  ) {}

  async execute(caller: AccessContext, workspaceSlug: string, id: string, resultId: string, filter: FindingsFilter): Promise<FindingListView> {
    const { ws, profile } = await this.visibility.profile(caller, workspaceSlug, id);
    const result = await this.results.findForProfile(profile.id, resultId);
    if (!result) throw RbacErrors.notFound();
    this.access.require(ws.grants, {
      workspaceId: ws.workspace.id,
      environmentId: result.targetEnvironmentId,
      capability: CAPABILITIES.OPERATIONS_VIEW,
    });
    const after = filter.cursor === undefined ? undefined : decodeFindingsCursor(filter.cursor);
    if (after === null) throw BaselineErrors.invalidFindingsCursor();
    const limit = filter.limit ?? DEFAULT_FINDINGS_PAGE;
    const page = await this.results.listFindings({
      compareResultId: result.id,
      kind: filter.kind,
      type: filter.type,
      limit: limit + 1,
      after,
    });
    const items = page.slice(0, limit);
    return {
      items: items.map(toFindingView),
      next_cursor: page.length > limit ? encodeFindingsCursor(items[items.length - 1].pairKey) : null,
    };
  }
}
