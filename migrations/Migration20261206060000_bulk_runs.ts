import { Migration } from '@mikro-orm/migrations';

/**
 * Bulk actions and fan-out (issue 17) are operation runs that act on other runs:
 * `operation_run_children` records, per bulk run, each run it touched (or each environment it
 * skipped) and what it did, in the order it acted — the children list and the reconciler's
 * evidence of partial work. `managed_environments.archived_at` lets a fan-out skip archived
 * environments; an archive changes the environment list, so the version trigger watches it.
 */
export class Migration20261206060000_bulk_runs extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table managed_environments add column archived_at timestamptz null`);
    this.addSql('drop trigger if exists managed_environments_version_changed on managed_environments');
    this.addSql(`create trigger managed_environments_version_changed after update on managed_environments
      for each row when (new.slug is distinct from old.slug or new.display_name is distinct from old.display_name
                         or new.workspace_id is distinct from old.workspace_id or new.archived_at is distinct from old.archived_at)
      execute function opsdeck_bump_environments_version()`);
    this.addSql(`create table operation_run_children (
      id bigserial primary key,
      parent_run_id uuid not null references operation_runs (id) on delete cascade,
      run_id uuid null references operation_runs (id) on delete set null,
      environment_id uuid null references managed_environments (id) on delete set null,
      result text not null,
      message text null,
      recorded_at timestamptz not null
    )`);
    this.addSql(`create index operation_run_children_parent_idx on operation_run_children (parent_run_id, id)`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists operation_run_children');
    this.addSql('drop trigger if exists managed_environments_version_changed on managed_environments');
    this.addSql(`create trigger managed_environments_version_changed after update on managed_environments
      for each row when (new.slug is distinct from old.slug or new.display_name is distinct from old.display_name
                         or new.workspace_id is distinct from old.workspace_id)
      execute function opsdeck_bump_environments_version()`);
    this.addSql('alter table managed_environments drop column if exists archived_at');
  }
}
