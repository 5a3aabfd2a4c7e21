import { Inject, Injectable, Optional } from '@nestjs/common';
import { MEMBERSHIP_INVITATION_ACCEPTED } from '../../../shared/core/audit-trail/audit-actions';
import { AUDIT_LOG, AuditLog } from '../../../shared/core/audit-trail/audit-log.port';
import { Clock, CLOCK } from '../../../shared/core/clock.port';
import { assertAcceptablePassword } from '../core/password-policy';
import { INVITATION_REPOSITORY, InvitationRepository } from '../core/ports/invitation.repository.port';
import { PASSWORD_HASHER, PasswordHasher } from '../core/ports/password-hasher.port';
import { RbacErrors } from '../core/rbac-errors';
import { sha256Hex } from '../core/secrets';
import { assertValidDisplayName } from '../core/user-identity';
import { ShowInvitation } from './show-invitation.query';

export interface AcceptInvitationCommand {
  displayName: string;
  password: string;
}

export interface InvitationAccepted {
  userId: string;
  email: string;
  workspaceSlug: string;
}

/**
 * The invitee sets a display name and a password (the password policy) and becomes a member with
 * the invitation's role and scope; the link works once. Audited with the new user as actor.
 */
@Injectable()
export class AcceptInvitation {
  constructor(
    @Inject(ShowInvitation) private readonly show: ShowInvitation,
    @Inject(INVITATION_REPOSITORY) private readonly invitations: InvitationRepository,
    @Inject(PASSWORD_HASHER) private readonly hasher: PasswordHasher,
    @Inject(CLOCK) private readonly clock: Clock,
    @Optional() @Inject(AUDIT_LOG) private readonly audit: AuditLog | null,
  ) {}

  async execute(token: string, command: AcceptInvitationCommand): Promise<InvitationAccepted> {
    // An invalid link is told first: no point asking to fix a password for it.
    await this.show.execute(token);
    const displayName = assertValidDisplayName(command.displayName);
    assertAcceptablePassword(command.password);
    const passwordHash = await this.hasher.hash(command.password);
    const outcome = await this.invitations.accept(sha256Hex(token), this.clock.now(), { displayName, passwordHash });
    if (outcome.kind === 'not_valid') throw RbacErrors.invitationNotValid();
    if (outcome.kind === 'user_exists') throw RbacErrors.invitedEmailTaken();
    const { invitation } = outcome;
    await this.audit?.record({
      actorUserId: outcome.userId,
      actorLabel: invitation.email,
      workspaceId: invitation.workspaceId,
      action: MEMBERSHIP_INVITATION_ACCEPTED,
      subjectType: 'invitation',
      subjectId: invitation.id,
      metadata: { user_id: outcome.userId, email: invitation.email, role: invitation.role, environment_ids: invitation.environmentIds, membership_id: outcome.membershipId },
    });
    return { userId: outcome.userId, email: invitation.email, workspaceSlug: invitation.workspace.slug };
  }
}
