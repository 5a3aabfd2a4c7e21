import { grantFor, MembershipGrant } from '../core/authorization-policy';
import { CAPABILITIES } from '../core/capabilities';
import { AccessControl, WorkspaceAccess } from '../core/access-control';
import { AccessContext } from '../core/access-context';
import { EnvironmentScope } from '../core/member-administration';
import { MembershipRole } from '../core/membership';
import { EnvironmentListing } from '../core/ports/environment-listing.port';
import { Invitation } from '../core/ports/invitation.repository.port';
import { EnvironmentRef } from '../core/ports/tenancy-directory.port';
import { RbacErrors } from '../core/rbac-errors';

/** `"all"`, or the slugs of the environments a membership is limited to. */
export type EnvironmentsView = 'all' | string[];

export interface MemberView {
  user: { id: string; email: string; display_name: string };
  role: MembershipRole;
  environments: EnvironmentsView;
}

export interface InvitationView {
  id: string;
  email: string;
  role: MembershipRole;
  environments: EnvironmentsView;
  created_at: string;
  expires_at: string;
  invited_by: { id: string; email: string } | null;
}

/** The workspace as a members.manage holder sees it: their own grant and the environments they may hand out. */
export interface MembersAdmin {
  ws: WorkspaceAccess;
  actor: MembershipGrant;
  /** The environments inside the caller's scope, by slug. */
  environments: EnvironmentRef[];
}

/** 404 outside the caller's workspaces, 403 without members.manage. */
export async function membersAdminOf(
  access: AccessControl,
  environments: EnvironmentListing,
  caller: AccessContext,
  workspaceSlug: string,
): Promise<MembersAdmin> {
  const ws = await access.workspaceOf(caller, workspaceSlug);
  access.require(ws.grants, { workspaceId: ws.workspace.id, capability: CAPABILITIES.MEMBERS_MANAGE });
  return { ws, actor: grantFor(ws.grants, ws.workspace.id)!, environments: await environments.listEnvironments(ws.workspace.id, ws.scope) };
}

/**
 * `"all"` or omitted → every environment (null); a list of slugs → their ids, each one the caller
 * can see (an unknown and a hidden slug answer alike: unknown_environment).
 */
export function scopeFromSlugs(requested: EnvironmentsView | undefined, visible: EnvironmentRef[]): EnvironmentScope {
  if (requested === undefined || requested === 'all') return null;
  const wanted = [...new Set(requested.map((s) => s.trim()).filter(Boolean))];
  if (!wanted.length) throw RbacErrors.noEnvironmentsListed();
  return wanted.map((slug) => {
    const environment = visible.find((e) => e.slug === slug);
    if (!environment) throw RbacErrors.unknownEnvironment(slug);
    return environment.id;
  });
}

/** Slugs of a scope, keeping to environments the caller can see (a limited viewer learns no other slug). */
export function environmentsView(scope: EnvironmentScope, visible: EnvironmentRef[]): EnvironmentsView {
  if (scope === null) return 'all';
  const ids = new Set(scope);
  return visible.filter((e) => ids.has(e.id)).map((e) => e.slug);
}

export function invitationView(invitation: Invitation, visible: EnvironmentRef[]): InvitationView {
  return {
    id: invitation.id,
    email: invitation.email,
    role: invitation.role,
    environments: environmentsView(invitation.environmentIds, visible),
    created_at: invitation.createdAt.toISOString(),
    expires_at: invitation.expiresAt.toISOString(),
    invited_by: invitation.invitedBy,
  };
}
