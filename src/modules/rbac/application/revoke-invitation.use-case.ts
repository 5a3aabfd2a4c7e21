import { Inject, Injectable, Optional } from '@nestjs/common';
import { MEMBERSHIP_INVITATION_REVOKED } from '../../../shared/core/audit-trail/audit-actions';
import { AUDIT_LOG, AuditEventInput, AuditLog } from '../../../shared/core/audit-trail/audit-log.port';
import { Clock, CLOCK } from '../../../shared/core/clock.port';
import { isUuid } from '../../../shared/core/uuid';
import { AccessContext } from '../core/access-context';
import { AccessControl } from '../core/access-control';
import { assertMayRemove } from '../core/member-administration';
import { ENVIRONMENT_LISTING, EnvironmentListing } from '../core/ports/environment-listing.port';
import { Invitation, INVITATION_REPOSITORY, InvitationRepository, InvitationTarget } from '../core/ports/invitation.repository.port';
import { RbacErrors } from '../core/rbac-errors';
import { InvitationView, invitationView, membersAdminOf } from './member-views';

/**
 * Revokes a pending invitation: its `/invite/…` link answers "not valid" from then on, like an
 * expired or used one. The row stays (marked revoked) for the history. Named by id (API, page) or
 * by email (CLI); an unknown id, another workspace's invitation or one no longer pending (accepted,
 * expired, revoked) → the same 404 as any missing resource. Like removing a member, the caller
 * must hold at least what the invitation grants (role_above_yours / scope_outside_yours, 403).
 */
@Injectable()
export class RevokeInvitation {
  constructor(
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(ENVIRONMENT_LISTING) private readonly environments: EnvironmentListing,
    @Inject(INVITATION_REPOSITORY) private readonly invitations: InvitationRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Optional() @Inject(AUDIT_LOG) private readonly audit: AuditLog | null,
  ) {}

  async execute(caller: AccessContext, workspaceSlug: string, target: InvitationTarget): Promise<InvitationView> {
    const admin = await membersAdminOf(this.access, this.environments, caller, workspaceSlug);
    // By email, the caller already sees the workspace's invitations: a plain message names the email.
    const missing = () => ('email' in target ? RbacErrors.noPendingInvitation(target.email, admin.ws.workspace.slug) : RbacErrors.notFound());
    if ('id' in target && !isUuid(target.id)) throw missing();
    const now = this.clock.now();
    const invitation = await this.invitations.findPending(admin.ws.workspace.id, target, now);
    if (!invitation) throw missing();
    assertMayRemove(admin.actor, invitation);
    // Accepted or revoked since it was read: no longer pending, like an unknown one.
    if (!(await this.invitations.revoke(invitation.id, now))) throw missing();
    await this.audit?.record(invitationRevokedEvent(caller, invitation));
    return invitationView(invitation, admin.environments);
  }
}

/** The audit event of a revoked invitation; `replacedBy` names the new invitation that replaced it. */
export function invitationRevokedEvent(caller: AccessContext, invitation: Invitation, replacedBy?: string): AuditEventInput {
  return {
    actorUserId: caller.userId,
    actorLabel: caller.email,
    workspaceId: invitation.workspaceId,
    action: MEMBERSHIP_INVITATION_REVOKED,
    subjectType: 'invitation',
    subjectId: invitation.id,
    metadata: {
      email: invitation.email,
      role: invitation.role,
      environment_ids: invitation.environmentIds,
      expires_at: invitation.expiresAt.toISOString(),
      ...(replacedBy ? { replaced_by: replacedBy } : {}),
    },
  };
}
