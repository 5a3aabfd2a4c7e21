import { Inject, Injectable } from '@nestjs/common';
import { AccessContext } from '../../rbac/core/access-context';
import { AccessControl } from '../../rbac/core/access-control';
import { RbacErrors } from '../../rbac/core/rbac-errors';
import { CAPABILITIES } from '../../rbac/core/capabilities';
import { BASELINE_HISTORY_QUERY, BaselineHistoryQuery } from '../core/ports/baseline-history.query.port';
import { BASELINE_PROFILE_REPOSITORY, BaselineProfileRepository } from '../core/ports/baseline-profile.repository.port';
import { BaselineView, CompareResultView, toBaselineView, toCompareResultView } from './baseline-read-models';
import { BaselineVisibility } from './baseline-visibility';

export interface CompareResultDetail {
  profile: BaselineView;
  result: CompareResultView;
  /** The kinds its findings have (for filters). */
  finding_kinds: string[];
}

/**
 * One compare result by id (no profile id in the URL), under the findings rules: visible with its
 * profile's source and its target environment.
 */
@Injectable()
export class GetCompareResult {
  constructor(
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(BaselineVisibility) private readonly visibility: BaselineVisibility,
    @Inject(BASELINE_PROFILE_REPOSITORY) private readonly profiles: BaselineProfileRepository,
    @Inject(BASELINE_HISTORY_QUERY) private readonly history: BaselineHistoryQuery,
  ) {}

  async execute(caller: AccessContext, workspaceSlug: string, resultId: string): Promise<CompareResultDetail> {
    const ws = await this.access.workspaceOf(caller, workspaceSlug);
    const result = await this.history.findCompareResult(resultId);
    const profile = result ? await this.profiles.findInWorkspace(ws.workspace.id, result.profileId) : null;
    if (!result || !profile) throw RbacErrors.notFound();
    for (const environmentId of [profile.sourceEnvironmentId, result.targetEnvironmentId]) {
      this.access.require(ws.grants, { workspaceId: ws.workspace.id, environmentId, capability: CAPABILITIES.OPERATIONS_VIEW });
    }
    const [environments, kinds] = await Promise.all([
      this.visibility.environmentsById([profile.sourceEnvironmentId, result.targetEnvironmentId]),
      this.history.findingKinds(result.id),
    ]);
    return {
      profile: toBaselineView(profile, environments.get(profile.sourceEnvironmentId)),
      result: toCompareResultView(result, environments.get(result.targetEnvironmentId)),
      finding_kinds: kinds,
    };
  }
}
