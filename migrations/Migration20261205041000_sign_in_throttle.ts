import { Migration } from '@mikro-orm/migrations';

/**
 * Sign-in throttling moves to atomic counters in Redis (RedisAttemptCounter), taken before any
 * password is checked; `login_attempts`, which was counted after the check and never pruned, goes.
 * `users.signed_in_at` names the account's current count: a successful sign-in starts a new one.
 */
export class Migration20261205041000_sign_in_throttle extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table users add column signed_in_at timestamptz null`);
    this.addSql(`drop table if exists login_attempts`);
  }

  override async down(): Promise<void> {
    this.addSql(`create table login_attempts (
      id bigserial primary key,
      email text not null,
      ip text not null,
      succeeded boolean not null,
      at timestamptz not null default now()
    )`);
    this.addSql(`create index login_attempts_email_idx on login_attempts (lower(email), at desc)`);
    this.addSql(`create index login_attempts_ip_idx on login_attempts (ip, at desc)`);
    this.addSql(`alter table users drop column if exists signed_in_at`);
  }
}
