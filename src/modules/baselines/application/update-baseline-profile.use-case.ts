import { Inject, Injectable } from '@nestjs/common';
import { BASELINE_UPDATED } from '../../../shared/core/audit-trail/audit-actions';
import { AccessContext } from '../../rbac/core/access-context';
import { AccessControl } from '../../rbac/core/access-control';
import { RbacErrors } from '../../rbac/core/rbac-errors';
import { CAPABILITIES } from '../../rbac/core/capabilities';
import { cleanPolicyKinds, cleanProfileName } from '../core/baseline-profile-fields';
import { BaselineErrors } from '../core/baselines-errors';
import {
  BASELINE_PROFILE_REPOSITORY,
  BaselineProfileChanges,
  BaselineProfileRepository,
} from '../core/ports/baseline-profile.repository.port';
import { BaselineView, toBaselineView } from './baseline-read-models';
import { BaselineProfileAudit } from './baseline-profile-audit';
import { BaselineVisibility } from './baseline-visibility';

/** What to change (at least one); the source environment never changes. */
export interface UpdateBaselineProfileCommand {
  name?: string;
  policy_kinds?: string[];
}

/**
 * Renames a profile or changes its policy kinds (baselines.manage on its source environment).
 * Hidden and unknown profiles answer the same 404; an unchanged profile is answered as it is,
 * without a write or an audit event.
 */
@Injectable()
export class UpdateBaselineProfile {
  constructor(
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(BaselineVisibility) private readonly visibility: BaselineVisibility,
    @Inject(BASELINE_PROFILE_REPOSITORY) private readonly profiles: BaselineProfileRepository,
    @Inject(BaselineProfileAudit) private readonly audit: BaselineProfileAudit,
  ) {}

  async execute(caller: AccessContext, workspaceSlug: string, id: string, command: UpdateBaselineProfileCommand): Promise<BaselineView> {
    if (command.name === undefined && command.policy_kinds === undefined) throw BaselineErrors.nothingToChange();
    const ws = await this.access.workspaceOf(caller, workspaceSlug);
    const current = await this.profiles.findInWorkspace(ws.workspace.id, id);
    if (!current) throw RbacErrors.notFound();
    this.access.require(ws.grants, {
      workspaceId: ws.workspace.id,
      environmentId: current.sourceEnvironmentId,
      capability: CAPABILITIES.BASELINES_MANAGE,
    });
    const changes: BaselineProfileChanges = {};
    if (command.name !== undefined) {
      const name = cleanProfileName(command.name);
      if (name !== current.name) changes.name = name;
    }
    if (command.policy_kinds !== undefined) {
      const kinds = cleanPolicyKinds(command.policy_kinds);
      if (kinds.join('\n') !== [...current.policyKinds].sort().join('\n')) changes.policyKinds = kinds;
    }
    const changed = [...(changes.name !== undefined ? ['name'] : []), ...(changes.policyKinds !== undefined ? ['policy_kinds'] : [])];
    const environments = await this.visibility.environmentsById([current.sourceEnvironmentId]);
    const source = environments.get(current.sourceEnvironmentId);
    if (changed.length === 0) return toBaselineView(current, source);
    const profile = await this.profiles.update(ws.workspace.id, current.id, changes);
    if (!profile) throw RbacErrors.notFound(); // deleted meanwhile
    await this.audit.record({
      actorUserId: caller.userId,
      actorLabel: caller.email,
      workspaceId: ws.workspace.id,
      environmentId: profile.sourceEnvironmentId,
      action: BASELINE_UPDATED,
      subjectType: 'baseline_profile',
      subjectId: profile.id,
      metadata: { name: profile.name, policy_kinds: profile.policyKinds, changed },
    });
    return toBaselineView(profile, source);
  }
}
