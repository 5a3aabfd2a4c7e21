import { Migration } from '@mikro-orm/migrations';

/**
 * A pending invitation can be revoked (by an operator, or by a new invitation of the same email):
 * its row stays, marked `revoked_at`, so the history of who was invited when is kept, and its link
 * stops working at once. Only a live row (neither accepted nor revoked) is unique per email and
 * workspace; a row is never both accepted and revoked.
 */
export class Migration20261207140000_invitation_revocation extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table membership_invitations add column revoked_at timestamptz null`);
    this.addSql(`alter table membership_invitations add constraint membership_invitations_accepted_or_revoked_chk
      check (accepted_at is null or revoked_at is null)`);
    this.addSql(`drop index if exists membership_invitations_pending_uq`);
    this.addSql(`create unique index membership_invitations_pending_uq
      on membership_invitations (workspace_id, lower(email)) where accepted_at is null and revoked_at is null`);
  }

  override async down(): Promise<void> {
    // The old unique index allows one unaccepted row per email: revoked rows go first.
    this.addSql(`delete from membership_invitations where revoked_at is not null`);
    this.addSql(`drop index if exists membership_invitations_pending_uq`);
    this.addSql(`create unique index membership_invitations_pending_uq
      on membership_invitations (workspace_id, lower(email)) where accepted_at is null`);
    this.addSql(`alter table membership_invitations drop constraint if exists membership_invitations_accepted_or_revoked_chk`);
    this.addSql(`alter table membership_invitations drop column if exists revoked_at`);
  }
}
