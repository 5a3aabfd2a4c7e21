import { Migration } from '@mikro-orm/migrations';

/**
 * Audit events get a random public id. The bigserial `id` comes from one sequence shared by every
 * workspace, so the gaps between a reader's ids counted other tenants' events; it stays internal
 * (the keyset tie-breaker) and the API and cursors carry `public_id` instead. No index: a cursor
 * names its event's time too, so the lookup rides `audit_events_ws_at_idx`.
 */
export class Migration20261205040000_audit_event_public_id extends Migration {
  override async up(): Promise<void> {
    // A volatile default gives every existing row its own value (the rewrite fires no row trigger).
    this.addSql(`alter table audit_events add column public_id uuid not null default gen_random_uuid()`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table audit_events drop column if exists public_id`);
  }
}
