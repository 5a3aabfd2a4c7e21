import { Inject, Injectable } from '@nestjs/common';
import { AccessContext, memberWorkspacesOf } from '../core/access-context';
import { AccessControl } from '../core/access-control';
import { Capability } from '../core/capabilities';
import { TENANCY_DIRECTORY, TenancyDirectory, WorkspaceRef } from '../core/ports/tenancy-directory.port';

export interface MemberWorkspace extends WorkspaceRef {
  role: string;
  allEnvironments: boolean;
  capabilities: Capability[];
}

/** The caller's member workspaces, by slug, with role and capabilities; nothing else exists for them. */
@Injectable()
export class ListMemberWorkspaces {
  constructor(
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(TENANCY_DIRECTORY) private readonly tenancy: TenancyDirectory,
  ) {}

  async execute(caller: Pick<AccessContext, 'grants'>): Promise<MemberWorkspace[]> {
    const grants = [...caller.grants];
    // Grants read with their workspace rows (session, token) name them; others are looked up.
    const workspaces = grants.every((g) => g.workspace)
      ? memberWorkspacesOf(caller)
      : await this.tenancy.findWorkspacesByIds(grants.map((g) => g.workspaceId));
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
}
