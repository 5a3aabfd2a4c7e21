import { Migration } from '@mikro-orm/migrations';

const FOLLOW_UP = `('failed', 'blocked', 'partially_succeeded')`;
const KEY = 'workspace_id, environment_id, type, status, outcome, reconciled';

/**
 * "Needs follow-up" means failed, blocked or partially succeeded *and not yet superseded* (SPEC
 * 2.4). A run is superseded when a run of the same (workspace, environment, type, fingerprint)
 * completes as succeeded after it: that completion's own statement sets `superseded_by` on the
 * follow-up runs of its work that are already completed (OperationRunService's completion, see
 * MikroOrmOperationRunRepository), so "later" is the order of completion. The tab-count summary
 * gains `superseded` in its key, so the hub's counts stay exact sums over the summary.
 *
 * No foreign key: a superseded run stays superseded when retention deletes the success, and a
 * key would cost every completion a lookup. Existing runs are backfilled by completion time.
 */
export class Migration20261205010000_run_superseded_by extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table operation_runs add column superseded_by uuid null');
    this.addSql('alter table operation_run_tab_counts add column superseded boolean not null default false');
    this.addSql('drop index operation_run_tab_counts_key_uq');
    this.addSql(`create unique index operation_run_tab_counts_key_uq on operation_run_tab_counts
      (${KEY}, superseded, slot) nulls not distinct`);
    this.addSql(applyFunction(true));
    this.addSql(compactFunction(true));
    // The completion's probe: only unsuperseded follow-up runs, a small share of the table.
    this.addSql(`create index operation_runs_open_follow_up_idx on operation_runs (fingerprint)
      where status = 'completed' and outcome in ${FOLLOW_UP} and superseded_by is null`);
    // Backfill (the summary trigger moves the counts): each follow-up run by the first success
    // of its work that completed after it.
    this.addSql(`with firsts as (
        select distinct on (f.id) f.id, s.id as by
          from operation_runs f
          join operation_runs s on s.fingerprint = f.fingerprint and s.workspace_id = f.workspace_id
               and s.type = f.type and s.environment_id is not distinct from f.environment_id
         where f.status = 'completed' and f.outcome in ${FOLLOW_UP}
           and s.status = 'completed' and s.outcome = 'succeeded' and s.completed_at > f.completed_at
         order by f.id, s.completed_at, s.id)
      update operation_runs r set superseded_by = firsts.by from firsts where r.id = firsts.id`);
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists operation_runs_open_follow_up_idx');
    this.addSql(applyFunction(false));
    this.addSql(compactFunction(false));
    this.addSql('drop index operation_run_tab_counts_key_uq');
    this.addSql('alter table operation_run_tab_counts drop column superseded');
    this.addSql('delete from operation_run_tab_counts');
    this.addSql(`create unique index operation_run_tab_counts_key_uq on operation_run_tab_counts
      (${KEY}, slot) nulls not distinct`);
    this.addSql(`insert into operation_run_tab_counts (${KEY}, slot, n)
      select workspace_id, environment_id, type, status, outcome, opsdeck_run_is_reconciled(context), 0, count(*)
        from operation_runs where status = 'completed' group by 1, 2, 3, 4, 5, 6`);
    this.addSql('alter table operation_runs drop column superseded_by');
  }
}

/** The summary trigger of Migration20261204020000_tab_counts_completed_only, with or without `superseded`. */
function applyFunction(superseded: boolean): string {
  const key = superseded ? `${KEY}, superseded` : KEY;
  const n = superseded ? 7 : 6;
  const groups = Array.from({ length: n }, (_, i) => i + 1).join(', ');
  const keyed = (rows: string, delta: string) =>
    `select workspace_id, environment_id, type, status, outcome, opsdeck_run_is_reconciled(context) as reconciled,
            ${superseded ? 'superseded_by is not null as superseded, ' : ''}${delta} as delta
       from ${rows} where status = 'completed'`;
  const upsert = (source: string) => `
    insert into operation_run_tab_counts as c (${key}, slot, n)
    select ${key.split(', ').map((k) => `d.${k}`).join(', ')}, opsdeck_run_tab_counts_slot(), sum(d.delta)
      from (${source}) d
     group by ${groups}
    having sum(d.delta) <> 0
     order by ${groups}
    on conflict (${key}, slot)
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

/** The compaction of Migration20261122041500_run_tab_counts, with or without `superseded`. */
function compactFunction(superseded: boolean): string {
  const key = superseded ? `${KEY}, superseded` : KEY;
  const groups = Array.from({ length: superseded ? 7 : 6 }, (_, i) => i + 1).join(', ');
  return `create or replace function opsdeck_compact_run_tab_counts() returns bigint
    language plpgsql as $fn$
    declare folded bigint;
    begin
      if not pg_try_advisory_xact_lock(hashtext('opsdeck_compact_run_tab_counts')) then return 0; end if;
      with moved as (
        delete from operation_run_tab_counts
         where ctid in (select ctid from operation_run_tab_counts where slot <> 0 for update skip locked)
        returning ${key}, n
      ), netted as (
        select ${key}, sum(n) as n, count(*) as rows_in
          from moved group by ${groups}
      ), upserted as (
        insert into operation_run_tab_counts as c (${key}, slot, n)
        select ${key}, 0, n from netted
         order by ${groups}
        on conflict (${key}, slot)
        do update set n = c.n + excluded.n
      )
      select coalesce(sum(rows_in), 0) into folded from netted;
      delete from operation_run_tab_counts where slot = 0 and n = 0;
      return folded;
    end
    $fn$`;
}
