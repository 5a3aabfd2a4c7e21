import { Inject, Injectable } from '@nestjs/common';
import { OperationRun } from '../../core/operation-run';
import { InitiatorAuthorization } from '../../core/ports/initiator-authorization.port';
import { AuthorizationPolicy } from '../../../rbac/core/authorization-policy';
import { MEMBERSHIP_GRANTS, MembershipGrants } from '../../../rbac/core/ports/membership-grants.port';

/**
 * Queued execution re-authorization (SPEC 1): the initiator must still be a member holding the
 * capability and be entitled to the run's environment, and to every other environment the run
 * reads, at the moment a worker starts the run.
 */
@Injectable()
export class RbacInitiatorAuthorization implements InitiatorAuthorization {
  constructor(
    @Inject(MEMBERSHIP_GRANTS) private readonly memberships: MembershipGrants,
    @Inject(AuthorizationPolicy) private readonly policy: AuthorizationPolicy,
  ) {}

  async isStillAuthorized(run: OperationRun, capability: string, alsoSees: string[] = []): Promise<boolean> {
    if (!run.initiatorUserId) return false;
    const grants = await this.memberships.grantsOf(run.initiatorUserId);
    return (
      this.policy.authorize(grants, { workspaceId: run.workspaceId, environmentId: run.environmentId, capability }).allowed &&
      alsoSees.every((environmentId) => this.policy.isInScope(grants, run.workspaceId, environmentId))
    );
  }
}
