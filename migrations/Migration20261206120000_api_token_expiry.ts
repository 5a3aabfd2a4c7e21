import { Migration } from '@mikro-orm/migrations';

/**
 * Personal API tokens may expire (`expires_at`, null = never): an expired token authenticates no
 * request, like a revoked one. The account page and `GET /api/v1/me/tokens` list a user's tokens,
 * so they are found by owner.
 */
export class Migration20261206120000_api_token_expiry extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table api_tokens add column expires_at timestamptz null`);
    this.addSql(`create index api_tokens_user_idx on api_tokens (user_id, created_at desc)`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists api_tokens_user_idx`);
    this.addSql(`alter table api_tokens drop column if exists expires_at`);
  }
}
