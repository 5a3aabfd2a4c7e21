import { EntityManager } from '@mikro-orm/postgresql';
import { PreparedParam, preparedRows } from '../../../../shared/adapters/persistence/prepared-sql';
import { BoundedMap } from '../../../../shared/core/bounded-map';
import { Injectable } from '@nestjs/common';
import { MembershipGrant, ScopeFilter } from '../../core/authorization-policy';
import { EnvironmentListing } from '../../core/ports/environment-listing.port';
import { MembershipGrants } from '../../core/ports/membership-grants.port';
import { EnvironmentRef } from '../../core/ports/tenancy-directory.port';
import { GrantRow, grantsFromRows, memberGrantsSql } from './member-grants.sql';

interface WorkspaceEnvironmentRow {
  version: string;
  id: string | null;
  workspace_id: string;
  slug: string;
  display_name: string;
  archived: boolean | null;
}

/**
 * Memberships and their environment entitlements. A request reads its caller's grants once (with
 * the session or token, or here) into its access context. A workspace's environment list is held
 * per instance with the workspace's environments_version, and served only to a caller whose own
 * grants read that same version (the scope filter carries it; see
 * Migration20261204230000_workspace_environments_version and docs/decisions): exact, and no
 * statement while nothing changed. Scope is applied per call, on the held list.
 */
@Injectable()
export class MikroOrmMembershipGrants implements MembershipGrants, EnvironmentListing {
  /** Enough for every workspace of a large MSP; the oldest list goes first beyond it. */
  private readonly held = new BoundedMap<string, { version: string; environments: EnvironmentRef[] }>(10_000);

  constructor(private readonly em: EntityManager) {}

  /** The grants with their workspace rows (callers without a session or token lookup: workers, CLI). */
  async grantsOf(userId: string): Promise<MembershipGrant[]> {
    return grantsFromRows(await this.sql<GrantRow>(memberGrantsSql('?'), [userId]));
  }

  async listEnvironments(workspaceId: string, scope: ScopeFilter): Promise<EnvironmentRef[]> {
    if (!scope.allEnvironments && scope.environmentIds.length === 0) return [];
    const all = await this.workspaceEnvironments(workspaceId, scope.environmentsVersion);
    if (scope.allEnvironments) return [...all];
    const entitled = new Set(scope.environmentIds);
    return all.filter((e) => entitled.has(e.id));
  }

  /** Every environment of the workspace, by slug: the held list when the caller's grants say it is current. */
  private async workspaceEnvironments(workspaceId: string, version: string | undefined): Promise<EnvironmentRef[]> {
    const held = this.held.get(workspaceId);
    if (held && version !== undefined && held.version === version) return held.environments;
    const rows = await this.sql<WorkspaceEnvironmentRow>(
      `select w.environments_version::text as version, e.id, w.id as workspace_id, e.slug, e.display_name,
              e.archived_at is not null as archived
         from workspaces w left join managed_environments e on e.workspace_id = w.id
        where w.id = ? order by e.slug`,
      [workspaceId],
    );
    const environments = rows
      .filter((r) => r.id !== null)
      .map((r) => ({ id: r.id as string, workspaceId: r.workspace_id, slug: r.slug, displayName: r.display_name, archived: r.archived === true }));
    if (rows.length) this.held.set(workspaceId, { version: rows[0].version, environments });
    return environments;
  }

  private sql<T>(query: string, params: unknown[]): Promise<T[]> {
    return preparedRows<T>(this.em, query, params as PreparedParam[]);
  }
}
