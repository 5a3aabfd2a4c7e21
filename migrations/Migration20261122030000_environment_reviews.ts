import { Migration } from '@mikro-orm/migrations';

/**
 * Environment reviews: one governance document per environment and period, composed by
 * environment.review.compose. `sections` holds the evidence (EvidenceSection list with data),
 * `basis` what the fingerprint was computed from. A run writes a `draft` first and flips it to
 * `ready` (and the previous ready one to `superseded`) in one transaction; the partial unique
 * index makes "two ready reviews for one period" impossible at the database level.
 */
export class Migration20261122030000_environment_reviews extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table environment_reviews (
      id uuid primary key default gen_random_uuid(),
      workspace_id uuid not null references workspaces(id) on delete cascade,
      environment_id uuid not null references managed_environments(id) on delete cascade,
      period_from date not null,
      period_to date not null,
      period_label text not null,
      status text not null default 'draft',
      fingerprint text not null,
      sections jsonb not null default '[]'::jsonb,
      basis jsonb not null default '{}'::jsonb,
      supersedes_review_id uuid null references environment_reviews(id) on delete set null,
      run_id uuid null,
      created_at timestamptz not null default now(),
      ready_at timestamptz null,
      superseded_at timestamptz null,
      constraint environment_reviews_status_chk check (status in ('draft', 'ready', 'superseded')),
      constraint environment_reviews_period_chk check (period_from < period_to)
    )`);
    this.addSql(`create unique index environment_reviews_one_ready_uq
      on environment_reviews (environment_id, period_from, period_to) where status = 'ready'`);
    this.addSql(`create index environment_reviews_env_idx on environment_reviews (environment_id, created_at desc)`);
    this.addSql(`create index environment_reviews_run_idx on environment_reviews (run_id)`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists environment_reviews');
  }
}
