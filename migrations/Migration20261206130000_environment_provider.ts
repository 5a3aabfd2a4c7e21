import { Migration } from '@mikro-orm/migrations';

/**
 * Environment administration (issue 19): each managed environment names the inventory provider
 * that reads it and that provider's settings (`{"kind":"fixture"}` for every existing one). The
 * provider kind validates the settings and decides which of them an answer may show (never secrets).
 */
export class Migration20261206130000_environment_provider extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table managed_environments add column provider jsonb not null default '{"kind":"fixture"}'::jsonb`);
  }

  override async down(): Promise<void> {
    this.addSql('alter table managed_environments drop column if exists provider');
  }
}
