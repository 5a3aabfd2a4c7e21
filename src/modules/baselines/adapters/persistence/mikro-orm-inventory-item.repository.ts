import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { isUuid } from '../../../../shared/core/uuid';
import { inventoryItemKey } from '../../core/inventory-item';
import {
  HashedInventoryRecord,
  InventoryItemRepository,
  InventoryKindCount,
  UpsertCounts,
} from '../../core/ports/inventory-item.repository.port';

/**
 * One statement per batch. Every WITH sub-statement sees the same snapshot, so `previous` holds
 * the hashes from before the upsert; `xmax = 0` marks rows the INSERT created (an ON CONFLICT
 * update leaves the locking transaction's id in xmax). Comparing the old hash with the new one
 * splits updates into updated / unchanged. Rows are written in key order so two overlapping
 * batches lock rows in the same order instead of deadlocking. Values are `?` placeholders that
 * MikroORM escapes; nothing is concatenated into the SQL text.
 */
function upsertSql(rowCount: number): string {
  const rows = Array.from({ length: rowCount }, () => '(?, ?, ?, ?::jsonb, ?)').join(',\n    ');
  return `with incoming (kind, external_id, display_name, settings, content_hash) as (
  values
    ${rows}
), previous as (
  select i.kind, i.external_id, i.content_hash
  from inventory_items i
  join incoming n on n.kind = i.kind and n.external_id = i.external_id
  where i.environment_id = ?::uuid
), upserted as (
  insert into inventory_items
    (environment_id, kind, external_id, display_name, settings, content_hash, last_synced_run_id)
  select ?::uuid, n.kind, n.external_id, n.display_name, n.settings, n.content_hash, ?::uuid
  from incoming n
  order by n.kind, n.external_id
  on conflict (environment_id, kind, external_id) do update set
    display_name = excluded.display_name,
    settings = excluded.settings,
    content_hash = excluded.content_hash,
    last_synced_run_id = excluded.last_synced_run_id,
    updated_at = case
      when inventory_items.content_hash is distinct from excluded.content_hash then now()
      else inventory_items.updated_at
    end
  returning kind, external_id, content_hash, (xmax = 0) as inserted
)
select
  count(*) filter (where u.inserted)::int as created,
  count(*) filter (where not u.inserted and p.content_hash is distinct from u.content_hash)::int as updated,
  count(*) filter (where not u.inserted and p.content_hash = u.content_hash)::int as unchanged
from upserted u
left join previous p on p.kind = u.kind and p.external_id = u.external_id`;
}

@Injectable()
export class MikroOrmInventoryItemRepository implements InventoryItemRepository {
  constructor(private readonly em: EntityManager) {}

  async upsertBatch(
    environmentId: string,
    runId: string,
    items: HashedInventoryRecord[],
  ): Promise<UpsertCounts> {
    // ON CONFLICT cannot touch one row twice in a statement, so repeats collapse first (last wins).
    const distinct = [...new Map(items.map((item) => [inventoryItemKey(item), item])).values()];
    if (distinct.length === 0) return { created: 0, updated: 0, unchanged: 0 };

    const params: unknown[] = [];
    for (const item of distinct) {
      const settings = JSON.stringify(item.settings);
      params.push(item.kind, item.external_id, item.display_name, settings, item.content_hash);
    }
    params.push(environmentId, environmentId, runId);
    const [row] = await this.execute<UpsertCounts>(upsertSql(distinct.length), params);
    return { created: row.created, updated: row.updated, unchanged: row.unchanged };
  }

  async countByRun(runId: string): Promise<number> {
    const [row] = await this.execute<{ count: number }>(
      'select count(*)::int as count from inventory_items where last_synced_run_id = ?::uuid',
      [runId],
    );
    return row.count;
  }

  async countByRuns(runIds: string[]): Promise<Map<string, number>> {
    const ids = runIds.filter(isUuid);
    if (!ids.length) return new Map();
    const rows = await this.execute<{ run_id: string; count: number }>(
      `select last_synced_run_id as run_id, count(*)::int as count from inventory_items
        where last_synced_run_id in (?) group by last_synced_run_id`,
      [ids],
    );
    return new Map(rows.map((r) => [r.run_id, r.count]));
  }

  async summaryByEnvironment(environmentId: string): Promise<InventoryKindCount[]> {
    return this.execute<InventoryKindCount>(
      `select kind, count(*)::int as count from inventory_items
       where environment_id = ?::uuid group by kind order by kind`,
      [environmentId],
    );
  }

  /** Joins the caller's transaction when there is one, so a sync can be part of a larger unit. */
  private execute<T>(sql: string, params: unknown[]): Promise<T[]> {
    return this.em.getConnection().execute<T[]>(sql, params, 'all', this.em.getTransactionContext());
  }
}
