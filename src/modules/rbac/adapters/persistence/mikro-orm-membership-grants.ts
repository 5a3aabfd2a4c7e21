import { EntityManager } from '@mikro-orm/postgresql';
import { PreparedParam, preparedRows } from '../../../../shared/adapters/persistence/prepared-sql';
import { memoizedPerRequest, rememberPerRequest } from '../../../../shared/adapters/http/request-memo';
import { Injectable } from '@nestjs/common';
import { MembershipGrant, ScopeFilter } from '../../core/authorization-policy';
import { EnvironmentListing } from '../../core/ports/environment-listing.port';
import { MembershipGrants } from '../../core/ports/membership-grants.port';
import { EnvironmentRef } from '../../core/ports/tenancy-directory.port';
import { rememberEnvironment, rememberWorkspace } from './mikro-orm-tenancy-directory';

interface GrantRow {
  workspace_id: string;
  workspace_slug: string;
  workspace_name: string;
  role: string;
  all_environments: boolean;
  environment_ids: string[] | null;
}

/** Memberships and their environment entitlements: read fresh for every request (memoized only within one). */
@Injectable()
export class MikroOrmMembershipGrants implements MembershipGrants, EnvironmentListing {
  constructor(private readonly em: EntityManager) {}

  async grantsOf(userId: string): Promise<MembershipGrant[]> {
    return [...(await memoizedPerRequest(`grants:${userId}`, () => this.loadGrants(userId)))];
  }

  async listEnvironments(workspaceId: string, scope: ScopeFilter): Promise<EnvironmentRef[]> {
    const key = `environments:${workspaceId}:${scope.allEnvironments ? '*' : [...scope.environmentIds].sort().join(',')}`;
    const environments = await memoizedPerRequest(key, () => this.loadEnvironments(workspaceId, scope));
    for (const environment of environments) rememberEnvironment(environment);
    return [...environments];
  }

  /** The grants, and the member workspaces' rows for the rest of the request (the shell and the slug lookup need them next). */
  private async loadGrants(userId: string): Promise<MembershipGrant[]> {
    const rows = await this.sql<GrantRow>(
      `select m.workspace_id, w.slug as workspace_slug, w.name as workspace_name, m.role, m.all_environments,
              array_remove(array_agg(me.environment_id::text order by me.environment_id), null) as environment_ids
         from memberships m
         join workspaces w on w.id = m.workspace_id
         left join membership_environments me on me.membership_id = m.id
        where m.user_id = ?
        group by m.id, m.workspace_id, w.slug, w.name, m.role, m.all_environments`,
      [userId],
    );
    for (const r of rows) rememberWorkspace({ id: r.workspace_id, slug: r.workspace_slug, name: r.workspace_name });
    return rows.map((r) => ({
      workspaceId: r.workspace_id,
      role: r.role,
      environmentIds: r.all_environments ? 'all' : (r.environment_ids ?? []),
    }));
  }

  private async loadEnvironments(workspaceId: string, scope: ScopeFilter): Promise<EnvironmentRef[]> {
    if (!scope.allEnvironments && scope.environmentIds.length === 0) return [];
    const limited = scope.allEnvironments ? '' : ' and id in (?)';
    const params: unknown[] = scope.allEnvironments ? [workspaceId] : [workspaceId, scope.environmentIds];
    const rows = await this.sql<{ id: string; workspace_id: string; slug: string; display_name: string }>(
      `select id, workspace_id, slug, display_name from managed_environments
        where workspace_id = ?${limited} order by slug`,
      params,
    );
    return rows.map((r) => ({ id: r.id, workspaceId: r.workspace_id, slug: r.slug, displayName: r.display_name }));
  }

  private sql<T>(query: string, params: unknown[]): Promise<T[]> {
    return preparedRows<T>(this.em, query, params as PreparedParam[]);
  }
}
