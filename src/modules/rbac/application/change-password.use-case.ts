import { Inject, Injectable, Optional } from '@nestjs/common';
import { AUTH_PASSWORD_CHANGE_REFUSED, AUTH_PASSWORD_CHANGED } from '../../../shared/core/audit-trail/audit-actions';
import { AUDIT_LOG, AuditLog } from '../../../shared/core/audit-trail/audit-log.port';
import { AccessContext } from '../core/access-context';
import { ATTEMPT_COUNTER, AttemptCounter } from '../core/ports/attempt-counter.port';
import { assertAcceptablePassword } from '../core/password-policy';
import { PASSWORD_HASHER, PasswordHasher } from '../core/ports/password-hasher.port';
import { USER_REPOSITORY, UserRepository } from '../core/ports/user.repository.port';
import { RbacErrors } from '../core/rbac-errors';
import { SECRET_PATTERN, sha256Hex } from '../core/secrets';

export interface ChangePasswordCommand {
  currentPassword: string;
  newPassword: string;
  /** The session cookie the change was made from: it stays signed in. Null ends every session. */
  currentSessionId: string | null;
}

/**
 * A session is not proof of knowing the password (a borrowed laptop, a stolen cookie): without a
 * limit it would let the current password be guessed here, unthrottled, and then changed. Five
 * attempts per user per 15 minutes, successful ones included — as strict as sign-in's per-source
 * limit, and no honest user changes their password five times in a quarter of an hour.
 */
export const PASSWORD_CHANGE_ATTEMPTS = { max: 5, windowMs: 15 * 60 * 1000 };

export interface PasswordChanged {
  /** How many other sessions of the user were signed out. */
  ended_sessions: number;
}

/**
 * Changes the caller's password: the current one must match (`wrong_current_password`), the new
 * one must meet the password policy (`weak_password`); at most PASSWORD_CHANGE_ATTEMPTS tries
 * (`too_many_attempts`). Every other session of the user ends in the
 * same transaction; the one the change came from stays. Audited either way, never with a password.
 */
@Injectable()
export class ChangePassword {
  constructor(
    @Inject(USER_REPOSITORY) private readonly users: UserRepository,
    @Inject(PASSWORD_HASHER) private readonly hasher: PasswordHasher,
    @Inject(ATTEMPT_COUNTER) private readonly attempts: AttemptCounter,
    @Optional() @Inject(AUDIT_LOG) private readonly audit: AuditLog | null,
  ) {}

  async execute(caller: AccessContext, command: ChangePasswordCommand): Promise<PasswordChanged> {
    // Counted before the password is checked (an unavailable store refuses: see AttemptCounter).
    const { max, windowMs } = PASSWORD_CHANGE_ATTEMPTS;
    if (!(await this.attempts.take(`password_change:${sha256Hex(caller.userId)}`, max, windowMs))) {
      await this.record(caller, AUTH_PASSWORD_CHANGE_REFUSED, { reason: 'too_many_attempts' });
      throw RbacErrors.passwordChangeThrottled();
    }
    const user = await this.users.findById(caller.userId);
    if (!(await this.hasher.verify(command.currentPassword, user?.passwordHash ?? null)) || !user) {
      await this.record(caller, AUTH_PASSWORD_CHANGE_REFUSED, { reason: 'wrong_current_password' });
      throw RbacErrors.wrongCurrentPassword();
    }
    assertAcceptablePassword(command.newPassword);
    const passwordHash = await this.hasher.hash(command.newPassword);
    const keep = command.currentSessionId && SECRET_PATTERN.test(command.currentSessionId) ? sha256Hex(command.currentSessionId) : null;
    const { endedSessions } = await this.users.replacePassword(user.id, passwordHash, keep);
    await this.record(caller, AUTH_PASSWORD_CHANGED, { ended_sessions: endedSessions });
    return { ended_sessions: endedSessions };
  }

  private async record(caller: AccessContext, action: string, metadata: Record<string, unknown>): Promise<void> {
    await this.audit?.record({
      actorUserId: caller.userId,
      actorLabel: caller.email,
      action,
      subjectType: 'user',
      subjectId: caller.userId,
      metadata: { user_id: caller.userId, ...metadata },
    });
  }
}
