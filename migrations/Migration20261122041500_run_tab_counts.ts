import { Migration } from '@mikro-orm/migrations';

/**
 * Operations hub tab counts at scale: a summary of operation_runs keyed by everything the hub's
 * time-independent tabs and filters look at (workspace, environment, type, status, outcome,
 * reconciled), kept exact by statement-level triggers with transition tables. The triggers run in
 * the writer's transaction, so the summary commits and rolls back with the rows: a reader's
 * snapshot sees counts that match exactly the runs it can see. Time-dependent "likely stale" is
 * not summarized (it changes as the clock moves): the hub counts it over active runs only.
 *
 * Hot keys: every dispatch of one type in one environment would update the same summary row and
 * serialize its commits. Live writers therefore spread over slots 1..8 by backend pid (a
 * connection keeps its slot; a key's total is the sum over its slots); slot 0 holds the
 * backfill and whatever opsdeck_compact_run_tab_counts() folds in. Rows in one statement are
 * upserted in key order, so two writers never wait on each other in opposite orders.
 */
export class Migration20261122041500_run_tab_counts extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table operation_run_tab_counts (
      workspace_id uuid not null,
      environment_id uuid null,
      type text not null,
      status text not null,
      outcome text not null,
      reconciled boolean not null,
      slot smallint not null,
      n bigint not null
    ) with (fillfactor = 70)`);
    this.addSql(`create unique index operation_run_tab_counts_key_uq on operation_run_tab_counts
      (workspace_id, environment_id, type, status, outcome, reconciled, slot) nulls not distinct`);
    // The key's notion of "reconciled" is exactly the hub's (mikro-orm-run-list.query.ts).
    this.addSql(`create function opsdeck_run_is_reconciled(context jsonb) returns boolean
      language sql immutable parallel safe as
      $$ select coalesce(jsonb_typeof(context -> 'reconciliation') = 'object', false) $$`);
    this.addSql(`create function opsdeck_run_tab_counts_slot() returns smallint
      language sql volatile parallel safe as
      $$ select (1 + pg_backend_pid() % 8)::smallint $$`);
    // One function for the three events: deltas from the transition tables, netted per key, in key order.
    this.addSql(`create function opsdeck_run_tab_counts_apply() returns trigger
      language plpgsql as $fn$
      begin
        if tg_op = 'INSERT' then
          insert into operation_run_tab_counts as c (workspace_id, environment_id, type, status, outcome, reconciled, slot, n)
          select workspace_id, environment_id, type, status, outcome, opsdeck_run_is_reconciled(context), opsdeck_run_tab_counts_slot(), count(*)
            from new_rows
           group by 1, 2, 3, 4, 5, 6
           order by 1, 2, 3, 4, 5, 6
          on conflict (workspace_id, environment_id, type, status, outcome, reconciled, slot)
          do update set n = c.n + excluded.n;
        elsif tg_op = 'DELETE' then
          insert into operation_run_tab_counts as c (workspace_id, environment_id, type, status, outcome, reconciled, slot, n)
          select workspace_id, environment_id, type, status, outcome, opsdeck_run_is_reconciled(context), opsdeck_run_tab_counts_slot(), -count(*)
            from old_rows
           group by 1, 2, 3, 4, 5, 6
           order by 1, 2, 3, 4, 5, 6
          on conflict (workspace_id, environment_id, type, status, outcome, reconciled, slot)
          do update set n = c.n + excluded.n;
        else
          insert into operation_run_tab_counts as c (workspace_id, environment_id, type, status, outcome, reconciled, slot, n)
          select d.workspace_id, d.environment_id, d.type, d.status, d.outcome, d.reconciled, opsdeck_run_tab_counts_slot(), sum(d.delta)
            from (select workspace_id, environment_id, type, status, outcome, opsdeck_run_is_reconciled(context) as reconciled, -1 as delta
                    from old_rows
                  union all
                  select workspace_id, environment_id, type, status, outcome, opsdeck_run_is_reconciled(context), 1
                    from new_rows) d
           group by 1, 2, 3, 4, 5, 6
          having sum(d.delta) <> 0
           order by 1, 2, 3, 4, 5, 6
          on conflict (workspace_id, environment_id, type, status, outcome, reconciled, slot)
          do update set n = c.n + excluded.n;
        end if;
        return null;
      end
      $fn$`);
    this.addSql(`create trigger operation_runs_tab_counts_ins after insert on operation_runs
      referencing new table as new_rows for each statement execute function opsdeck_run_tab_counts_apply()`);
    this.addSql(`create trigger operation_runs_tab_counts_upd after update on operation_runs
      referencing old table as old_rows new table as new_rows for each statement execute function opsdeck_run_tab_counts_apply()`);
    this.addSql(`create trigger operation_runs_tab_counts_del after delete on operation_runs
      referencing old table as old_rows for each statement execute function opsdeck_run_tab_counts_apply()`);
    this.addSql(`create function opsdeck_run_tab_counts_truncate() returns trigger
      language plpgsql as $fn$ begin delete from operation_run_tab_counts; return null; end $fn$`);
    this.addSql(`create trigger operation_runs_tab_counts_trunc after truncate on operation_runs
      for each statement execute function opsdeck_run_tab_counts_truncate()`);
    // Folds slots 1..8 into slot 0 and drops zero rows; never waits on a live writer (skip locked),
    // and live writers never touch slot 0, so it cannot deadlock with them. Returns rows folded.
    this.addSql(`create function opsdeck_compact_run_tab_counts() returns bigint
      language plpgsql as $fn$
      declare folded bigint;
      begin
        if not pg_try_advisory_xact_lock(hashtext('opsdeck_compact_run_tab_counts')) then return 0; end if;
        with moved as (
          delete from operation_run_tab_counts
           where ctid in (select ctid from operation_run_tab_counts where slot <> 0 for update skip locked)
          returning workspace_id, environment_id, type, status, outcome, reconciled, n
        ), netted as (
          select workspace_id, environment_id, type, status, outcome, reconciled, sum(n) as n, count(*) as rows_in
            from moved group by 1, 2, 3, 4, 5, 6
        ), upserted as (
          insert into operation_run_tab_counts as c (workspace_id, environment_id, type, status, outcome, reconciled, slot, n)
          select workspace_id, environment_id, type, status, outcome, reconciled, 0, n from netted
           order by 1, 2, 3, 4, 5, 6
          on conflict (workspace_id, environment_id, type, status, outcome, reconciled, slot)
          do update set n = c.n + excluded.n
        )
        select coalesce(sum(rows_in), 0) into folded from netted;
        delete from operation_run_tab_counts where slot = 0 and n = 0;
        return folded;
      end
      $fn$`);
    // Backfill what exists (slot 0).
    this.addSql(`insert into operation_run_tab_counts (workspace_id, environment_id, type, status, outcome, reconciled, slot, n)
      select workspace_id, environment_id, type, status, outcome, opsdeck_run_is_reconciled(context), 0, count(*)
        from operation_runs group by 1, 2, 3, 4, 5, 6`);
    // Hub: newest active runs per workspace (active tabs, stale count), covering the stale rule's columns.
    this.addSql(`create index operation_runs_ws_active_created_idx on operation_runs (workspace_id, created_at desc, id desc)
      include (environment_id, type, status, started_at, last_heartbeat_at)
      where status in ('queued', 'running')`);
    // Hub: the reconciled tab is rare (well under 1 %): its own small index instead of a long filter scan.
    this.addSql(`create index operation_runs_ws_reconciled_created_idx on operation_runs (workspace_id, created_at desc, id desc)
      where status = 'completed' and jsonb_typeof(context -> 'reconciliation') = 'object'`);
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists operation_runs_ws_reconciled_created_idx');
    this.addSql('drop index if exists operation_runs_ws_active_created_idx');
    this.addSql('drop trigger if exists operation_runs_tab_counts_trunc on operation_runs');
    this.addSql('drop trigger if exists operation_runs_tab_counts_del on operation_runs');
    this.addSql('drop trigger if exists operation_runs_tab_counts_upd on operation_runs');
    this.addSql('drop trigger if exists operation_runs_tab_counts_ins on operation_runs');
    this.addSql('drop function if exists opsdeck_compact_run_tab_counts()');
    this.addSql('drop function if exists opsdeck_run_tab_counts_truncate()');
    this.addSql('drop function if exists opsdeck_run_tab_counts_apply()');
    this.addSql('drop function if exists opsdeck_run_tab_counts_slot()');
    this.addSql('drop function if exists opsdeck_run_is_reconciled(jsonb)');
    this.addSql('drop table if exists operation_run_tab_counts');
  }
}
