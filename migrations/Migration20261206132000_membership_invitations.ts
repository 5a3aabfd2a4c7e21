import { Migration } from '@mikro-orm/migrations';

/**
 * Invitations to a workspace for people without an account: a one-time link valid 7 days, stored
 * only as the sha256 of its token. Accepting one creates the user and the membership it names in
 * one transaction and marks it accepted, so a link works once. A new invitation of the same email
 * to the same workspace replaces the pending one.
 */
export class Migration20261206132000_membership_invitations extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table membership_invitations (
      id uuid primary key default gen_random_uuid(),
      workspace_id uuid not null references workspaces(id) on delete cascade,
      email text not null,
      role text not null,
      all_environments boolean not null default true,
      environment_ids uuid[] not null default '{}',
      token_hash text not null unique,
      invited_by uuid null references users(id) on delete set null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      accepted_at timestamptz null,
      accepted_user_id uuid null references users(id) on delete set null,
      constraint membership_invitations_role_chk check (role in ('owner', 'manager', 'operator', 'readonly'))
    )`);
    this.addSql(`create unique index membership_invitations_pending_uq
      on membership_invitations (workspace_id, lower(email)) where accepted_at is null`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists membership_invitations`);
  }
}
