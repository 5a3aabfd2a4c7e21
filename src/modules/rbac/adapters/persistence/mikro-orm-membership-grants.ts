import { EntityManager } from '@mikro-orm/postgresql';
import { PreparedParam, preparedRows } from '../../../../shared/adapters/persistence/prepared-sql';
import { memoizedPerRequest } from '../../../../shared/adapters/http/request-memo';
import { Injectable } from '@nestjs/common';
import { MembershipGrant, ScopeFilter } from '../../core/authorization-policy';
import { EnvironmentListing } from '../../core/ports/environment-listing.port';
import { MembershipGrants } from '../../core/ports/membership-grants.port';
import { EnvironmentRef } from '../../core/ports/tenancy-directory.port';
import { GrantRow, grantsFromRows, grantsMemoKey, memberGrantsSql } from './member-grants.sql';
import { rememberEnvironment } from './mikro-orm-tenancy-directory';

/** Memberships and their environment entitlements: read fresh for every request (memoized only within one). */
@Injectable()
export class MikroOrmMembershipGrants implements MembershipGrants, EnvironmentListing {
  constructor(private readonly em: EntityManager) {}

  async grantsOf(userId: string): Promise<MembershipGrant[]> {
    return [...(await memoizedPerRequest(grantsMemoKey(userId), () => this.loadGrants(userId)))];
  }

  async listEnvironments(workspaceId: string, scope: ScopeFilter): Promise<EnvironmentRef[]> {
    const key = `environments:${workspaceId}:${scope.allEnvironments ? '*' : [...scope.environmentIds].sort().join(',')}`;
    const environments = await memoizedPerRequest(key, () => this.loadEnvironments(workspaceId, scope));
    for (const environment of environments) rememberEnvironment(environment);
    return [...environments];
  }

  /** The grants, and the member workspaces' rows for the rest of the request (the shell and the slug lookup need them next). */
  private async loadGrants(userId: string): Promise<MembershipGrant[]> {
    return grantsFromRows(await this.sql<GrantRow>(memberGrantsSql('?'), [userId]));
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
