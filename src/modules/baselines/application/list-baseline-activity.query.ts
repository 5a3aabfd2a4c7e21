import { Inject, Injectable } from '@nestjs/common';
import { AccessContext } from '../../rbac/core/access-context';
import { BASELINE_HISTORY_QUERY, BaselineHistoryQuery } from '../core/ports/baseline-history.query.port';
import { BASELINE_PROFILE_REPOSITORY, BaselineProfileRepository } from '../core/ports/baseline-profile.repository.port';
import { BaselineActivityView, toBaselineView, toCompareResultView, toSnapshotView } from './baseline-read-models';
import { BaselineVisibility } from './baseline-visibility';

/** The list page: each visible profile with its newest snapshot and newest compare on a visible target. */
@Injectable()
export class ListBaselineActivity {
  constructor(
    @Inject(BaselineVisibility) private readonly visibility: BaselineVisibility,
    @Inject(BASELINE_PROFILE_REPOSITORY) private readonly profiles: BaselineProfileRepository,
    @Inject(BASELINE_HISTORY_QUERY) private readonly history: BaselineHistoryQuery,
  ) {}

  async execute(caller: AccessContext, workspaceSlug: string): Promise<{ items: BaselineActivityView[] }> {
    const ws = await this.visibility.viewer(caller, workspaceSlug);
    const visible = this.visibility.visibleEnvironmentIds(ws);
    const profiles = await this.profiles.listByWorkspace(ws.workspace.id, visible);
    const ids = profiles.map((p) => p.id);
    const [snapshots, results] = await Promise.all([
      this.history.latestSnapshots(ids),
      this.history.latestCompareResults(ids, visible),
    ]);
    const environments = await this.visibility.environmentsById([
      ...profiles.map((p) => p.sourceEnvironmentId),
      ...results.map((r) => r.targetEnvironmentId),
    ]);
    const snapshotOf = new Map(snapshots.map((s) => [s.profileId, toSnapshotView(s)]));
    const resultOf = new Map(results.map((r) => [r.profileId, toCompareResultView(r, environments.get(r.targetEnvironmentId))]));
    return {
      items: profiles.map((p) => ({
        ...toBaselineView(p, environments.get(p.sourceEnvironmentId)),
        latest_snapshot: snapshotOf.get(p.id) ?? null,
        latest_compare: resultOf.get(p.id) ?? null,
      })),
    };
  }
}
