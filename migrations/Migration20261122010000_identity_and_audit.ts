import { Migration } from '@mikro-orm/migrations';

/**
 * Identity (users, memberships with optional environment entitlements, API tokens, sessions,
 * login throttling) and the append-only audit log.
 */
export class Migration20261122010000_identity_and_audit extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table users (
      id uuid primary key default gen_random_uuid(),
      email text not null,
      display_name text not null,
      password_hash text not null,
      created_at timestamptz not null default now()
    )`);
    this.addSql(`create unique index users_email_uq on users (lower(email))`);
    this.addSql(`create table memberships (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users(id) on delete cascade,
      workspace_id uuid not null references workspaces(id) on delete cascade,
      role text not null,
      all_environments boolean not null default true,
      created_at timestamptz not null default now(),
      unique (user_id, workspace_id),
      constraint memberships_role_chk check (role in ('owner', 'manager', 'operator', 'readonly'))
    )`);
    // Present only for memberships limited to some environments (all_environments = false).
    this.addSql(`create table membership_environments (
      membership_id uuid not null references memberships(id) on delete cascade,
      environment_id uuid not null references managed_environments(id) on delete cascade,
      primary key (membership_id, environment_id)
    )`);
    this.addSql(`create table api_tokens (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users(id) on delete cascade,
      name text not null,
      token_hash text not null unique,
      created_at timestamptz not null default now(),
      last_used_at timestamptz null,
      revoked_at timestamptz null
    )`);
    this.addSql(`create table sessions (
      id_hash text primary key,
      user_id uuid not null references users(id) on delete cascade,
      csrf_token text not null,
      created_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now(),
      expires_at timestamptz not null
    )`);
    this.addSql(`create index sessions_user_idx on sessions (user_id)`);
    this.addSql(`create table login_attempts (
      id bigserial primary key,
      email text not null,
      ip text not null,
      succeeded boolean not null,
      at timestamptz not null default now()
    )`);
    this.addSql(`create index login_attempts_email_idx on login_attempts (lower(email), at desc)`);
    this.addSql(`create index login_attempts_ip_idx on login_attempts (ip, at desc)`);
    this.addSql(`create table audit_events (
      id bigserial primary key,
      at timestamptz not null default now(),
      actor_user_id uuid null,
      actor_label text not null,
      workspace_id uuid null references workspaces(id) on delete set null,
      environment_id uuid null references managed_environments(id) on delete set null,
      action text not null,
      subject_type text null,
      subject_id text null,
      metadata jsonb not null default '{}'::jsonb
    )`);
    this.addSql(`create index audit_events_ws_at_idx on audit_events (workspace_id, at desc, id desc)`);
    // Append-only: the table refuses updates and deletes, whoever asks.
    this.addSql(`create function audit_events_append_only() returns trigger language plpgsql as
      $$ begin raise exception 'audit_events is append-only'; end $$`);
    this.addSql(`create trigger audit_events_no_change before update or delete on audit_events
      for each row execute function audit_events_append_only()`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists audit_events');
    this.addSql('drop function if exists audit_events_append_only()');
    this.addSql('drop table if exists login_attempts');
    this.addSql('drop table if exists sessions');
    this.addSql('drop table if exists api_tokens');
    this.addSql('drop table if exists membership_environments');
    this.addSql('drop table if exists memberships');
    this.addSql('drop table if exists users');
  }
}
