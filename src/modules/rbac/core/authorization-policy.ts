import { WorkspaceRef } from './ports/tenancy-directory.port';
import { Capability } from './capabilities';
import { isRole, RoleCapabilityMap } from './roles';

/** What one membership grants: a role in a workspace, over all or some of its environments. */
export interface MembershipGrant {
  workspaceId: string;
  role: string;
  environmentIds: 'all' | string[];
  /** The workspace's row, when the grants were read with it (the session and token lookups do). */
  workspace?: WorkspaceRef;
  /** The workspace's environments_version as these grants read it (see EnvironmentListing). */
  environmentsVersion?: string;
}

/**
 * `environmentId` omitted: the workspace itself (any member is in scope).
 * `environmentId: null`: a workspace-level resource that belongs to no environment (a run without
 * an environment); only members entitled to every environment may see it, because a limited
 * membership must not infer anything beyond its environments.
 */
export interface AuthorizationRequest {
  workspaceId: string;
  environmentId?: string | null;
  capability: string;
}

export type DenialReason = 'not_found' | 'forbidden';
export type AuthorizationDecision = { allowed: true } | { allowed: false; reason: DenialReason };

/** What list queries filter on; null when the principal is not a member of the workspace. */
export interface ScopeFilter {
  allEnvironments: boolean;
  environmentIds: string[];
  /** The workspace's environments_version the caller's grants were read with, when known. */
  environmentsVersion?: string;
}

export function grantFor(grants: readonly MembershipGrant[], workspaceId: string): MembershipGrant | null {
  return grants.find((g) => g.workspaceId === workspaceId) ?? null;
}

/** Deny-as-not-found: out of scope is indistinguishable from "does not exist". */
export function isInScope(
  grants: readonly MembershipGrant[],
  workspaceId: string,
  environmentId?: string | null,
): boolean {
  const grant = grantFor(grants, workspaceId);
  if (!grant) return false;
  if (environmentId === undefined || grant.environmentIds === 'all') return true;
  if (environmentId === null) return false;
  return grant.environmentIds.includes(environmentId);
}

export function capabilitiesIn(
  grants: readonly MembershipGrant[],
  roles: RoleCapabilityMap,
  workspaceId: string,
): Capability[] {
  const grant = grantFor(grants, workspaceId);
  // A role the map does not know (e.g. written by a newer version) grants nothing.
  if (!grant || !isRole(grant.role)) return [];
  return [...roles[grant.role]];
}

/** Not a member or not entitled → not_found; in scope without the capability → forbidden. */
export function authorize(
  grants: readonly MembershipGrant[],
  roles: RoleCapabilityMap,
  request: AuthorizationRequest,
): AuthorizationDecision {
  if (!isInScope(grants, request.workspaceId, request.environmentId)) return { allowed: false, reason: 'not_found' };
  const held = capabilitiesIn(grants, roles, request.workspaceId) as string[];
  return held.includes(request.capability) ? { allowed: true } : { allowed: false, reason: 'forbidden' };
}

export function scopeFilter(grants: readonly MembershipGrant[], workspaceId: string): ScopeFilter | null {
  const grant = grantFor(grants, workspaceId);
  if (!grant) return null;
  const version = grant.environmentsVersion === undefined ? {} : { environmentsVersion: grant.environmentsVersion };
  return grant.environmentIds === 'all'
    ? { allEnvironments: true, environmentIds: [], ...version }
    : { allEnvironments: false, environmentIds: [...grant.environmentIds], ...version };
}

/** The policy with its role map bound, as modules inject it. */
export class AuthorizationPolicy {
  constructor(readonly roles: RoleCapabilityMap) {}

  authorize(grants: readonly MembershipGrant[], request: AuthorizationRequest): AuthorizationDecision {
    return authorize(grants, this.roles, request);
  }

  capabilitiesIn(grants: readonly MembershipGrant[], workspaceId: string): Capability[] {
    return capabilitiesIn(grants, this.roles, workspaceId);
  }

  scopeFilter(grants: readonly MembershipGrant[], workspaceId: string): ScopeFilter | null {
    return scopeFilter(grants, workspaceId);
  }

  isInScope(grants: readonly MembershipGrant[], workspaceId: string, environmentId?: string | null): boolean {
    return isInScope(grants, workspaceId, environmentId);
  }
}
