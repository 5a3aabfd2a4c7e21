import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { CompareResult } from '../../core/ports/baseline-compare.repository.port';
import { BaselineHistoryQuery } from '../../core/ports/baseline-history.query.port';
import { BaselineSnapshot } from '../../core/ports/baseline-snapshot.repository.port';
import { COMPARE_RESULT_COLUMNS as RESULT_COLUMNS, CompareResultRow as ResultRow, toCompareResult as toResult } from './mikro-orm-baseline-compare.repository';
import { SNAPSHOT_COLUMNS, SnapshotRow, toSnapshot } from './mikro-orm-baseline-snapshot.repository';
import { isUuid } from '../../../../shared/core/uuid';

@Injectable()
export class MikroOrmBaselineHistoryQuery implements BaselineHistoryQuery {
  constructor(private readonly em: EntityManager) {}

  async findCompareResult(id: string): Promise<CompareResult | null> {
    if (!isUuid(id)) return null;
    const [row] = await this.sql<ResultRow>(`select ${RESULT_COLUMNS} from baseline_compare_results where id = ?::uuid`, [id]);
    return row ? toResult(row) : null;
  }

  async compareResults(profileId: string, targetEnvironmentIds: string[] | undefined, limit: number): Promise<CompareResult[]> {
    if (targetEnvironmentIds?.length === 0) return [];
    const [targets, params] = targetFilter(targetEnvironmentIds);
    const rows = await this.sql<ResultRow>(
      `select ${RESULT_COLUMNS} from baseline_compare_results
       where profile_id = ?::uuid ${targets} order by created_at desc, id desc limit ?`,
      [profileId, ...params, limit],
    );
    return rows.map(toResult);
  }

  async latestCompareResults(profileIds: string[], targetEnvironmentIds: string[] | undefined): Promise<CompareResult[]> {
    if (profileIds.length === 0 || targetEnvironmentIds?.length === 0) return [];
    const [targets, params] = targetFilter(targetEnvironmentIds);
    const rows = await this.sql<ResultRow>(
      `select distinct on (profile_id) ${RESULT_COLUMNS} from baseline_compare_results
       where profile_id in (?) ${targets} order by profile_id, created_at desc, id desc`,
      [profileIds, ...params],
    );
    return rows.map(toResult);
  }

  async latestSnapshots(profileIds: string[]): Promise<BaselineSnapshot[]> {
    if (profileIds.length === 0) return [];
    const rows = await this.sql<SnapshotRow>(
      `select distinct on (profile_id) ${SNAPSHOT_COLUMNS} from baseline_snapshots
       where profile_id in (?) order by profile_id, created_at desc, id desc`,
      [profileIds],
    );
    return rows.map(toSnapshot);
  }

  async findingKinds(compareResultId: string): Promise<string[]> {
    const rows = await this.sql<{ kind: string }>(
      'select distinct kind from baseline_findings where compare_result_id = ?::uuid order by kind',
      [compareResultId],
    );
    return rows.map((r) => r.kind);
  }

  private sql<T>(sql: string, params: unknown[]): Promise<T[]> {
    return this.em.getConnection().execute<T[]>(sql, params, 'all', this.em.getTransactionContext());
  }
}

/** `and target_environment_id in (…)` when narrowed (callers answer an empty list themselves). */
function targetFilter(ids: string[] | undefined): [string, unknown[]] {
  return ids === undefined ? ['', []] : ['and target_environment_id in (?)', [ids]];
}
