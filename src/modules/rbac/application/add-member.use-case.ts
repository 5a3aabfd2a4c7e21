import { Inject, Injectable, Optional } from '@nestjs/common';
import { MEMBERSHIP_ADDED, MEMBERSHIP_INVITED } from '../../../shared/core/audit-trail/audit-actions';
import { AUDIT_LOG, AuditLog } from '../../../shared/core/audit-trail/audit-log.port';
import { Clock, CLOCK } from '../../../shared/core/clock.port';
import { routes } from '../../../shared/core/routes';
import { AccessContext } from '../core/access-context';
import { AccessControl } from '../core/access-control';
import { assertMayGrant, assertMayRemove, invitationExpiresAt } from '../core/member-administration';
import { parseMembershipRole } from '../core/membership';
import { ENVIRONMENT_LISTING, EnvironmentListing } from '../core/ports/environment-listing.port';
import { Invitation, INVITATION_REPOSITORY, InvitationRepository } from '../core/ports/invitation.repository.port';
import { MEMBERSHIP_REPOSITORY, MembershipRepository } from '../core/ports/membership.repository.port';
import { USER_REPOSITORY, UserRepository } from '../core/ports/user.repository.port';
import { RbacErrors } from '../core/rbac-errors';
import { randomSecret, sha256Hex } from '../core/secrets';
import { assertValidEmail } from '../core/user-identity';
import { invitationRevokedEvent } from './revoke-invitation.use-case';
import { environmentsView, EnvironmentsView, InvitationView, invitationView, membersAdminOf, MemberView, scopeFromSlugs } from './member-views';

export interface AddMemberCommand {
  email: string;
  role: string;
  /** `"all"` or omitted: every environment; else environment slugs. */
  environments?: EnvironmentsView;
}

export type MemberAdded =
  | { kind: 'member'; member: MemberView }
  /** `invitation_url` (a path; adapters make it whole under PUBLIC_URL) carries the one-time token: shown in this answer only, stored hashed. */
  | { kind: 'invitation'; invitation: InvitationView; invitation_url: string };

/**
 * Adds an existing user to the workspace, or invites an email without an account (a one-time link
 * valid 7 days that replaces a pending invitation of the same email: the old link is revoked, so
 * one email never holds two live links). Nobody grants a role above their own or environments
 * outside their own, nor replaces an invitation that grants more than they hold (as revoking it
 * would be refused); an existing member → already_member (409).
 */
@Injectable()
export class AddMember {
  constructor(
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(ENVIRONMENT_LISTING) private readonly environments: EnvironmentListing,
    @Inject(MEMBERSHIP_REPOSITORY) private readonly memberships: MembershipRepository,
    @Inject(INVITATION_REPOSITORY) private readonly invitations: InvitationRepository,
    @Inject(USER_REPOSITORY) private readonly users: UserRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Optional() @Inject(AUDIT_LOG) private readonly audit: AuditLog | null,
  ) {}

  async execute(caller: AccessContext, workspaceSlug: string, command: AddMemberCommand): Promise<MemberAdded> {
    const admin = await membersAdminOf(this.access, this.environments, caller, workspaceSlug);
    const email = assertValidEmail(command.email);
    const role = parseMembershipRole(command.role);
    const environmentIds = scopeFromSlugs(command.environments, admin.environments);
    assertMayGrant(admin.actor, { role, environmentIds });
    const workspaceId = admin.ws.workspace.id;
    const audit = { actorUserId: caller.userId, actorLabel: caller.email, workspaceId };

    const user = await this.users.findByEmail(email);
    if (user) {
      const { saved } = await this.memberships.changeGuarded(workspaceId, user.id, ({ current }) => {
        if (current) throw RbacErrors.alreadyMember(user.email);
        return { role, environmentIds };
      });
      await this.audit?.record({
        ...audit,
        action: MEMBERSHIP_ADDED,
        subjectType: 'membership',
        subjectId: saved!.id,
        metadata: { user_id: user.id, email: user.email, role, environment_ids: environmentIds },
      });
      const member = { user: { id: user.id, email: user.email, display_name: user.displayName }, role, environments: environmentsView(environmentIds, admin.environments) };
      return { kind: 'member', member };
    }

    const token = randomSecret();
    const now = this.clock.now();
    const isLive = (pending: Invitation) => pending.expiresAt > now;
    const { invitation, replaced } = await this.invitations.replacePending(
      { workspaceId, email, role, environmentIds, tokenHash: sha256Hex(token), invitedBy: caller.userId, expiresAt: invitationExpiresAt(now) },
      now,
      (current) => current.filter(isLive).forEach((pending) => assertMayRemove(admin.actor, pending)),
    );
    // An expired link was dead already: only the revocation of a live one is news.
    const revoked = replaced.filter(isLive).map((old) => invitationRevokedEvent(caller, old, invitation.id));
    if (revoked.length) await this.audit?.recordMany(revoked);
    await this.audit?.record({
      ...audit,
      action: MEMBERSHIP_INVITED,
      subjectType: 'invitation',
      subjectId: invitation.id,
      metadata: { email, role, environment_ids: environmentIds, expires_at: invitation.expiresAt.toISOString() },
    });
    return { kind: 'invitation', invitation: invitationView(invitation, admin.environments), invitation_url: routes.invitation(token) };
  }
}
