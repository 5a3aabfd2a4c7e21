import { Migration } from '@mikro-orm/migrations';

/**
 * The tab-count summary keeps completed runs only. Active runs are a few per cent of the table,
 * and the hub already reads them live for the stale-attention count (partial index
 * operation_runs_ws_active_created_idx), so it counts them there too. Summarizing them cost every
 * run five upserts of hot summary rows (queued +1; running −1/+1; completed −1/+1), about a third
 * of PostgreSQL's work per run; now a run's dispatch and start touch no summary row and its
 * completion one. A completed row's key never changes in practice, but any update or delete that
 * touches completed rows is still netted exactly.
 */
export class Migration20261204020000_tab_counts_completed_only extends Migration {
  override async up(): Promise<void> {
    this.addSql(applyFunction(`where status = 'completed'`));
    this.addSql(`delete from operation_run_tab_counts where status <> 'completed'`);
  }

  override async down(): Promise<void> {
    this.addSql(applyFunction(''));
    this.addSql(`insert into operation_run_tab_counts (workspace_id, environment_id, type, status, outcome, reconciled, slot, n)
      select workspace_id, environment_id, type, status, outcome, opsdeck_run_is_reconciled(context), 0, count(*)
        from operation_runs where status <> 'completed' group by 1, 2, 3, 4, 5, 6`);
  }
}

/** The trigger function of Migration20261122041500_run_tab_counts, counting only rows matching `filter`. */
function applyFunction(filter: string): string {
  const keyed = (rows: string, delta: string) =>
    `select workspace_id, environment_id, type, status, outcome, opsdeck_run_is_reconciled(context) as reconciled, ${delta} as delta
       from ${rows} ${filter}`;
  const upsert = (source: string) => `
    insert into operation_run_tab_counts as c (workspace_id, environment_id, type, status, outcome, reconciled, slot, n)
    select d.workspace_id, d.environment_id, d.type, d.status, d.outcome, d.reconciled, opsdeck_run_tab_counts_slot(), sum(d.delta)
      from (${source}) d
     group by 1, 2, 3, 4, 5, 6
    having sum(d.delta) <> 0
     order by 1, 2, 3, 4, 5, 6
    on conflict (workspace_id, environment_id, type, status, outcome, reconciled, slot)
    do update set n = c.n + excluded.n;`;
  return `create or replace function opsdeck_run_tab_counts_apply() returns trigger
    language plpgsql as $fn$
    begin
      if tg_op = 'INSERT' then ${upsert(keyed('new_rows', '1'))}
      elsif tg_op = 'DELETE' then ${upsert(keyed('old_rows', '-1'))}
      else ${upsert(`${keyed('old_rows', '-1')} union all ${keyed('new_rows', '1')}`)}
      end if;
      return null;
    end
    $fn$`;
}
