import { isDomainError } from '../../../shared/core/domain-error';
import { MEMBERSHIP_ADDED, MEMBERSHIP_REMOVED, MEMBERSHIP_ROLE_CHANGED, TOKEN_CREATED, TOKEN_REVOKED } from '../../../shared/core/audit-trail/audit-actions';
import { AuditLog } from '../../../shared/core/audit-trail/audit-log.port';
import { cleanTokenName } from './api-token';
import { keepsAnOwner } from './member-administration';
import { describeMembershipChange, MembershipChange, parseMembershipRole } from './membership';
import { assertAcceptablePassword } from './password-policy';
import { ApiTokenRepository, ApiTokenSummary } from './ports/api-token.repository.port';
import { MembershipRepository } from './ports/membership.repository.port';
import { PasswordHasher } from './ports/password-hasher.port';
import { TenancyDirectory } from './ports/tenancy-directory.port';
import { UserProfile, UserRecord, UserRepository } from './ports/user.repository.port';
import { RbacErrors, USER_EXISTS_CODE } from './rbac-errors';
import { assertValidDisplayName, assertValidEmail } from './user-identity';

/** Who made an administrative change, for the audit log (`cli`, `demo-seed`, or a user). */
export interface AuditActor {
  userId: string | null;
  label: string;
}

export interface CreateUserCommand {
  email: string;
  password: string;
  displayName: string;
}

export interface SetMembershipCommand {
  email: string;
  workspaceSlug: string;
  role: string;
  /** Omitted or null: every environment of the workspace. */
  environmentSlugs?: string[] | null;
}

export interface MembershipResult {
  membershipId: string;
  userId: string;
  workspaceId: string;
  change: MembershipChange;
}

export interface IdentityAdminDeps {
  users: UserRepository;
  hasher: PasswordHasher;
  memberships: MembershipRepository;
  tokens: ApiTokenRepository;
  tenancy: TenancyDirectory;
  audit?: AuditLog | null;
}

/** Administration of users, memberships and API tokens (CLI, demo seed, later admin pages). */
export class IdentityAdminService {
  constructor(private readonly deps: IdentityAdminDeps) {}

  async createUser(command: CreateUserCommand): Promise<UserProfile> {
    const email = assertValidEmail(command.email);
    const displayName = assertValidDisplayName(command.displayName);
    assertAcceptablePassword(command.password);
    if (await this.deps.users.findByEmail(email)) throw RbacErrors.userExists(email);
    const passwordHash = await this.deps.hasher.hash(command.password);
    const created = await this.deps.users.createIfAbsent({ email, displayName, passwordHash });
    // A concurrent create of the same email loses on the unique index.
    if (!created) throw RbacErrors.userExists(email);
    return created;
  }

  /** Idempotent: the existing user when the email is taken (its password is left alone). */
  async ensureUser(command: CreateUserCommand): Promise<{ user: UserProfile; created: boolean }> {
    const existing = await this.deps.users.findByEmail(command.email);
    if (existing) return { user: profileOf(existing), created: false };
    try {
      return { user: await this.createUser(command), created: true };
    } catch (error) {
      const raced = isDomainError(error) && error.code === USER_EXISTS_CODE ? await this.deps.users.findByEmail(command.email) : null;
      if (raced) return { user: profileOf(raced), created: false };
      throw error;
    }
  }

  /** Adds the user to the workspace, or replaces the role and environment scope of the membership; never demotes the last owner. */
  async setMembership(command: SetMembershipCommand, actor: AuditActor): Promise<MembershipResult> {
    const role = parseMembershipRole(command.role);
    const user = await this.requireUser(command.email);
    const workspace = await this.deps.tenancy.findWorkspaceBySlug(command.workspaceSlug);
    if (!workspace) throw RbacErrors.workspaceNotFound(command.workspaceSlug);
    const environmentIds = command.environmentSlugs ? await this.resolveEnvironments(workspace.id, workspace.slug, command.environmentSlugs) : null;

    const { previous, saved } = await this.deps.memberships.changeGuarded(workspace.id, user.id, ({ ownerIds }) => {
      if (!keepsAnOwner(ownerIds, user.id, role)) throw RbacErrors.lastOwner();
      return { role, environmentIds };
    });
    const change = describeMembershipChange(previous, saved!);
    if (change !== 'unchanged') {
      await this.deps.audit?.record({
        actorUserId: actor.userId,
        actorLabel: actor.label,
        workspaceId: workspace.id,
        // A scope-only change is recorded as a role change too: it changes what the member may do.
        action: change === 'added' ? MEMBERSHIP_ADDED : MEMBERSHIP_ROLE_CHANGED,
        subjectType: 'membership',
        subjectId: saved!.id,
        metadata: {
          user_id: user.id,
          email: user.email,
          role,
          environment_ids: environmentIds,
          ...(previous ? { previous_role: previous.role, previous_environment_ids: previous.environmentIds } : {}),
        },
      });
    }
    return { membershipId: saved!.id, userId: user.id, workspaceId: workspace.id, change };
  }

  /** Removes the user from the workspace (the account stays); never the last owner (`last_owner`). */
  async removeMembership(email: string, workspaceSlug: string, actor: AuditActor): Promise<void> {
    const user = await this.requireUser(email);
    const workspace = await this.deps.tenancy.findWorkspaceBySlug(workspaceSlug);
    if (!workspace) throw RbacErrors.workspaceNotFound(workspaceSlug);
    const { previous } = await this.deps.memberships.changeGuarded(workspace.id, user.id, ({ current, ownerIds }) => {
      if (!current) throw RbacErrors.notAMember(user.email, workspace.slug);
      if (!keepsAnOwner(ownerIds, user.id, null)) throw RbacErrors.lastOwner();
      return null;
    });
    await this.deps.audit?.record({
      actorUserId: actor.userId,
      actorLabel: actor.label,
      workspaceId: workspace.id,
      action: MEMBERSHIP_REMOVED,
      subjectType: 'membership',
      subjectId: previous!.id,
      metadata: { user_id: user.id, email: user.email, role: previous!.role, environment_ids: previous!.environmentIds },
    });
  }

  async createApiToken(email: string, name: string, actor: AuditActor): Promise<{ id: string; token: string; userId: string }> {
    const label = cleanTokenName(name);
    const user = await this.requireUser(email);
    const { id, token } = await this.deps.tokens.create(user.id, label);
    await this.deps.audit?.record({
      actorUserId: actor.userId,
      actorLabel: actor.label,
      action: TOKEN_CREATED,
      subjectType: 'api_token',
      subjectId: id,
      metadata: { user_id: user.id, email: user.email, name: label },
    });
    return { id, token, userId: user.id };
  }

  /** The user's tokens that are not revoked (expired ones included), newest first; never a secret. */
  async listApiTokens(email: string): Promise<{ userId: string; tokens: ApiTokenSummary[] }> {
    const user = await this.requireUser(email);
    return { userId: user.id, tokens: await this.deps.tokens.listOfUser(user.id) };
  }

  async revokeApiToken(id: string, actor: AuditActor): Promise<void> {
    if (!(await this.deps.tokens.revoke(id))) {
      throw RbacErrors.tokenNotFound(id);
    }
    await this.deps.audit?.record({
      actorUserId: actor.userId,
      actorLabel: actor.label,
      action: TOKEN_REVOKED,
      subjectType: 'api_token',
      subjectId: id,
    });
  }

  private async requireUser(email: string): Promise<UserRecord> {
    const user = await this.deps.users.findByEmail(email);
    if (!user) throw RbacErrors.userNotFound(email);
    return user;
  }

  private async resolveEnvironments(workspaceId: string, workspaceSlug: string, slugs: string[]): Promise<string[]> {
    const wanted = [...new Set(slugs.map((s) => s.trim()).filter(Boolean))];
    if (!wanted.length) throw RbacErrors.noEnvironmentsListed();
    const ids: string[] = [];
    for (const slug of wanted) {
      const environment = await this.deps.tenancy.findEnvironmentBySlug(workspaceId, slug);
      if (!environment) {
        throw RbacErrors.environmentNotFound(slug, workspaceSlug);
      }
      ids.push(environment.id);
    }
    return ids;
  }
}

function profileOf(user: UserRecord): UserProfile {
  return { id: user.id, email: user.email, displayName: user.displayName };
}
