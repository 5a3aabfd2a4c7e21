import { Inject, Injectable } from '@nestjs/common';
import { Clock, CLOCK } from '../../../shared/core/clock.port';
import { TENANCY_DIRECTORY, TenancyDirectory } from '../../rbac/core/ports/tenancy-directory.port';
import { USER_PROFILES, UserProfiles } from '../../rbac/core/ports/user-profiles.port';
import { OperationCatalog } from '../core/operation-catalog';
import { OperationRun } from '../core/operation-run';
import { RunResource, toRunResource } from '../core/run-resource';

/** Turns runs into the one JSON shape (CLI now, API later), loading their scope names in bulk. */
@Injectable()
export class RunResourceAssembler {
  constructor(
    @Inject(TENANCY_DIRECTORY) private readonly tenancy: TenancyDirectory,
    @Inject(OperationCatalog) private readonly catalog: OperationCatalog,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(USER_PROFILES) private readonly users: UserProfiles,
  ) {}

  async one(run: OperationRun, opts: { includeDiagnostics?: boolean } = {}): Promise<RunResource> {
    const [resource] = await this.many([run], opts);
    return resource;
  }

  async many(runs: OperationRun[], opts: { includeDiagnostics?: boolean } = {}): Promise<RunResource[]> {
    const unique = <T>(values: T[]) => [...new Set(values)];
    const [workspaces, environments, initiators] = await Promise.all([
      this.tenancy.findWorkspacesByIds(unique(runs.map((r) => r.workspaceId))),
      this.tenancy.findEnvironmentsByIds(unique(runs.flatMap((r) => (r.environmentId ? [r.environmentId] : [])))),
      this.users.findProfiles(unique(runs.flatMap((r) => (r.initiatorUserId ? [r.initiatorUserId] : [])))),
    ]);
    const initiatorById = new Map(initiators.map((u) => [u.id, u]));
    const workspaceById = new Map(workspaces.map((w) => [w.id, w]));
    const environmentById = new Map(environments.map((e) => [e.id, e]));
    const now = this.clock.now();
    return runs.map((run) => {
      const workspace = workspaceById.get(run.workspaceId);
      const environment = run.environmentId ? environmentById.get(run.environmentId) : undefined;
      return toRunResource(
        run,
        {
          workspace: workspace ? { id: workspace.id, slug: workspace.slug, name: workspace.name } : null,
          environment: environment ? { id: environment.id, slug: environment.slug, name: environment.displayName } : null,
          initiator: run.initiatorUserId
            ? { id: run.initiatorUserId, name: initiatorById.get(run.initiatorUserId)?.displayName ?? 'Deleted user' }
            : null,
        },
        this.catalog.resolve(run.type),
        now,
        opts,
      );
    });
  }
}
