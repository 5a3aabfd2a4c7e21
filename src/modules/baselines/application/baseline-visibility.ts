import { Inject, Injectable } from '@nestjs/common';
import { AccessContext } from '../../rbac/core/access-context';
import { AccessControl, WorkspaceAccess } from '../../rbac/core/access-control';
import { RbacErrors } from '../../rbac/core/rbac-errors';
import { CAPABILITIES } from '../../rbac/core/capabilities';
import { EnvironmentRef, TENANCY_DIRECTORY, TenancyDirectory } from '../../rbac/core/ports/tenancy-directory.port';
import { BASELINE_PROFILE_REPOSITORY, BaselineProfile, BaselineProfileRepository } from '../core/ports/baseline-profile.repository.port';

/**
 * The visibility rules every baselines use case shares: unknown and hidden workspaces and
 * profiles answer one 404; a profile is visible (operations.view) with its source environment.
 */
@Injectable()
export class BaselineVisibility {
  constructor(
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(TENANCY_DIRECTORY) private readonly tenancy: TenancyDirectory,
    @Inject(BASELINE_PROFILE_REPOSITORY) private readonly profiles: BaselineProfileRepository,
  ) {}

  /** The workspace under deny-as-not-found, for a member whose role has operations.view. */
  async viewer(caller: AccessContext, workspaceSlug: string): Promise<WorkspaceAccess> {
    const ws = await this.access.workspaceOf(caller, workspaceSlug);
    this.access.require(ws.grants, { workspaceId: ws.workspace.id, capability: CAPABILITIES.OPERATIONS_VIEW });
    return ws;
  }

  async profile(caller: AccessContext, workspaceSlug: string, id: string): Promise<{ ws: WorkspaceAccess; profile: BaselineProfile }> {
    const ws = await this.access.workspaceOf(caller, workspaceSlug);
    const profile = await this.profiles.findInWorkspace(ws.workspace.id, id);
    if (!profile) throw RbacErrors.notFound();
    this.access.require(ws.grants, {
      workspaceId: ws.workspace.id,
      environmentId: profile.sourceEnvironmentId,
      capability: CAPABILITIES.OPERATIONS_VIEW,
    });
    return { ws, profile };
  }

  /** Only the environments the caller may see, or undefined when it sees them all. */
  visibleEnvironmentIds(ws: WorkspaceAccess): string[] | undefined {
    return ws.scope.allEnvironments ? undefined : ws.scope.environmentIds;
  }

  async environmentsById(ids: string[]): Promise<Map<string, EnvironmentRef>> {
    const unique = [...new Set(ids)];
    const found = unique.length ? await this.tenancy.findEnvironmentsByIds(unique) : [];
    return new Map(found.map((e) => [e.id, e]));
  }
}
