import { Migration } from '@mikro-orm/migrations';

/**
 * `workspaces.environments_version` moves in the same transaction as any environment of the
 * workspace is created, renamed, moved or deleted, and so does `users.grants_version` of every
 * member (Migration20261204220000_user_grants_version). The grants carry the version of each
 * member workspace, so an app instance can hold a workspace's environment list and know from the
 * request's own grants whether it is still the one PostgreSQL has: the page shell's environment
 * list costs no statement while nothing changed, and shows a change on the very next request.
 */
export class Migration20261204230000_workspace_environments_version extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table workspaces add column environments_version bigint not null default 0`);
    // OLD is null on insert and NEW on delete: `in (…, null)` leaves the missing side out.
    this.addSql(`create function opsdeck_bump_environments_version() returns trigger
      language plpgsql as $fn$
      begin
        update workspaces set environments_version = environments_version + 1
         where id in (new.workspace_id, old.workspace_id);
        update users set grants_version = grants_version + 1
         where id in (select m.user_id from memberships m where m.workspace_id in (new.workspace_id, old.workspace_id));
        return null;
      end
      $fn$`);
    this.addSql(`create trigger managed_environments_version_added_or_removed after insert or delete on managed_environments
      for each row execute function opsdeck_bump_environments_version()`);
    this.addSql(`create trigger managed_environments_version_changed after update on managed_environments
      for each row when (new.slug is distinct from old.slug or new.display_name is distinct from old.display_name
                         or new.workspace_id is distinct from old.workspace_id)
      execute function opsdeck_bump_environments_version()`);
  }

  override async down(): Promise<void> {
    this.addSql('drop trigger if exists managed_environments_version_changed on managed_environments');
    this.addSql('drop trigger if exists managed_environments_version_added_or_removed on managed_environments');
    this.addSql('drop function if exists opsdeck_bump_environments_version()');
    this.addSql('alter table workspaces drop column if exists environments_version');
  }
}
