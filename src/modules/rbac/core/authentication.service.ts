import { MembershipGrant } from './authorization-policy';
import { Clock } from '../../../shared/core/clock.port';
import { AUTH_LOGIN_FAILED } from '../../../shared/core/audit-trail/audit-actions';
import { AuditLog } from '../../../shared/core/audit-trail/audit-log.port';
import { DEFAULT_LOGIN_THROTTLE, LoginThrottlePolicy, signInCounters, SignInAttempt, ThrottleLimit } from './login-throttle';
import { AttemptCounter } from './ports/attempt-counter.port';
import { PasswordHasher } from './ports/password-hasher.port';
import { SessionRepository } from './ports/session.repository.port';
import { UserRepository } from './ports/user.repository.port';
import { randomSecret, SECRET_PATTERN, sha256Hex } from './secrets';
import {
  DEFAULT_SESSION_POLICY,
  isSessionExpired,
  isSessionRefreshDue,
  sessionExpiry,
  SessionPolicy,
} from './session-policy';
import { emailKey, MAX_EMAIL_LENGTH } from './user-identity';

/** The one wording for a failed sign-in, whether or not the account exists. */
export const INVALID_CREDENTIALS_MESSAGE = 'Invalid email or password.';
export const THROTTLED_MESSAGE = 'Too many sign-in attempts. Try again in a few minutes.';

export interface SignInRequest {
  email: string;
  password: string;
  ip: string;
  /** The session the browser had before signing in; it is ended (session rotation). */
  previousSessionId?: string | null;
}

export type SignInResult =
  | { kind: 'signed_in'; sessionId: string; userId: string }
  | { kind: 'invalid_credentials' }
  | { kind: 'throttled' };

/** The signed-in user behind a session cookie. */
export interface ActiveSession {
  idHash: string;
  userId: string;
  email: string;
  displayName: string;
  csrfToken: string;
  /** The user's grants, read with the session when the repository could (else the caller reads them). */
  grants?: MembershipGrant[];
}

export interface AuthenticationDeps {
  users: UserRepository;
  hasher: PasswordHasher;
  sessions: SessionRepository;
  attempts: AttemptCounter;
  clock: Clock;
  /** Absent until an audit log is wired; sign-in works without it. */
  audit?: AuditLog | null;
  throttle?: Partial<LoginThrottlePolicy>;
  session?: Partial<SessionPolicy>;
}

/** Sign-in with throttling, server-side sessions (create, resolve with idle expiry, end). */
export class AuthenticationService {
  private readonly throttle: LoginThrottlePolicy;
  private readonly sessionPolicy: SessionPolicy;

  constructor(private readonly deps: AuthenticationDeps) {
    this.throttle = { ...DEFAULT_LOGIN_THROTTLE, ...deps.throttle };
    this.sessionPolicy = { ...DEFAULT_SESSION_POLICY, ...deps.session };
  }

  async signIn(request: SignInRequest): Promise<SignInResult> {
    const { users, hasher, clock } = this.deps;
    // Compared lower-case; bounded so a huge form field costs nothing further down.
    const email = emailKey(request.email).slice(0, MAX_EMAIL_LENGTH);
    const ip = request.ip.slice(0, 64);
    const now = clock.now();

    const user = email ? await users.findByEmail(email) : null;
    // Counted before the password is checked: concurrent guesses each take a count first.
    const refusedBy = await this.takeAttempt({ email, source: ip, signedInAt: user?.signedInAt ?? null });
    if (refusedBy) {
      await this.auditFailure(email, ip, `throttled_${refusedBy}`);
      return { kind: 'throttled' };
    }

    const matches = await hasher.verify(request.password, user?.passwordHash ?? null);
    if (!user || !matches) {
      await this.auditFailure(email, ip, user ? 'wrong_password' : 'unknown_email');
      return { kind: 'invalid_credentials' };
    }

    // Moves the account's counters to fresh keys: the owner is back.
    await users.recordSignIn(user.id, now);
    if (request.previousSessionId) await this.signOut(request.previousSessionId);
    await this.deps.sessions.deleteExpiredOfUser(user.id, now);
    const sessionId = randomSecret();
    await this.deps.sessions.create({
      idHash: sha256Hex(sessionId),
      userId: user.id,
      csrfToken: randomSecret(),
      now,
      expiresAt: sessionExpiry(now, this.sessionPolicy),
    });
    return { kind: 'signed_in', sessionId, userId: user.id };
  }

  /** The live session for a cookie value, sliding its idle expiry; null when unknown or expired. */
  async resolveSession(sessionId: string | null | undefined): Promise<ActiveSession | null> {
    if (!sessionId || !SECRET_PATTERN.test(sessionId)) return null;
    const idHash = sha256Hex(sessionId);
    const stored = await this.deps.sessions.findByIdHash(idHash);
    if (!stored) return null;
    const now = this.deps.clock.now();
    if (isSessionExpired(stored.expiresAt, now)) {
      await this.deps.sessions.delete(idHash);
      return null;
    }
    if (isSessionRefreshDue(stored.lastSeenAt, now, this.sessionPolicy)) {
      await this.deps.sessions.touch(idHash, now, sessionExpiry(now, this.sessionPolicy));
    }
    return {
      idHash,
      userId: stored.userId,
      email: stored.email,
      displayName: stored.displayName,
      csrfToken: stored.csrfToken,
      ...(stored.grants ? { grants: stored.grants } : {}),
    };
  }

  async signOut(sessionId: string): Promise<void> {
    if (!SECRET_PATTERN.test(sessionId)) return;
    await this.deps.sessions.delete(sha256Hex(sessionId));
  }

  /** The limit that refuses this attempt, or null; counters after a refusal are not taken. */
  private async takeAttempt(attempt: SignInAttempt): Promise<ThrottleLimit | null> {
    for (const counter of signInCounters(attempt, this.throttle)) {
      if (!(await this.deps.attempts.take(counter.key, counter.max, this.throttle.windowMs))) return counter.limit;
    }
    return null;
  }

  private async auditFailure(email: string, ip: string, reason: string): Promise<void> {
    await this.deps.audit?.record({
      actorUserId: null,
      actorLabel: 'anonymous',
      action: AUTH_LOGIN_FAILED,
      metadata: { email, ip, reason },
    });
  }
}
