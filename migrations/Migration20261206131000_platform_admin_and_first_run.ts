import { Migration } from '@mikro-orm/migrations';

/**
 * Platform administrators (`users.is_platform_admin`) create workspaces; the first one is created
 * by the first-run setup (the `/setup` page or `admin:create`). `first_run_tokens` holds at most
 * one row: the sha256 of the one-time setup token printed at a boot on a database without users
 * (never the token itself). A new boot replaces it; completing the setup deletes it.
 */
export class Migration20261206131000_platform_admin_and_first_run extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table users add column is_platform_admin boolean not null default false`);
    this.addSql(`create table first_run_tokens (
      id smallint primary key default 1 check (id = 1),
      token_hash text not null,
      created_at timestamptz not null default now()
    )`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists first_run_tokens`);
    this.addSql(`alter table users drop column if exists is_platform_admin`);
  }
}
