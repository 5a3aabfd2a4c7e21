import { Migration } from '@mikro-orm/migrations';

/**
 * In-app notifications (SPEC 7): one row per terminal run for its initiator. The unique
 * (user_id, run_id) makes a repeated completion (a retried observer, a reconciler racing a
 * worker) notify once. Texts are stored as written at completion; scope is re-checked on read.
 */
export class Migration20261122100000_notifications extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table notifications (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users(id) on delete cascade,
      run_id uuid not null references operation_runs(id) on delete cascade,
      workspace_id uuid not null references workspaces(id) on delete cascade,
      environment_id uuid null references managed_environments(id) on delete cascade,
      title text not null,
      body text not null,
      tone text not null,
      created_at timestamptz not null default now(),
      read_at timestamptz null,
      constraint notifications_user_run_uq unique (user_id, run_id)
    )`);
    // The bell: unread per user; the list: newest first per user (keyset on created_at, id).
    this.addSql(`create index notifications_user_unread_idx on notifications (user_id, read_at, created_at desc)`);
    this.addSql(`create index notifications_user_created_idx on notifications (user_id, created_at desc, id desc)`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists notifications');
  }
}
