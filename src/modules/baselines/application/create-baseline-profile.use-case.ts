import { Inject, Injectable } from '@nestjs/common';
import { BASELINE_CREATED } from '../../../shared/core/audit-trail/audit-actions';
import { AccessContext } from '../../rbac/core/access-context';
import { AccessControl } from '../../rbac/core/access-control';
import { CAPABILITIES } from '../../rbac/core/capabilities';
import { cleanPolicyKinds, cleanProfileName } from '../core/baseline-profile-fields';
import { BaselineErrors } from '../core/baselines-errors';
import { BASELINE_PROFILE_REPOSITORY, BaselineProfileRepository } from '../core/ports/baseline-profile.repository.port';
import { BaselineView, toBaselineView } from './baseline-read-models';
import { BaselineProfileAudit } from './baseline-profile-audit';

/** A new profile's fields, already shape-checked by the caller's adapter (DTO or form). */
export interface CreateBaselineProfileCommand {
  name: string;
  /** Slug of the environment the baseline is captured from. */
  source_environment: string;
  policy_kinds?: string[];
}

/** Creates a baseline profile (baselines.manage on its source environment); audited. */
@Injectable()
export class CreateBaselineProfile {
  constructor(
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(BASELINE_PROFILE_REPOSITORY) private readonly profiles: BaselineProfileRepository,
    @Inject(BaselineProfileAudit) private readonly audit: BaselineProfileAudit,
  ) {}

  async execute(caller: AccessContext, workspaceSlug: string, command: CreateBaselineProfileCommand): Promise<BaselineView> {
    const ws = await this.access.workspaceOf(caller, workspaceSlug);
    this.access.require(ws.grants, { workspaceId: ws.workspace.id, capability: CAPABILITIES.BASELINES_MANAGE });
    const name = cleanProfileName(command.name);
    const source = await this.access.environment(ws, command.source_environment).catch(() => {
      throw BaselineErrors.sourceEnvironmentNotFound(command.source_environment);
    });
    this.access.require(ws.grants, {
      workspaceId: ws.workspace.id,
      environmentId: source.id,
      capability: CAPABILITIES.BASELINES_MANAGE,
    });
    const profile = await this.profiles.create({
      workspaceId: ws.workspace.id,
      name,
      sourceEnvironmentId: source.id,
      policyKinds: cleanPolicyKinds(command.policy_kinds ?? []),
    });
    await this.audit.record({
      actorUserId: caller.userId,
      actorLabel: caller.email,
      workspaceId: ws.workspace.id,
      environmentId: source.id,
      action: BASELINE_CREATED,
      subjectType: 'baseline_profile',
      subjectId: profile.id,
      metadata: { name: profile.name, policy_kinds: profile.policyKinds },
    });
    return toBaselineView(profile, source);
  }
}
