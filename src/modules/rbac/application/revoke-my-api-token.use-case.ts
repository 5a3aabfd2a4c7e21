import { Inject, Injectable, Optional } from '@nestjs/common';
import { TOKEN_REVOKED } from '../../../shared/core/audit-trail/audit-actions';
import { AUDIT_LOG, AuditLog } from '../../../shared/core/audit-trail/audit-log.port';
import { AccessContext } from '../core/access-context';
import { ApiTokenRepository } from '../core/ports/api-token.repository.port';
import { RbacErrors } from '../core/rbac-errors';

/**
 * Revokes one of the caller's own tokens; it stops authenticating at once. Someone else's token,
 * an unknown, malformed or already revoked id: the same 404 (`not_found`), nothing revealed.
 */
@Injectable()
export class RevokeMyApiToken {
  constructor(
    @Inject(ApiTokenRepository) private readonly tokens: ApiTokenRepository,
    @Optional() @Inject(AUDIT_LOG) private readonly audit: AuditLog | null,
  ) {}

  async execute(caller: AccessContext, id: string): Promise<void> {
    if (!(await this.tokens.revokeOfUser(caller.userId, id))) throw RbacErrors.notFound();
    await this.audit?.record({
      actorUserId: caller.userId,
      actorLabel: caller.email,
      action: TOKEN_REVOKED,
      subjectType: 'api_token',
      subjectId: id,
      metadata: { user_id: caller.userId, email: caller.email },
    });
  }
}
