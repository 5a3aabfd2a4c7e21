import { Inject, Injectable } from '@nestjs/common';
import { AccessContext } from '../../rbac/core/access-context';
import { BASELINE_SNAPSHOT_REPOSITORY, BaselineSnapshotRepository } from '../core/ports/baseline-snapshot.repository.port';
import { BaselineDetailView, toBaselineView, toSnapshotView } from './baseline-read-models';
import { BaselineVisibility } from './baseline-visibility';

/** One visible baseline profile with its snapshots, newest first. */
@Injectable()
export class GetBaselineProfile {
  constructor(
    @Inject(BaselineVisibility) private readonly visibility: BaselineVisibility,
    @Inject(BASELINE_SNAPSHOT_REPOSITORY) private readonly snapshots: BaselineSnapshotRepository,
  ) {}

  async execute(caller: AccessContext, workspaceSlug: string, id: string): Promise<BaselineDetailView> {
    const { profile } = await this.visibility.profile(caller, workspaceSlug, id);
    const [environments, snapshots] = await Promise.all([
      this.visibility.environmentsById([profile.sourceEnvironmentId]),
      this.snapshots.listByProfile(profile.id),
    ]);
    return {
      ...toBaselineView(profile, environments.get(profile.sourceEnvironmentId)),
      snapshots: snapshots.map(toSnapshotView),
    };
  }
}
