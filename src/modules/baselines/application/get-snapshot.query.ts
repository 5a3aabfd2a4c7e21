import { Inject, Injectable } from '@nestjs/common';
import { AccessContext } from '../../rbac/core/access-context';
import { AccessControl } from '../../rbac/core/access-control';
import { RbacErrors } from '../../rbac/core/rbac-errors';
import { CAPABILITIES } from '../../rbac/core/capabilities';
import { BASELINE_PROFILE_REPOSITORY, BaselineProfileRepository } from '../core/ports/baseline-profile.repository.port';
import { BASELINE_SNAPSHOT_REPOSITORY, BaselineSnapshotRepository } from '../core/ports/baseline-snapshot.repository.port';
import { BaselineView, SnapshotView, toBaselineView, toSnapshotView } from './baseline-read-models';
import { BaselineVisibility } from './baseline-visibility';

/** One snapshot by id, visible with its profile (its source environment). */
@Injectable()
export class GetSnapshot {
  constructor(
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(BaselineVisibility) private readonly visibility: BaselineVisibility,
    @Inject(BASELINE_PROFILE_REPOSITORY) private readonly profiles: BaselineProfileRepository,
    @Inject(BASELINE_SNAPSHOT_REPOSITORY) private readonly snapshots: BaselineSnapshotRepository,
  ) {}

  async execute(caller: AccessContext, workspaceSlug: string, snapshotId: string): Promise<{ profile: BaselineView; snapshot: SnapshotView }> {
    const ws = await this.access.workspaceOf(caller, workspaceSlug);
    const snapshot = await this.snapshots.findById(snapshotId);
    const profile = snapshot ? await this.profiles.findInWorkspace(ws.workspace.id, snapshot.profileId) : null;
    if (!snapshot || !profile) throw RbacErrors.notFound();
    this.access.require(ws.grants, {
      workspaceId: ws.workspace.id,
      environmentId: profile.sourceEnvironmentId,
      capability: CAPABILITIES.OPERATIONS_VIEW,
    });
    const environments = await this.visibility.environmentsById([profile.sourceEnvironmentId]);
    return { profile: toBaselineView(profile, environments.get(profile.sourceEnvironmentId)), snapshot: toSnapshotView(snapshot) };
  }
}
