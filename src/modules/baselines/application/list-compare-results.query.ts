import { Inject, Injectable } from '@nestjs/common';
import { AccessContext } from '../../rbac/core/access-context';
import { BASELINE_HISTORY_QUERY, BaselineHistoryQuery } from '../core/ports/baseline-history.query.port';
import { CompareResultView, toCompareResultView } from './baseline-read-models';
import { BaselineVisibility } from './baseline-visibility';

/** Compare results of a visible profile on targets the caller may see, newest first. */
@Injectable()
export class ListCompareResults {
  constructor(
    @Inject(BaselineVisibility) private readonly visibility: BaselineVisibility,
    @Inject(BASELINE_HISTORY_QUERY) private readonly history: BaselineHistoryQuery,
  ) {}

  async execute(caller: AccessContext, workspaceSlug: string, id: string, limit = 50): Promise<CompareResultView[]> {
    const { ws, profile } = await this.visibility.profile(caller, workspaceSlug, id);
    const results = await this.history.compareResults(profile.id, this.visibility.visibleEnvironmentIds(ws), limit);
    const environments = await this.visibility.environmentsById(results.map((r) => r.targetEnvironmentId));
    return results.map((r) => toCompareResultView(r, environments.get(r.targetEnvironmentId)));
  }
}
