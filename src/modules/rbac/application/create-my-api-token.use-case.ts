import { Inject, Injectable, Optional } from '@nestjs/common';
import { TOKEN_CREATED } from '../../../shared/core/audit-trail/audit-actions';
import { AUDIT_LOG, AuditLog } from '../../../shared/core/audit-trail/audit-log.port';
import { Clock, CLOCK } from '../../../shared/core/clock.port';
import { AccessContext } from '../core/access-context';
import { cleanTokenName, tokenExpiresAt } from '../core/api-token';
import { ApiTokenRepository } from '../core/ports/api-token.repository.port';
import { ApiTokenView, toApiTokenView } from './api-token-view';

export interface CreateApiTokenCommand {
  name: string;
  /** Whole days from 1 to MAX_TOKEN_LIFETIME_DAYS; left out: the token never expires. */
  expires_in_days?: number | null;
}

/** The new token with its secret: the only time the secret exists outside its hash. */
export interface CreatedApiToken {
  token: ApiTokenView;
  secret: string;
}

/** Creates a personal API token for the caller; audited without the secret. */
@Injectable()
export class CreateMyApiToken {
  constructor(
    @Inject(ApiTokenRepository) private readonly tokens: ApiTokenRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Optional() @Inject(AUDIT_LOG) private readonly audit: AuditLog | null,
  ) {}

  async execute(caller: AccessContext, command: CreateApiTokenCommand): Promise<CreatedApiToken> {
    const name = cleanTokenName(command.name);
    const now = this.clock.now();
    const expiresAt = tokenExpiresAt(now, command.expires_in_days);
    const created = await this.tokens.create(caller.userId, name, expiresAt);
    await this.audit?.record({
      actorUserId: caller.userId,
      actorLabel: caller.email,
      action: TOKEN_CREATED,
      subjectType: 'api_token',
      subjectId: created.id,
      metadata: { user_id: caller.userId, email: caller.email, name, expires_at: expiresAt?.toISOString() ?? null },
    });
    const token = toApiTokenView({ id: created.id, name, createdAt: created.createdAt, lastUsedAt: null, expiresAt }, now);
    return { token, secret: created.token };
  }
}
