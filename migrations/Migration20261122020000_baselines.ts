import { Migration } from '@mikro-orm/migrations';

/**
 * Baseline profiles, their immutable snapshots and drift compare results.
 * `run_id` is unique on snapshots and compare results: a retried attempt of the same run finds
 * and resumes its own row instead of creating a second one; (compare_result_id, pair_key) is
 * unique so re-recording a batch after a crash can never duplicate a finding.
 */
export class Migration20261122020000_baselines extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table baseline_profiles (
      id uuid primary key default gen_random_uuid(),
      workspace_id uuid not null references workspaces(id) on delete cascade,
      name text not null,
      source_environment_id uuid not null references managed_environments(id) on delete cascade,
      policy_kinds text[] not null default '{}',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`);
    this.addSql(`create unique index baseline_profiles_ws_name_uq on baseline_profiles (workspace_id, lower(name))`);
    this.addSql(`create table baseline_snapshots (
      id uuid primary key default gen_random_uuid(),
      profile_id uuid not null references baseline_profiles(id) on delete cascade,
      run_id uuid not null unique,
      status text not null default 'capturing',
      item_count integer not null default 0,
      created_at timestamptz not null default now(),
      completed_at timestamptz null,
      constraint baseline_snapshots_status_chk check (status in ('capturing', 'complete', 'unusable'))
    )`);
    this.addSql(`create index baseline_snapshots_profile_idx on baseline_snapshots (profile_id, created_at desc)`);
    this.addSql(`create table baseline_snapshot_items (
      snapshot_id uuid not null references baseline_snapshots(id) on delete cascade,
      kind text not null,
      external_id text not null,
      display_name text not null,
      normalized jsonb not null,
      hash text not null,
      primary key (snapshot_id, kind, external_id)
    )`);
    this.addSql(`create table baseline_compare_results (
      id uuid primary key default gen_random_uuid(),
      profile_id uuid not null references baseline_profiles(id) on delete cascade,
      snapshot_id uuid not null references baseline_snapshots(id) on delete cascade,
      target_environment_id uuid not null references managed_environments(id) on delete cascade,
      run_id uuid not null unique,
      status text not null default 'in_progress',
      checkpoint integer not null default 0,
      total_pairs integer null,
      findings_count integer not null default 0,
      created_at timestamptz not null default now(),
      completed_at timestamptz null,
      constraint baseline_compare_results_status_chk check (status in ('in_progress', 'complete', 'unusable'))
    )`);
    this.addSql(`create index baseline_compare_results_profile_idx on baseline_compare_results (profile_id, created_at desc)`);
    this.addSql(`create table baseline_findings (
      id uuid primary key default gen_random_uuid(),
      compare_result_id uuid not null references baseline_compare_results(id) on delete cascade,
      type text not null,
      kind text not null,
      external_id text not null,
      display_name text not null,
      changes jsonb null,
      pair_key text not null,
      -- Also the findings page order: keyset on pair_key within one result.
      unique (compare_result_id, pair_key)
    )`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists baseline_findings');
    this.addSql('drop table if exists baseline_compare_results');
    this.addSql('drop table if exists baseline_snapshot_items');
    this.addSql('drop table if exists baseline_snapshots');
    this.addSql('drop table if exists baseline_profiles');
  }
}
