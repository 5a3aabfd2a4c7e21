import { Migration } from '@mikro-orm/migrations';

/**
 * Foundation schema: tenancy, operation runs and inventory items.
 * Written by hand because the partial unique index (one active run per identity) and the
 * numeric-only summary_counts check are the database's half of the run-truth guarantees.
 */
export class Migration20261122000000_foundation extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table workspaces (
      id uuid primary key default gen_random_uuid(),
      slug text not null unique,
      name text not null,
      created_at timestamptz not null default now()
    )`);
    this.addSql(`create table managed_environments (
      id uuid primary key default gen_random_uuid(),
      workspace_id uuid not null references workspaces(id) on delete cascade,
      slug text not null,
      display_name text not null,
      created_at timestamptz not null default now(),
      unique (workspace_id, slug)
    )`);
    this.addSql(`create function opsdeck_all_numeric(j jsonb) returns boolean
      language sql immutable as
      $$ select coalesce(bool_and(jsonb_typeof(value) = 'number'), true) from jsonb_each(j) $$`);
    this.addSql(`create table operation_runs (
      id uuid primary key,
      workspace_id uuid not null references workspaces(id),
      environment_id uuid null references managed_environments(id),
      type text not null,
      status text not null,
      outcome text not null default 'pending',
      initiator_user_id uuid null,
      fingerprint text not null,
      context jsonb not null default '{}'::jsonb,
      summary_counts jsonb not null default '{}'::jsonb,
      attempts integer not null default 0,
      created_at timestamptz not null,
      started_at timestamptz null,
      last_heartbeat_at timestamptz null,
      completed_at timestamptz null,
      updated_at timestamptz not null,
      constraint operation_runs_status_chk check (status in ('queued', 'running', 'completed')),
      constraint operation_runs_outcome_chk check (outcome in
        ('pending', 'succeeded', 'partially_succeeded', 'failed', 'blocked', 'cancelled')),
      constraint operation_runs_terminal_chk check ((status = 'completed') = (outcome <> 'pending')),
      constraint operation_runs_counts_chk check (
        jsonb_typeof(summary_counts) = 'object' and opsdeck_all_numeric(summary_counts))
    )`);
    // The arbiter of dedupe under concurrency: at most one active run per identity.
    this.addSql(`create unique index operation_runs_one_active_uq
      on operation_runs (workspace_id, environment_id, type, fingerprint) nulls not distinct
      where status in ('queued', 'running')`);
    // Operations hub: newest first per workspace, optionally narrowed, keyset on (created_at, id).
    this.addSql(`create index operation_runs_ws_created_idx on operation_runs (workspace_id, created_at desc, id desc)`);
    this.addSql(`create index operation_runs_ws_env_created_idx on operation_runs (workspace_id, environment_id, created_at desc, id desc)`);
    this.addSql(`create index operation_runs_ws_status_created_idx on operation_runs (workspace_id, status, created_at desc, id desc)`);
    this.addSql(`create index operation_runs_ws_type_created_idx on operation_runs (workspace_id, type, created_at desc, id desc)`);
    // Reconciler sweep and stale counts only ever look at active runs: keep that index tiny.
    this.addSql(`create index operation_runs_active_idx on operation_runs (status, type, created_at, last_heartbeat_at)
      where status in ('queued', 'running')`);
    this.addSql(`create table inventory_items (
      id uuid primary key default gen_random_uuid(),
      environment_id uuid not null references managed_environments(id) on delete cascade,
      kind text not null,
      external_id text not null,
      display_name text not null,
      settings jsonb not null,
      content_hash text not null,
      last_synced_run_id uuid null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (environment_id, kind, external_id)
    )`);
    this.addSql(`create index inventory_items_run_idx on inventory_items (last_synced_run_id)`);
    this.addSql(`create table worker_heartbeats (
      instance_id text primary key,
      hostname text not null,
      pid integer not null,
      roles text not null,
      started_at timestamptz not null,
      last_seen_at timestamptz not null
    )`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists worker_heartbeats');
    this.addSql('drop table if exists inventory_items');
    this.addSql('drop table if exists operation_runs');
    this.addSql('drop function if exists opsdeck_all_numeric(jsonb)');
    this.addSql('drop table if exists managed_environments');
    this.addSql('drop table if exists workspaces');
  }
}
