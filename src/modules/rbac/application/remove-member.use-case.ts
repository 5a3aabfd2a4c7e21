import { Inject, Injectable, Optional } from '@nestjs/common';
import { MEMBERSHIP_REMOVED } from '../../../shared/core/audit-trail/audit-actions';
import { AUDIT_LOG, AuditLog } from '../../../shared/core/audit-trail/audit-log.port';
import { isUuid } from '../../../shared/core/uuid';
import { AccessContext } from '../core/access-context';
import { AccessControl } from '../core/access-control';
import { assertMayRemove, keepsAnOwner } from '../core/member-administration';
import { ENVIRONMENT_LISTING, EnvironmentListing } from '../core/ports/environment-listing.port';
import { MEMBERSHIP_REPOSITORY, MembershipRepository } from '../core/ports/membership.repository.port';
import { USER_PROFILES, UserProfiles } from '../core/ports/user-profiles.port';
import { RbacErrors } from '../core/rbac-errors';
import { membersAdminOf } from './member-views';

/**
 * Removes a member from the workspace (the user account stays). Refused for a member who holds
 * more than the caller, and for the last owner (last_owner, under the workspace's membership
 * lock). The removed member's very next request no longer sees the workspace.
 */
@Injectable()
export class RemoveMember {
  constructor(
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(ENVIRONMENT_LISTING) private readonly environments: EnvironmentListing,
    @Inject(MEMBERSHIP_REPOSITORY) private readonly memberships: MembershipRepository,
    @Inject(USER_PROFILES) private readonly profiles: UserProfiles,
    @Optional() @Inject(AUDIT_LOG) private readonly audit: AuditLog | null,
  ) {}

  async execute(caller: AccessContext, workspaceSlug: string, userId: string): Promise<void> {
    const admin = await membersAdminOf(this.access, this.environments, caller, workspaceSlug);
    if (!isUuid(userId)) throw RbacErrors.notFound();
    const workspaceId = admin.ws.workspace.id;
    const profile = await this.profiles.findProfile(userId);
    const { previous } = await this.memberships.changeGuarded(workspaceId, userId, ({ current, ownerIds }) => {
      if (!current) throw RbacErrors.notFound();
      assertMayRemove(admin.actor, current);
      if (!keepsAnOwner(ownerIds, userId, null)) throw RbacErrors.lastOwner();
      return null;
    });
    await this.audit?.record({
      actorUserId: caller.userId,
      actorLabel: caller.email,
      workspaceId,
      action: MEMBERSHIP_REMOVED,
      subjectType: 'membership',
      subjectId: previous!.id,
      metadata: { user_id: userId, email: profile?.email ?? null, role: previous!.role, environment_ids: previous!.environmentIds },
    });
  }
}
