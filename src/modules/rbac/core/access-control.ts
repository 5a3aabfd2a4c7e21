import {
  AuthorizationDecision,
  AuthorizationPolicy,
  AuthorizationRequest,
  MembershipGrant,
  ScopeFilter,
} from './authorization-policy';
import { AccessContext } from './access-context';
import { Capability } from './capabilities';
import { EnvironmentListing } from './ports/environment-listing.port';
import { MembershipGrants } from './ports/membership-grants.port';
import { EnvironmentRef, TenancyDirectory, WorkspaceRef } from './ports/tenancy-directory.port';
import { RbacErrors } from './rbac-errors';

/** A principal's standing in one workspace, resolved once per request. */
export interface WorkspaceAccess {
  userId: string;
  workspace: WorkspaceRef;
  grants: MembershipGrant[];
  scope: ScopeFilter;
  capabilities: Capability[];
}

/**
 * Resolves slugs under deny-as-not-found: an unknown workspace or environment and one the user
 * may not see raise the same error, so responses never reveal what exists.
 */
export class AccessControl {
  constructor(
    private readonly memberships: MembershipGrants,
    private readonly tenancy: TenancyDirectory,
    readonly policy: AuthorizationPolicy,
    /** When given, environment slugs resolve on the caller's (held) environment list. */
    private readonly environments?: EnvironmentListing,
  ) {}

  grantsOf(userId: string): Promise<MembershipGrant[]> {
    return this.memberships.grantsOf(userId);
  }

  async workspace(userId: string, slug: string): Promise<WorkspaceAccess> {
    // Grants first: reading them also tells the directory the member workspaces' rows, so a
    // member's slug lookup costs no second round trip.
    return this.workspaceOf({ userId, grants: await this.grantsOf(userId) }, slug);
  }

  /** The same, for a caller whose grants this request already resolved (an access context). */
  async workspaceOf(caller: Pick<AccessContext, 'userId' | 'grants'>, slug: string): Promise<WorkspaceAccess> {
    const grants = [...caller.grants];
    const workspace = await this.memberWorkspaceBySlug(grants, slug);
    const scope = workspace ? this.policy.scopeFilter(grants, workspace.id) : null;
    if (!workspace || !scope) throw RbacErrors.notFound();
    return { userId: caller.userId, workspace, grants, scope, capabilities: this.policy.capabilitiesIn(grants, workspace.id) };
  }

  /** Grants read with their workspace rows name the member workspaces: no lookup, and no other workspace exists for the caller. */
  private async memberWorkspaceBySlug(grants: MembershipGrant[], slug: string): Promise<WorkspaceRef | null> {
    if (grants.every((g) => g.workspace)) return grants.find((g) => g.workspace!.slug === slug)?.workspace ?? null;
    return this.tenancy.findWorkspaceBySlug(slug);
  }

  /** Resolves an environment slug only inside the user's entitlement. */
  async environment(access: WorkspaceAccess, slug: string): Promise<EnvironmentRef> {
    const environment = this.environments
      ? (await this.environments.listEnvironments(access.workspace.id, access.scope)).find((e) => e.slug === slug)
      : await this.tenancy.findEnvironmentBySlug(access.workspace.id, slug);
    if (!environment || !this.policy.isInScope(access.grants, access.workspace.id, environment.id)) {
      throw RbacErrors.notFound();
    }
    return environment;
  }

  /** The environments the caller may see in the workspace, by slug (archived ones marked). */
  async environmentsOf(access: WorkspaceAccess): Promise<EnvironmentRef[]> {
    if (this.environments) return this.environments.listEnvironments(access.workspace.id, access.scope);
    throw new Error('AccessControl needs an environment listing to list environments');
  }

  decide(grants: readonly MembershipGrant[], request: AuthorizationRequest): AuthorizationDecision {
    return this.policy.authorize(grants, request);
  }

  /** Throws not_found (404) or forbidden (403) unless allowed. */
  require(grants: readonly MembershipGrant[], request: AuthorizationRequest): void {
    const decision = this.decide(grants, request);
    if (decision.allowed) return;
    throw decision.reason === 'not_found' ? RbacErrors.notFound() : RbacErrors.forbidden(request.capability);
  }
}
