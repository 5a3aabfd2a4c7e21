import { Migration } from '@mikro-orm/migrations';

/**
 * `users.grants_version` changes in the same transaction as anything a user's grants are read
 * from: their memberships, their environment entitlements, and the name or slug of a workspace
 * they belong to. The session and API-token lookups send the version an app instance already
 * holds the grants of, and PostgreSQL aggregates the grants only when it differs — so a user in
 * fifty workspaces no longer costs fifty memberships per request, and a revoked membership still
 * takes effect on the very next request, on every instance.
 */
export class Migration20261204220000_user_grants_version extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table users add column grants_version bigint not null default 0`);
    // Statement-level with transition tables: seeding a workspace's members is one bump per user.
    for (const op of ['insert', 'update', 'delete']) {
      const tables = op === 'insert' ? 'new table as new_rows' : op === 'delete' ? 'old table as old_rows' : 'new table as new_rows old table as old_rows';
      this.addSql(`create function opsdeck_bump_grants_version_of_membership_${op}() returns trigger
        language plpgsql as $fn$
        begin
          update users set grants_version = grants_version + 1
           where id in (select user_id from ${op === 'delete' ? 'old_rows' : 'new_rows'}${op === 'update' ? ' union select user_id from old_rows' : ''});
          return null;
        end
        $fn$`);
      this.addSql(`create trigger memberships_grants_version_${op} after ${op} on memberships
        referencing ${tables} for each statement execute function opsdeck_bump_grants_version_of_membership_${op}()`);
    }
    // An entitlement row names its membership (OLD is null on insert, NEW on delete); a cascade
    // from a deleted membership finds none, and that membership's own trigger bumped the version.
    this.addSql(`create function opsdeck_bump_grants_version_of_entitlement() returns trigger
      language plpgsql as $fn$
      begin
        update users set grants_version = grants_version + 1
         where id in (select m.user_id from memberships m where m.id = new.membership_id or m.id = old.membership_id);
        return null;
      end
      $fn$`);
    this.addSql(`create trigger membership_environments_grants_version after insert or update or delete on membership_environments
      for each row execute function opsdeck_bump_grants_version_of_entitlement()`);
    this.addSql(`create function opsdeck_bump_grants_version_of_workspace() returns trigger
      language plpgsql as $fn$
      begin
        update users set grants_version = grants_version + 1
         where id in (select m.user_id from memberships m where m.workspace_id = new.id);
        return null;
      end
      $fn$`);
    this.addSql(`create trigger workspaces_grants_version after update of slug, name on workspaces
      for each row when (new.slug is distinct from old.slug or new.name is distinct from old.name)
      execute function opsdeck_bump_grants_version_of_workspace()`);
  }

  override async down(): Promise<void> {
    this.addSql('drop trigger if exists workspaces_grants_version on workspaces');
    this.addSql('drop trigger if exists membership_environments_grants_version on membership_environments');
    for (const op of ['insert', 'update', 'delete']) {
      this.addSql(`drop trigger if exists memberships_grants_version_${op} on memberships`);
      this.addSql(`drop function if exists opsdeck_bump_grants_version_of_membership_${op}()`);
    }
    this.addSql('drop function if exists opsdeck_bump_grants_version_of_entitlement()');
    this.addSql('drop function if exists opsdeck_bump_grants_version_of_workspace()');
    this.addSql('alter table users drop column if exists grants_version');
  }
}
