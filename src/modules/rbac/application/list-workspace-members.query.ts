import { Inject, Injectable } from '@nestjs/common';
import { Clock, CLOCK } from '../../../shared/core/clock.port';
import { AccessContext } from '../core/access-context';
import { AccessControl } from '../core/access-control';
import { ENVIRONMENT_LISTING, EnvironmentListing } from '../core/ports/environment-listing.port';
import { INVITATION_REPOSITORY, InvitationRepository } from '../core/ports/invitation.repository.port';
import { MEMBERSHIP_REPOSITORY, MembershipRepository } from '../core/ports/membership.repository.port';
import { environmentsView, InvitationView, invitationView, membersAdminOf, MemberView } from './member-views';

export interface WorkspaceMembers {
  items: MemberView[];
  /** Pending invitations (not accepted, revoked or expired), oldest first. */
  invitations: InvitationView[];
}

/** The workspace's members (owners first) and pending invitations; members.manage only. */
@Injectable()
export class ListWorkspaceMembers {
  constructor(
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(ENVIRONMENT_LISTING) private readonly environments: EnvironmentListing,
    @Inject(MEMBERSHIP_REPOSITORY) private readonly memberships: MembershipRepository,
    @Inject(INVITATION_REPOSITORY) private readonly invitations: InvitationRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(caller: AccessContext, workspaceSlug: string): Promise<WorkspaceMembers> {
    const admin = await membersAdminOf(this.access, this.environments, caller, workspaceSlug);
    const workspaceId = admin.ws.workspace.id;
    const [members, pending] = await Promise.all([
      this.memberships.listOfWorkspace(workspaceId),
      this.invitations.listPending(workspaceId, this.clock.now()),
    ]);
    return {
      items: members.map((m) => ({
        user: { id: m.userId, email: m.email, display_name: m.displayName },
        role: m.role,
        environments: environmentsView(m.environmentIds, admin.environments),
      })),
      invitations: pending.map((i) => invitationView(i, admin.environments)),
    };
  }
}
