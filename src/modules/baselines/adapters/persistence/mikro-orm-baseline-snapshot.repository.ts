import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import {
  BaselineSnapshot,
  BaselineSnapshotRepository,
  SnapshotItem,
  SnapshotStatus,
} from '../../core/ports/baseline-snapshot.repository.port';
import { isUuid } from '../../../../shared/core/uuid';

export interface SnapshotRow {
  id: string;
  profile_id: string;
  run_id: string;
  status: SnapshotStatus;
  item_count: number;
  created_at: Date;
  completed_at: Date | null;
}

export const SNAPSHOT_COLUMNS = 'id, profile_id, run_id, status, item_count, created_at, completed_at';

export const toSnapshot = (r: SnapshotRow): BaselineSnapshot => ({
  id: r.id,
  profileId: r.profile_id,
  runId: r.run_id,
  status: r.status,
  itemCount: r.item_count,
  createdAt: new Date(r.created_at),
  completedAt: r.completed_at ? new Date(r.completed_at) : null,
});

@Injectable()
export class MikroOrmBaselineSnapshotRepository implements BaselineSnapshotRepository {
  constructor(private readonly em: EntityManager) {}

  async startForRun(profileId: string, runId: string): Promise<BaselineSnapshot> {
    await this.sql(
      `insert into baseline_snapshots (profile_id, run_id, status) values (?::uuid, ?::uuid, 'capturing')
       on conflict (run_id) do nothing`,
      [profileId, runId],
    );
    return (await this.findByRun(runId))!;
  }

  async insertItems(snapshotId: string, items: SnapshotItem[]): Promise<void> {
    if (items.length === 0) return;
    const rows = items.map(() => '(?::uuid, ?, ?, ?, ?::jsonb, ?)').join(', ');
    const params: unknown[] = [];
    for (const item of items) {
      params.push(snapshotId, item.kind, item.external_id, item.display_name, JSON.stringify(item.normalized), item.hash);
    }
    // Only a capturing snapshot takes items: a complete one is immutable.
    await this.sql(
      `insert into baseline_snapshot_items (snapshot_id, kind, external_id, display_name, normalized, hash)
       select v.* from (values ${rows}) as v (snapshot_id, kind, external_id, display_name, normalized, hash)
       where exists (select 1 from baseline_snapshots s where s.id = ?::uuid and s.status = 'capturing')
       on conflict (snapshot_id, kind, external_id) do nothing`,
      [...params, snapshotId],
    );
  }

  async markComplete(snapshotId: string): Promise<BaselineSnapshot | null> {
    const [row] = await this.sql<SnapshotRow>(
      `update baseline_snapshots set status = 'complete', completed_at = now(),
         item_count = (select count(*)::int from baseline_snapshot_items i where i.snapshot_id = baseline_snapshots.id)
       where id = ?::uuid and status = 'capturing'
       returning ${SNAPSHOT_COLUMNS}`,
      [snapshotId],
    );
    return row ? toSnapshot(row) : null;
  }

  async markUnusable(snapshotId: string): Promise<void> {
    await this.sql(
      `update baseline_snapshots set status = 'unusable', completed_at = now() where id = ?::uuid and status = 'capturing'`,
      [snapshotId],
    );
  }

  async findByRun(runId: string): Promise<BaselineSnapshot | null> {
    const [row] = await this.sql<SnapshotRow>(`select ${SNAPSHOT_COLUMNS} from baseline_snapshots where run_id = ?::uuid`, [runId]);
    return row ? toSnapshot(row) : null;
  }

  async findByRuns(runIds: string[]): Promise<Map<string, BaselineSnapshot>> {
    const ids = runIds.filter(isUuid);
    if (!ids.length) return new Map();
    const rows = await this.sql<SnapshotRow>(`select ${SNAPSHOT_COLUMNS} from baseline_snapshots where run_id in (?)`, [ids]);
    return new Map(rows.map((r) => [r.run_id, toSnapshot(r)]));
  }

  async findById(id: string): Promise<BaselineSnapshot | null> {
    if (!isUuid(id)) return null;
    const [row] = await this.sql<SnapshotRow>(`select ${SNAPSHOT_COLUMNS} from baseline_snapshots where id = ?::uuid`, [id]);
    return row ? toSnapshot(row) : null;
  }

  async latestComplete(profileId: string): Promise<BaselineSnapshot | null> {
    const [row] = await this.sql<SnapshotRow>(
      `select ${SNAPSHOT_COLUMNS} from baseline_snapshots where profile_id = ?::uuid and status = 'complete'
       order by completed_at desc, id desc limit 1`,
      [profileId],
    );
    return row ? toSnapshot(row) : null;
  }

  async listByProfile(profileId: string): Promise<BaselineSnapshot[]> {
    const rows = await this.sql<SnapshotRow>(
      `select ${SNAPSHOT_COLUMNS} from baseline_snapshots where profile_id = ?::uuid order by created_at desc, id desc`,
      [profileId],
    );
    return rows.map(toSnapshot);
  }

  async items(snapshotId: string): Promise<SnapshotItem[]> {
    return this.sql<SnapshotItem>(
      `select kind, external_id, display_name, normalized, hash from baseline_snapshot_items
       where snapshot_id = ?::uuid order by kind, external_id`,
      [snapshotId],
    );
  }

  private sql<T>(sql: string, params: unknown[]): Promise<T[]> {
    return this.em.getConnection().execute<T[]>(sql, params, 'all', this.em.getTransactionContext());
  }
}
