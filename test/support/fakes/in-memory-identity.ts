import { randomUUID } from 'node:crypto';
import { AuditEventInput, AuditLog } from '../../../src/shared/core/audit-trail/audit-log.port';
import { hashApiToken, newApiToken } from '../../../src/modules/rbac/core/api-token';
import { Membership } from '../../../src/modules/rbac/core/membership';
import { ApiTokenRepository, ApiTokenSummary } from '../../../src/modules/rbac/core/ports/api-token.repository.port';
import { AttemptCounter } from '../../../src/modules/rbac/core/ports/attempt-counter.port';
import {
  MembershipChangeNext,
  MembershipChangeState,
  MembershipRepository,
  MembershipUpsert,
  WorkspaceMember,
} from '../../../src/modules/rbac/core/ports/membership.repository.port';
import { PasswordHasher } from '../../../src/modules/rbac/core/ports/password-hasher.port';
import { NewSession, SessionRepository, StoredSession } from '../../../src/modules/rbac/core/ports/session.repository.port';
import { EnvironmentRef, TenancyDirectory, WorkspaceRef } from '../../../src/modules/rbac/core/ports/tenancy-directory.port';
import { NewUser, UserProfile, UserRecord, UserRepository } from '../../../src/modules/rbac/core/ports/user.repository.port';

/** In-memory fakes of the identity ports, for core specs. */
export class InMemoryUsers implements UserRepository {
  readonly rows: UserRecord[] = [];
  /** Set by the sessions fake built over these users, so a password change can end sessions. */
  sessions?: InMemorySessions;

  async findByEmail(email: string): Promise<UserRecord | null> {
    return this.rows.find((u) => u.email.toLowerCase() === email.trim().toLowerCase()) ?? null;
  }

  async createIfAbsent(user: NewUser): Promise<UserProfile | null> {
    if (await this.findByEmail(user.email)) return null;
    const row = { id: randomUUID(), ...user, signedInAt: null };
    this.rows.push(row);
    return { id: row.id, email: row.email, displayName: row.displayName };
  }

  async recordSignIn(userId: string, at: Date): Promise<void> {
    const row = this.rows.find((u) => u.id === userId);
    if (row) row.signedInAt = at;
  }

  async findById(id: string): Promise<UserRecord | null> {
    return this.rows.find((u) => u.id === id) ?? null;
  }

  async replacePassword(userId: string, passwordHash: string, keepSessionIdHash: string | null): Promise<{ endedSessions: number }> {
    const row = this.rows.find((u) => u.id === userId);
    if (!row) return { endedSessions: 0 };
    row.passwordHash = passwordHash;
    let endedSessions = 0;
    for (const [key, session] of this.sessions?.rows ?? []) {
      if (session.userId === userId && key !== keepSessionIdHash) {
        this.sessions!.rows.delete(key);
        endedSessions++;
      }
    }
    return { endedSessions };
  }
}

/** "Hashes" by prefixing, so specs can see what was stored; counts verifications. */
export class FakeHasher implements PasswordHasher {
  verifications = 0;

  async hash(password: string): Promise<string> {
    return `hashed:${password}`;
  }

  async verify(password: string, hash: string | null): Promise<boolean> {
    this.verifications++;
    return hash !== null && hash === `hashed:${password}`;
  }
}

export class InMemorySessions implements SessionRepository {
  readonly rows = new Map<string, NewSession & { lastSeenAt: Date }>();
  touches = 0;

  constructor(private readonly users: InMemoryUsers) {
    users.sessions = this;
  }

  async create(session: NewSession): Promise<void> {
    this.rows.set(session.idHash, { ...session, lastSeenAt: session.now });
  }

  async findByIdHash(idHash: string): Promise<StoredSession | null> {
    const row = this.rows.get(idHash);
    const user = row && this.users.rows.find((u) => u.id === row.userId);
    if (!row || !user) return null;
    return { idHash, userId: user.id, email: user.email, displayName: user.displayName, csrfToken: row.csrfToken, lastSeenAt: row.lastSeenAt, expiresAt: row.expiresAt };
  }

  async touch(idHash: string, lastSeenAt: Date, expiresAt: Date): Promise<void> {
    const row = this.rows.get(idHash);
    if (row) Object.assign(row, { lastSeenAt, expiresAt });
    this.touches++;
  }

  async delete(idHash: string): Promise<void> {
    this.rows.delete(idHash);
  }

  async deleteExpiredOfUser(userId: string, now: Date): Promise<void> {
    for (const [key, row] of this.rows) if (row.userId === userId && row.expiresAt <= now) this.rows.delete(key);
  }
}

/** Fixed-window counters on the fake clock, with the Redis storage's rule: once over, refused for a window. */
export class InMemoryAttemptCounter implements AttemptCounter {
  readonly windows = new Map<string, { startedAt: number; count: number; blockedUntil: number }>();

  constructor(private readonly clock: { now(): Date }) {}

  async take(key: string, max: number, windowMs: number): Promise<boolean> {
    const now = this.clock.now().getTime();
    let entry = this.windows.get(key);
    if (!entry || (now >= entry.startedAt + windowMs && now >= entry.blockedUntil)) {
      entry = { startedAt: now, count: 0, blockedUntil: 0 };
      this.windows.set(key, entry);
    }
    entry.count++;
    if (now < entry.blockedUntil) return false;
    if (entry.count > max) {
      entry.blockedUntil = now + windowMs;
      return false;
    }
    return true;
  }
}

export class InMemoryMemberships implements MembershipRepository {
  readonly rows: Membership[] = [];

  async find(userId: string, workspaceId: string): Promise<Membership | null> {
    const row = this.rows.find((m) => m.userId === userId && m.workspaceId === workspaceId);
    return row ? { ...row } : null;
  }

  async upsert(m: MembershipUpsert): Promise<Membership> {
    let row = this.rows.find((r) => r.userId === m.userId && r.workspaceId === m.workspaceId);
    if (!row) {
      row = { id: randomUUID(), userId: m.userId, workspaceId: m.workspaceId, role: m.role, environmentIds: null };
      this.rows.push(row);
    }
    Object.assign(row, { role: m.role, environmentIds: m.environmentIds ? [...m.environmentIds] : null });
    return { ...row };
  }

  /** Profiles are not known here: the user id stands in for email and name. */
  async listOfWorkspace(workspaceId: string): Promise<WorkspaceMember[]> {
    return this.rows
      .filter((r) => r.workspaceId === workspaceId)
      .map((r) => ({ userId: r.userId, email: r.userId, displayName: r.userId, role: r.role, environmentIds: r.environmentIds }));
  }

  /** Single-threaded: the check and the write cannot interleave with another change. */
  async changeGuarded(
    workspaceId: string,
    userId: string,
    decide: (state: MembershipChangeState) => MembershipChangeNext | null,
  ): Promise<{ previous: Membership | null; saved: Membership | null }> {
    const previous = await this.find(userId, workspaceId);
    const ownerIds = this.rows.filter((r) => r.workspaceId === workspaceId && r.role === 'owner').map((r) => r.userId);
    const next = decide({ current: previous, ownerIds });
    if (next) return { previous, saved: await this.upsert({ ...next, userId, workspaceId }) };
    const index = this.rows.findIndex((r) => r.userId === userId && r.workspaceId === workspaceId);
    if (index >= 0) this.rows.splice(index, 1);
    return { previous, saved: null };
  }
}

export class InMemoryApiTokens extends ApiTokenRepository {
  readonly rows: { id: string; userId: string; name: string; tokenHash: string; revoked: boolean; createdAt: Date; expiresAt: Date | null }[] = [];

  async create(userId: string, name: string, expiresAt: Date | null = null): Promise<{ id: string; token: string; createdAt: Date }> {
    const token = newApiToken();
    const id = randomUUID();
    const createdAt = new Date();
    this.rows.push({ id, userId, name, tokenHash: hashApiToken(token), revoked: false, createdAt, expiresAt });
    return { id, token, createdAt };
  }

  async listOfUser(userId: string): Promise<ApiTokenSummary[]> {
    return this.rows
      .filter((r) => r.userId === userId && !r.revoked)
      .map((r) => ({ id: r.id, name: r.name, createdAt: r.createdAt, lastUsedAt: null, expiresAt: r.expiresAt }))
      .reverse();
  }

  async revokeOfUser(userId: string, id: string): Promise<boolean> {
    const row = this.rows.find((r) => r.id === id && r.userId === userId && !r.revoked);
    if (row) row.revoked = true;
    return Boolean(row);
  }

  async findActiveByHash(hash: string): Promise<{ id: string; userId: string } | null> {
    const row = this.rows.find((r) => r.tokenHash === hash && !r.revoked);
    return row ? { id: row.id, userId: row.userId } : null;
  }

  /** Tokens alone know no user profiles: the owner is reported by id, with the id as its name. */
  async authenticate(hash: string): Promise<{ tokenId: string; user: { id: string; email: string; displayName: string } } | null> {
    const row = this.rows.find((r) => r.tokenHash === hash && !r.revoked);
    return row ? { tokenId: row.id, user: { id: row.userId, email: row.userId, displayName: row.userId } } : null;
  }

  async revoke(id: string): Promise<boolean> {
    const row = this.rows.find((r) => r.id === id && !r.revoked);
    if (row) row.revoked = true;
    return Boolean(row);
  }
}

export class InMemoryTenancy implements TenancyDirectory {
  constructor(
    readonly workspaces: WorkspaceRef[],
    readonly environments: EnvironmentRef[],
  ) {}

  async findWorkspaceBySlug(slug: string): Promise<WorkspaceRef | null> {
    return this.workspaces.find((w) => w.slug === slug) ?? null;
  }

  async findEnvironmentBySlug(workspaceId: string, slug: string): Promise<EnvironmentRef | null> {
    return this.environments.find((e) => e.workspaceId === workspaceId && e.slug === slug) ?? null;
  }

  async findWorkspacesByIds(ids: string[]): Promise<WorkspaceRef[]> {
    return this.workspaces.filter((w) => ids.includes(w.id));
  }

  async findEnvironmentsByIds(ids: string[]): Promise<EnvironmentRef[]> {
    return this.environments.filter((e) => ids.includes(e.id));
  }
}

export class RecordingAuditLog implements AuditLog {
  readonly events: AuditEventInput[] = [];

  async record(event: AuditEventInput): Promise<void> {
    this.events.push(event);
  }

  async recordMany(events: AuditEventInput[]): Promise<void> {
    this.events.push(...events);
  }
}
