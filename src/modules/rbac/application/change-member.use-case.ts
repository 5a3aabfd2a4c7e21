import { Inject, Injectable, Optional } from '@nestjs/common';
import { MEMBERSHIP_ROLE_CHANGED } from '../../../shared/core/audit-trail/audit-actions';
import { AUDIT_LOG, AuditLog } from '../../../shared/core/audit-trail/audit-log.port';
import { isUuid } from '../../../shared/core/uuid';
import { AccessContext } from '../core/access-context';
import { AccessControl } from '../core/access-control';
import { assertMayGrant, keepsAnOwner } from '../core/member-administration';
import { describeMembershipChange, parseMembershipRole } from '../core/membership';
import { ENVIRONMENT_LISTING, EnvironmentListing } from '../core/ports/environment-listing.port';
import { MEMBERSHIP_REPOSITORY, MembershipRepository } from '../core/ports/membership.repository.port';
import { USER_PROFILES, UserProfiles } from '../core/ports/user-profiles.port';
import { RbacErrors } from '../core/rbac-errors';
import { environmentsView, EnvironmentsView, membersAdminOf, MemberView, scopeFromSlugs } from './member-views';

export interface ChangeMemberCommand {
  role?: string;
  /** `"all"`: every environment; slugs: only those; omitted: unchanged. */
  environments?: EnvironmentsView;
}

/**
 * Changes a member's role and/or environment scope. Refused: a role or scope above the caller's
 * own, a member who holds more than the caller, and demoting the last owner (last_owner, checked
 * under the workspace's membership lock). Takes effect on the member's next request (grants_version).
 */
@Injectable()
export class ChangeMember {
  constructor(
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(ENVIRONMENT_LISTING) private readonly environments: EnvironmentListing,
    @Inject(MEMBERSHIP_REPOSITORY) private readonly memberships: MembershipRepository,
    @Inject(USER_PROFILES) private readonly profiles: UserProfiles,
    @Optional() @Inject(AUDIT_LOG) private readonly audit: AuditLog | null,
  ) {}

  async execute(caller: AccessContext, workspaceSlug: string, userId: string, command: ChangeMemberCommand): Promise<MemberView> {
    const admin = await membersAdminOf(this.access, this.environments, caller, workspaceSlug);
    if (!isUuid(userId)) throw RbacErrors.notFound();
    const role = command.role === undefined ? undefined : parseMembershipRole(command.role);
    const scope = command.environments === undefined ? undefined : scopeFromSlugs(command.environments, admin.environments);
    const workspaceId = admin.ws.workspace.id;
    const { previous, saved } = await this.memberships.changeGuarded(workspaceId, userId, ({ current, ownerIds }) => {
      if (!current) throw RbacErrors.notFound();
      const next = { role: role ?? current.role, environmentIds: scope === undefined ? current.environmentIds : scope };
      assertMayGrant(admin.actor, { ...next, current });
      if (!keepsAnOwner(ownerIds, userId, next.role)) throw RbacErrors.lastOwner();
      return next;
    });
    const change = describeMembershipChange(previous, saved!);
    const profile = await this.profiles.findProfile(userId);
    if (change !== 'unchanged') {
      await this.audit?.record({
        actorUserId: caller.userId,
        actorLabel: caller.email,
        workspaceId,
        action: MEMBERSHIP_ROLE_CHANGED,
        subjectType: 'membership',
        subjectId: saved!.id,
        metadata: {
          user_id: userId,
          email: profile?.email ?? null,
          role: saved!.role,
          environment_ids: saved!.environmentIds,
          previous_role: previous!.role,
          previous_environment_ids: previous!.environmentIds,
        },
      });
    }
    return {
      user: { id: userId, email: profile?.email ?? '', display_name: profile?.displayName ?? '' },
      role: saved!.role,
      environments: environmentsView(saved!.environmentIds, admin.environments),
    };
  }
}
