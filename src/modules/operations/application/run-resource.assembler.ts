import { Inject, Injectable } from '@nestjs/common';
import { Clock, CLOCK } from '../../../shared/core/clock.port';
import { TENANCY_DIRECTORY, TenancyDirectory, WorkspaceRef } from '../../rbac/core/ports/tenancy-directory.port';
import { USER_PROFILES, UserProfiles } from '../../rbac/core/ports/user-profiles.port';
import { OperationCatalog } from '../core/operation-catalog';
import { OperationRun } from '../core/operation-run';
import { RunEnvironmentName } from '../core/ports/run-list-query.port';
import { RunResource, toRunResource } from '../core/run-resource';

/**
 * A run to show, with its environment when the caller already read it with the run (a listed
 * run). `environment` omitted: the assembler looks it up.
 */
export interface RunToShow {
  run: OperationRun;
  environment?: RunEnvironmentName | null;
}

export interface AssembleOptions {
  includeDiagnostics?: boolean;
  /** Workspace rows the caller already holds (its access context's member workspaces). */
  workspaces?: readonly WorkspaceRef[];
}

/**
 * Turns runs into the one JSON shape of the API, pages and CLI. Names come from what the caller
 * already read (its grants' workspaces, the list's environment join); only the rest is looked up.
 */
@Injectable()
export class RunResourceAssembler {
  constructor(
    @Inject(TENANCY_DIRECTORY) private readonly tenancy: TenancyDirectory,
    @Inject(OperationCatalog) private readonly catalog: OperationCatalog,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(USER_PROFILES) private readonly users: UserProfiles,
  ) {}

  async one(item: RunToShow | OperationRun, opts: AssembleOptions = {}): Promise<RunResource> {
    const [resource] = await this.many(['run' in item ? item : { run: item }], opts);
    return resource;
  }

  async many(items: RunToShow[], opts: AssembleOptions = {}): Promise<RunResource[]> {
    const unique = <T>(values: T[]) => [...new Set(values)];
    const known = new Map((opts.workspaces ?? []).map((w) => [w.id, w]));
    const missingWorkspaces = unique(items.map((i) => i.run.workspaceId)).filter((id) => !known.has(id));
    const unnamedEnvironments = unique(items.flatMap((i) => (i.environment === undefined && i.run.environmentId ? [i.run.environmentId] : [])));
    const [workspaces, environments, initiators] = await Promise.all([
      missingWorkspaces.length ? this.tenancy.findWorkspacesByIds(missingWorkspaces) : Promise.resolve([]),
      unnamedEnvironments.length ? this.tenancy.findEnvironmentsByIds(unnamedEnvironments) : Promise.resolve([]),
      this.users.findProfiles(unique(items.flatMap((i) => (i.run.initiatorUserId ? [i.run.initiatorUserId] : [])))),
    ]);
    for (const w of workspaces) known.set(w.id, w);
    const initiatorById = new Map(initiators.map((u) => [u.id, u]));
    const environmentById = new Map(environments.map((e) => [e.id, { id: e.id, slug: e.slug, name: e.displayName }]));
    const now = this.clock.now();
    return items.map(({ run, environment }) => {
      const workspace = known.get(run.workspaceId);
      const named = environment === undefined ? (run.environmentId ? environmentById.get(run.environmentId) : undefined) : environment;
      return toRunResource(
        run,
        {
          workspace: workspace ? { id: workspace.id, slug: workspace.slug, name: workspace.name } : null,
          environment: named ? { id: named.id, slug: named.slug, name: named.name } : null,
          initiator: run.initiatorUserId
            ? { id: run.initiatorUserId, name: initiatorById.get(run.initiatorUserId)?.displayName ?? 'Deleted user' }
            : null,
        },
        this.catalog.resolve(run.type),
        now,
        { includeDiagnostics: opts.includeDiagnostics },
      );
    });
  }
}
