import { Migration } from '@mikro-orm/migrations';

/**
 * The reconciler's stale probe: active runs by type and status, ordered by the instant their
 * freshness is measured from (creation while queued, last heartbeat else start while running).
 * A sweep then reads only the runs past their window — a range per (type, status) — instead of
 * every active run; the sweep's keyset position (created_at, id) is filtered inside the index, so
 * later batches skip what earlier ones closed without reading a row. The expression must stay textually equal to FRESHNESS_ANCHOR_SQL
 * (src/modules/operations/adapters/persistence/likely-stale.sql.ts) for the planner to match it.
 */
export class Migration20261122110000_stale_probe_index extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index operation_runs_stale_probe_idx on operation_runs
      (type, status, (case when status = 'queued' then created_at else coalesce(last_heartbeat_at, started_at) end))
      include (created_at, id)
      where status in ('queued', 'running')`);
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists operation_runs_stale_probe_idx');
  }
}
