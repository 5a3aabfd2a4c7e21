import { EntityManager } from '@mikro-orm/postgresql';
import { PreparedParam, preparedRows } from '../../../../shared/adapters/persistence/prepared-sql';
import { Injectable } from '@nestjs/common';
import { EnvironmentRef, TenancyDirectory, WorkspaceRef } from '../../core/ports/tenancy-directory.port';

interface EnvironmentRow {
  id: string;
  workspace_id: string;
  slug: string;
  display_name: string;
  /** Read by findEnvironmentBySlug only (absent elsewhere: not read). */
  archived?: boolean;
}

const toEnvironment = (r: EnvironmentRow): EnvironmentRef => ({
  id: r.id,
  workspaceId: r.workspace_id,
  slug: r.slug,
  displayName: r.display_name,
  ...(r.archived === undefined ? {} : { archived: r.archived }),
});

@Injectable()
export class MikroOrmTenancyDirectory implements TenancyDirectory {
  constructor(private readonly em: EntityManager) {}

  // Plain reads: a request's own workspaces and environments come with its access context
  // (grants with their workspace rows, the held environment list), so these serve the rest.
  async findWorkspaceBySlug(slug: string): Promise<WorkspaceRef | null> {
    const [row] = await this.sql<WorkspaceRef>('select id, slug, name from workspaces where slug = ?', [slug]);
    return row ?? null;
  }

  async findEnvironmentBySlug(workspaceId: string, slug: string): Promise<EnvironmentRef | null> {
    const [row] = await this.sql<EnvironmentRow>(
      `select id, workspace_id, slug, display_name, archived_at is not null as archived
         from managed_environments where workspace_id = ? and slug = ?`,
      [workspaceId, slug],
    );
    return row ? toEnvironment(row) : null;
  }

  async findWorkspacesByIds(ids: string[]): Promise<WorkspaceRef[]> {
    const unique = [...new Set(ids)];
    if (!unique.length) return [];
    return this.sql<WorkspaceRef>('select id, slug, name from workspaces where id in (?)', [unique]);
  }

  async findEnvironmentsByIds(ids: string[]): Promise<EnvironmentRef[]> {
    const unique = [...new Set(ids)];
    if (!unique.length) return [];
    const rows = await this.sql<EnvironmentRow>(
      'select id, workspace_id, slug, display_name from managed_environments where id in (?)',
      [unique],
    );
    return rows.map(toEnvironment);
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
