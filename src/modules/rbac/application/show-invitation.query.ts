import { Inject, Injectable } from '@nestjs/common';
import { Clock, CLOCK } from '../../../shared/core/clock.port';
import { MembershipRole } from '../core/membership';
import { INVITATION_REPOSITORY, InvitationRepository } from '../core/ports/invitation.repository.port';
import { RbacErrors } from '../core/rbac-errors';
import { SECRET_PATTERN, sha256Hex } from '../core/secrets';

export interface InvitationSummary {
  email: string;
  role: MembershipRole;
  workspace: { slug: string; name: string };
  expires_at: string;
}

/** What an invitation link offers (pre-login); unknown, expired and used links → invitation_not_valid. */
@Injectable()
export class ShowInvitation {
  constructor(
    @Inject(INVITATION_REPOSITORY) private readonly invitations: InvitationRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(token: string): Promise<InvitationSummary> {
    const invitation = SECRET_PATTERN.test(token) ? await this.invitations.findUsable(sha256Hex(token), this.clock.now()) : null;
    if (!invitation) throw RbacErrors.invitationNotValid();
    return {
      email: invitation.email,
      role: invitation.role,
      workspace: { slug: invitation.workspace.slug, name: invitation.workspace.name },
      expires_at: invitation.expiresAt.toISOString(),
    };
  }
}
