import { EntityManager } from '@mikro-orm/postgresql';
import { PreparedParam, preparedRows } from '../../../../shared/adapters/persistence/prepared-sql';
import { Injectable } from '@nestjs/common';
import { ScopeFilter } from '../../../rbac/core/authorization-policy';
import { EnvironmentHealthFacts, LatestCompare, LatestReview, StartableProfile, WorkspaceFacts } from '../../core/ports/workspace-facts.port';

interface HealthRow {
  environment_id: string;
  last_sync_at: Date | null;
  compare_id: string | null;
  findings_count: number | null;
  compare_completed_at: Date | null;
  profile_name: string | null;
}

/**
 * Read-only aggregates for the workspace overview and environment dashboard. Compare results and
 * profiles count only when their profile's source environment is in the reader's scope, exactly as
 * the baselines API shows them, so a number never points at something the reader cannot open.
 */
@Injectable()
export class WorkspaceReadQuery implements WorkspaceFacts {
  constructor(private readonly em: EntityManager) {}

  async environmentHealth(
    workspaceId: string,
    environmentIds: string[],
    scope: ScopeFilter,
    syncTypes: string[],
  ): Promise<Map<string, EnvironmentHealthFacts>> {
    const result = new Map<string, EnvironmentHealthFacts>();
    if (environmentIds.length === 0) return result;
    const profileScope = this.profileScope(scope, 'p');
    const rows = await this.execute<HealthRow>(
      `select e.id as environment_id,
         (select max(r.completed_at) from operation_runs r
           where r.workspace_id = ?::uuid and r.environment_id = e.id
             and r.type in (?) and r.status = 'completed' and r.outcome = 'succeeded') as last_sync_at,
         c.id as compare_id, c.findings_count, c.completed_at as compare_completed_at, c.profile_name
       from managed_environments e
       left join lateral (
         select cr.id, cr.findings_count, cr.completed_at, p.name as profile_name
           from baseline_compare_results cr
           join baseline_profiles p on p.id = cr.profile_id
          where cr.target_environment_id = e.id and cr.status = 'complete'
            and p.workspace_id = ?::uuid ${profileScope.text}
          order by cr.completed_at desc nulls last, cr.created_at desc, cr.id desc
          limit 1) c on true
       where e.workspace_id = ?::uuid and e.id in (?)`,
      [workspaceId, syncTypes, workspaceId, ...profileScope.params, workspaceId, environmentIds],
    );
    for (const row of rows) {
      result.set(row.environment_id, {
        environmentId: row.environment_id,
        lastSyncAt: toDate(row.last_sync_at),
        latestCompare: row.compare_id
          ? {
              id: row.compare_id,
              findingsCount: Number(row.findings_count ?? 0),
              completedAt: toDate(row.compare_completed_at),
              profileName: row.profile_name ?? '',
            }
          : null,
      });
    }
    return result;
  }

  async latestCompare(workspaceId: string, environmentId: string, scope: ScopeFilter): Promise<LatestCompare | null> {
    const profileScope = this.profileScope(scope, 'p');
    const [row] = await this.execute<{
      id: string;
      profile_id: string;
      profile_name: string;
      completed_at: Date | null;
      findings_count: number;
    }>(
      `select cr.id, cr.profile_id, p.name as profile_name, cr.completed_at, cr.findings_count
         from baseline_compare_results cr
         join baseline_profiles p on p.id = cr.profile_id
        where cr.target_environment_id = ?::uuid and cr.status = 'complete'
          and p.workspace_id = ?::uuid ${profileScope.text}
        order by cr.completed_at desc nulls last, cr.created_at desc, cr.id desc
        limit 1`,
      [environmentId, workspaceId, ...profileScope.params],
    );
    if (!row) return null;
    const types = await this.execute<{ type: string; n: number }>(
      `select type, count(*)::int as n from baseline_findings where compare_result_id = ?::uuid group by type order by type`,
      [row.id],
    );
    return {
      id: row.id,
      profileId: row.profile_id,
      profileName: row.profile_name,
      completedAt: toDate(row.completed_at),
      findingsCount: Number(row.findings_count),
      byType: Object.fromEntries(types.map((t) => [t.type, Number(t.n)])),
    };
  }

  async latestReview(environmentId: string): Promise<LatestReview | null> {
    const [row] = await this.execute<{ id: string; period_label: string; status: string; created_at: Date; ready_at: Date | null }>(
      `select id, period_label, status, created_at, ready_at from environment_reviews
        where environment_id = ?::uuid and status <> 'draft'
        order by created_at desc, id desc limit 1`,
      [environmentId],
    );
    if (!row) return null;
    return {
      id: row.id,
      periodLabel: row.period_label,
      status: row.status,
      createdAt: toDate(row.created_at) as Date,
      readyAt: toDate(row.ready_at),
    };
  }

  /** The workspace's profiles the reader may see, by name, with whether a compare could use them. */
  async profiles(workspaceId: string, scope: ScopeFilter): Promise<StartableProfile[]> {
    const profileScope = this.profileScope(scope, 'p');
    const rows = await this.execute<{ id: string; name: string; source_environment_id: string; has_snapshot: boolean }>(
      `select p.id, p.name, p.source_environment_id,
         exists (select 1 from baseline_snapshots s where s.profile_id = p.id and s.status = 'complete') as has_snapshot
         from baseline_profiles p
        where p.workspace_id = ?::uuid ${profileScope.text}
        order by lower(p.name), p.id`,
      [workspaceId, ...profileScope.params],
    );
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      sourceEnvironmentId: r.source_environment_id,
      hasCompleteSnapshot: Boolean(r.has_snapshot),
    }));
  }

  private profileScope(scope: ScopeFilter, alias: string): { text: string; params: unknown[] } {
    if (scope.allEnvironments) return { text: '', params: [] };
    if (scope.environmentIds.length === 0) return { text: 'and false', params: [] };
    return { text: `and ${alias}.source_environment_id in (?)`, params: [scope.environmentIds] };
  }

  private execute<T>(sql: string, params: unknown[]): Promise<T[]> {
    return preparedRows<T>(this.em, sql, params as PreparedParam[]);
  }
}

function toDate(value: Date | string | null | undefined): Date | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value : new Date(value);
}
