import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { FindingType, SettingChange } from '../../core/drift';
import {
  BaselineCompareRepository,
  CompareResult,
  CompareStatus,
  FindingsQuery,
  KeyedFinding,
  NewCompareResult,
  StoredFinding,
} from '../../core/ports/baseline-compare.repository.port';
import { isUuid } from '../../../../shared/core/uuid';

export interface CompareResultRow {
  id: string;
  profile_id: string;
  snapshot_id: string;
  target_environment_id: string;
  run_id: string;
  status: CompareStatus;
  checkpoint: number;
  total_pairs: number | null;
  findings_count: number;
  inventory_synced_at: Date | null;
  created_at: Date;
  completed_at: Date | null;
}

interface FindingRow {
  id: string;
  type: FindingType;
  kind: string;
  external_id: string;
  display_name: string;
  changes: SettingChange[] | null;
  pair_key: string;
}

export const COMPARE_RESULT_COLUMNS =
  'id, profile_id, snapshot_id, target_environment_id, run_id, status, checkpoint, total_pairs, findings_count, inventory_synced_at, created_at, completed_at';

export const toCompareResult = (r: CompareResultRow): CompareResult => ({
  id: r.id,
  profileId: r.profile_id,
  snapshotId: r.snapshot_id,
  targetEnvironmentId: r.target_environment_id,
  runId: r.run_id,
  status: r.status,
  checkpoint: r.checkpoint,
  totalPairs: r.total_pairs,
  findingsCount: r.findings_count,
  inventorySyncedAt: r.inventory_synced_at ? new Date(r.inventory_synced_at) : null,
  createdAt: new Date(r.created_at),
  completedAt: r.completed_at ? new Date(r.completed_at) : null,
});

const toFinding = (r: FindingRow): StoredFinding => ({
  id: r.id,
  pairKey: r.pair_key,
  type: r.type,
  kind: r.kind,
  external_id: r.external_id,
  display_name: r.display_name,
  ...(r.changes ? { changes: r.changes } : {}),
});

@Injectable()
export class MikroOrmBaselineCompareRepository implements BaselineCompareRepository {
  constructor(private readonly em: EntityManager) {}

  async startForRun(result: NewCompareResult): Promise<CompareResult> {
    await this.sql(this.em, 
      `insert into baseline_compare_results (profile_id, snapshot_id, target_environment_id, run_id, inventory_synced_at)
       values (?::uuid, ?::uuid, ?::uuid, ?::uuid, ?::timestamptz)
       on conflict (run_id) do nothing`,
      [result.profileId, result.snapshotId, result.targetEnvironmentId, result.runId, result.inventorySyncedAt],
    );
    return (await this.findByRun(result.runId))!;
  }

  async setTotalPairs(id: string, totalPairs: number): Promise<void> {
    await this.sql(this.em, 'update baseline_compare_results set total_pairs = ? where id = ?::uuid', [totalPairs, id]);
  }

  async recordBatch(id: string, findings: KeyedFinding[], checkpoint: number): Promise<void> {
    await this.em.transactional(async (tx) => {
      if (findings.length > 0) {
        const rows = findings.map(() => '(?::uuid, ?, ?, ?, ?, ?::jsonb, ?)').join(', ');
        const params: unknown[] = [];
        for (const { pairKey, finding } of findings) {
          const changes = finding.changes === undefined ? null : JSON.stringify(finding.changes);
          params.push(id, finding.type, finding.kind, finding.external_id, finding.display_name, changes, pairKey);
        }
        await this.sql(
          tx,
          `insert into baseline_findings (compare_result_id, type, kind, external_id, display_name, changes, pair_key)
           values ${rows}
           on conflict (compare_result_id, pair_key) do nothing`,
          params,
        );
      }
      // Never moves backwards: a late duplicate batch cannot rewind a newer checkpoint.
      await this.sql(
        tx,
        `update baseline_compare_results set checkpoint = greatest(checkpoint, ?)
         where id = ?::uuid and status = 'in_progress'`,
        [checkpoint, id],
      );
    });
  }

  async markComplete(id: string): Promise<CompareResult | null> {
    const [row] = await this.sql<CompareResultRow>(
      this.em,
      `update baseline_compare_results set status = 'complete', completed_at = now(),
         findings_count = (select count(*)::int from baseline_findings f where f.compare_result_id = baseline_compare_results.id)
       where id = ?::uuid and status = 'in_progress'
       returning ${COMPARE_RESULT_COLUMNS}`,
      [id],
    );
    return row ? toCompareResult(row) : null;
  }

  async markUnusable(id: string): Promise<void> {
    await this.sql(
      this.em,
      `update baseline_compare_results set status = 'unusable', completed_at = now() where id = ?::uuid and status = 'in_progress'`,
      [id],
    );
  }

  async findByRun(runId: string): Promise<CompareResult | null> {
    const [row] = await this.sql<CompareResultRow>(this.em, `select ${COMPARE_RESULT_COLUMNS} from baseline_compare_results where run_id = ?::uuid`, [runId]);
    return row ? toCompareResult(row) : null;
  }

  async findByRuns(runIds: string[]): Promise<Map<string, CompareResult>> {
    const ids = runIds.filter(isUuid);
    if (!ids.length) return new Map();
    const rows = await this.sql<CompareResultRow>(
      this.em,
      `select ${COMPARE_RESULT_COLUMNS} from baseline_compare_results where run_id in (?)`,
      [ids],
    );
    return new Map(rows.map((r) => [r.run_id, toCompareResult(r)]));
  }

  async findForProfile(profileId: string, id: string): Promise<CompareResult | null> {
    if (!isUuid(id)) return null;
    const [row] = await this.sql<CompareResultRow>(
      this.em,
      `select ${COMPARE_RESULT_COLUMNS} from baseline_compare_results where profile_id = ?::uuid and id = ?::uuid`,
      [profileId, id],
    );
    return row ? toCompareResult(row) : null;
  }

  async listFindings(query: FindingsQuery): Promise<StoredFinding[]> {
    const where = ['compare_result_id = ?::uuid'];
    const params: unknown[] = [query.compareResultId];
    if (query.kind !== undefined) {
      where.push('kind = ?');
      params.push(query.kind);
    }
    if (query.type !== undefined) {
      where.push('type = ?');
      params.push(query.type);
    }
    if (query.after !== undefined) {
      where.push('pair_key > ?');
      params.push(query.after);
    }
    params.push(query.limit);
    const rows = await this.sql<FindingRow>(
      this.em,
      `select id, type, kind, external_id, display_name, changes, pair_key from baseline_findings
       where ${where.join(' and ')} order by pair_key limit ?`,
      params,
    );
    return rows.map(toFinding);
  }

  private sql<T>(em: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
    return em.getConnection().execute<T[]>(sql, params, 'all', em.getTransactionContext());
  }
}
