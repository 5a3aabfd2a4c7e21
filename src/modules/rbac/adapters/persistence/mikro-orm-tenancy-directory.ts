import { EntityManager } from '@mikro-orm/postgresql';
import { PreparedParam, preparedRows } from '../../../../shared/adapters/persistence/prepared-sql';
import { memoizedPerRequest, memoizedRowsById, rememberPerRequest } from '../../../../shared/adapters/http/request-memo';
import { Injectable } from '@nestjs/common';
import { EnvironmentRef, TenancyDirectory, WorkspaceRef } from '../../core/ports/tenancy-directory.port';

interface EnvironmentRow {
  id: string;
  workspace_id: string;
  slug: string;
  display_name: string;
}

/** Request-memo keys of tenancy rows: whoever reads a workspace row may remember it for later lookups. */
const WORKSPACE_ID_PREFIX = 'workspace-id:';
const ENVIRONMENT_ID_PREFIX = 'environment-id:';

export const workspaceMemoKey = {
  byId: (id: string) => WORKSPACE_ID_PREFIX + id,
  bySlug: (slug: string) => `workspace-slug:${slug}`,
};

/** Remembers a workspace row under both its keys for the rest of this request. */
export function rememberWorkspace(row: WorkspaceRef): void {
  rememberPerRequest(workspaceMemoKey.byId(row.id), row);
  rememberPerRequest(workspaceMemoKey.bySlug(row.slug), row);
}

export const environmentMemoKey = {
  byId: (id: string) => ENVIRONMENT_ID_PREFIX + id,
  bySlug: (workspaceId: string, slug: string) => `environment-slug:${workspaceId}:${slug}`,
};

/** Remembers an environment row (one the reader may see) under both its keys for the rest of this request. */
export function rememberEnvironment(environment: EnvironmentRef): void {
  rememberPerRequest(environmentMemoKey.byId(environment.id), environment);
  rememberPerRequest(environmentMemoKey.bySlug(environment.workspaceId, environment.slug), environment);
}

const toEnvironment = (r: EnvironmentRow): EnvironmentRef => ({
  id: r.id,
  workspaceId: r.workspace_id,
  slug: r.slug,
  displayName: r.display_name,
});

@Injectable()
export class MikroOrmTenancyDirectory implements TenancyDirectory {
  constructor(private readonly em: EntityManager) {}

  // Reads are memoized within one HTTP request (shell, controller and use case ask alike); a row
  // read by slug also answers a later lookup of the same id.
  findWorkspaceBySlug(slug: string): Promise<WorkspaceRef | null> {
    return memoizedPerRequest(workspaceMemoKey.bySlug(slug), async () => {
      const [row] = await this.sql<WorkspaceRef>('select id, slug, name from workspaces where slug = ?', [slug]);
      if (row) rememberWorkspace(row);
      return row ?? null;
    });
  }

  findEnvironmentBySlug(workspaceId: string, slug: string): Promise<EnvironmentRef | null> {
    return memoizedPerRequest(environmentMemoKey.bySlug(workspaceId, slug), async () => {
      const [row] = await this.sql<EnvironmentRow>(
        'select id, workspace_id, slug, display_name from managed_environments where workspace_id = ? and slug = ?',
        [workspaceId, slug],
      );
      const environment = row ? toEnvironment(row) : null;
      if (environment) rememberEnvironment(environment);
      return environment;
    });
  }

  findWorkspacesByIds(ids: string[]): Promise<WorkspaceRef[]> {
    return memoizedRowsById(WORKSPACE_ID_PREFIX, ids, async (missing) => {
      const rows = await this.sql<WorkspaceRef>('select id, slug, name from workspaces where id in (?)', [missing]);
      for (const row of rows) rememberWorkspace(row);
      return rows;
    });
  }

  findEnvironmentsByIds(ids: string[]): Promise<EnvironmentRef[]> {
    return memoizedRowsById(ENVIRONMENT_ID_PREFIX, ids, async (missing) => {
      const rows = await this.sql<EnvironmentRow>(
        'select id, workspace_id, slug, display_name from managed_environments where id in (?)',
        [missing],
      );
      const environments = rows.map(toEnvironment);
      for (const e of environments) rememberEnvironment(e);
      return environments;
    });
  }

  /** Idempotent upserts used by the demo seed and the CLI. */
  async ensureWorkspace(slug: string, name: string): Promise<WorkspaceRef> {
    const [row] = await this.sql<WorkspaceRef>(
      `insert into workspaces (slug, name) values (?, ?)
       on conflict (slug) do update set name = excluded.name returning id, slug, name`,
      [slug, name],
    );
    return row;
  }

  async ensureEnvironment(workspaceId: string, slug: string, displayName: string): Promise<EnvironmentRef> {
    const [row] = await this.sql<EnvironmentRow>(
      `insert into managed_environments (workspace_id, slug, display_name) values (?, ?, ?)
       on conflict (workspace_id, slug) do update set display_name = excluded.display_name
       returning id, workspace_id, slug, display_name`,
      [workspaceId, slug, displayName],
    );
    return toEnvironment(row);
  }

  private sql<T>(query: string, params: unknown[]): Promise<T[]> {
    return preparedRows<T>(this.em, query, params as PreparedParam[]);
  }
}
