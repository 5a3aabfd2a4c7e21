import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { preparedRows } from '../../../../shared/adapters/persistence/prepared-sql';
import { EnvironmentAdminRepository, NewEnvironment } from '../../core/ports/environment-admin.repository.port';
import { ProviderSettings } from '../../core/provider-kind';

/**
 * managed_environments writes in parameterized SQL. Every change of slug, display name or
 * archived_at bumps the workspace's environments_version (trigger), so held environment lists
 * refresh on the next request.
 */
@Injectable()
export class MikroOrmEnvironmentAdminRepository implements EnvironmentAdminRepository {
  constructor(private readonly em: EntityManager) {}

  async create(environment: NewEnvironment): Promise<string | null> {
    const rows = await preparedRows<{ id: string }>(
      this.em,
      `insert into managed_environments (workspace_id, slug, display_name, provider) values (?, ?, ?, ?::jsonb)
       on conflict (workspace_id, slug) do nothing returning id`,
      [environment.workspaceId, environment.slug, environment.displayName, JSON.stringify(environment.provider)],
    );
    return rows[0]?.id ?? null;
  }

  async update(environmentId: string, change: { displayName?: string; provider?: ProviderSettings }): Promise<void> {
    await preparedRows(
      this.em,
      `update managed_environments set display_name = coalesce(?, display_name), provider = coalesce(?::jsonb, provider) where id = ?`,
      [change.displayName ?? null, change.provider ? JSON.stringify(change.provider) : null, environmentId],
    );
  }

  async setArchivedAt(environmentId: string, at: Date | null): Promise<void> {
    await preparedRows(this.em, `update managed_environments set archived_at = ? where id = ?`, [at, environmentId]);
  }

  async providersOf(environmentIds: string[]): Promise<Map<string, ProviderSettings>> {
    if (!environmentIds.length) return new Map();
    const rows = await preparedRows<{ id: string; provider: ProviderSettings }>(
      this.em,
      `select id, provider from managed_environments where id in (?)`,
      [environmentIds],
    );
    return new Map(rows.map((r) => [r.id, r.provider]));
  }
}
