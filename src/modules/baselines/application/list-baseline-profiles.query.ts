import { Inject, Injectable } from '@nestjs/common';
import { AccessContext } from '../../rbac/core/access-context';
import { BASELINE_PROFILE_REPOSITORY, BaselineProfileRepository } from '../core/ports/baseline-profile.repository.port';
import { BaselineView, toBaselineView } from './baseline-read-models';
import { BaselineVisibility } from './baseline-visibility';

/** Baseline profiles whose source environment the caller may see. */
@Injectable()
export class ListBaselineProfiles {
  constructor(
    @Inject(BaselineVisibility) private readonly visibility: BaselineVisibility,
    @Inject(BASELINE_PROFILE_REPOSITORY) private readonly profiles: BaselineProfileRepository,
  ) {}

  async execute(caller: AccessContext, workspaceSlug: string): Promise<{ items: BaselineView[] }> {
    const ws = await this.visibility.viewer(caller, workspaceSlug);
    const profiles = await this.profiles.listByWorkspace(ws.workspace.id, this.visibility.visibleEnvironmentIds(ws));
    const environments = await this.visibility.environmentsById(profiles.map((p) => p.sourceEnvironmentId));
    return { items: profiles.map((p) => toBaselineView(p, environments.get(p.sourceEnvironmentId))) };
  }
}
