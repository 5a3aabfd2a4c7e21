import { AccessControl } from './access-control';
import { Capability } from './capabilities';
import { EnvironmentListing } from './ports/environment-listing.port';
import { EnvironmentRef, TenancyDirectory, WorkspaceRef } from './ports/tenancy-directory.port';

export interface MemberWorkspace extends WorkspaceRef {
  role: string;
  allEnvironments: boolean;
  capabilities: Capability[];
}

/** What a principal may see of the tenancy: only member workspaces, only entitled environments. */
export class MemberScopeQueries {
  constructor(
    private readonly access: AccessControl,
    private readonly tenancy: TenancyDirectory,
    private readonly environments: EnvironmentListing,
  ) {}

  async workspacesOf(userId: string): Promise<MemberWorkspace[]> {
    const grants = await this.access.grantsOf(userId);
    const workspaces = await this.tenancy.findWorkspacesByIds(grants.map((g) => g.workspaceId));
    return workspaces
      .map((w) => {
        const grant = grants.find((g) => g.workspaceId === w.id)!;
        return {
          ...w,
          role: grant.role,
          allEnvironments: grant.environmentIds === 'all',
          capabilities: this.access.policy.capabilitiesIn(grants, w.id),
        };
      })
      .sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
  }

  /** Not found (the same as an unknown slug) for a workspace the user is not a member of. */
  async environmentsOf(userId: string, workspaceSlug: string): Promise<EnvironmentRef[]> {
    const access = await this.access.workspace(userId, workspaceSlug);
    return this.environments.listEnvironments(access.workspace.id, access.scope);
  }
}
