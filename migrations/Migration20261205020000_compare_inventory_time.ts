import { Migration } from '@mikro-orm/migrations';

/**
 * A compare result records when the target's inventory it read was synced (the completion time of
 * the environment's last succeeded inventory.sync), so every surface can say how fresh the drift
 * is. Results recorded before this column have no such time: null, shown as unknown.
 */
export class Migration20261205020000_compare_inventory_time extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table baseline_compare_results add column inventory_synced_at timestamptz null`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table baseline_compare_results drop column inventory_synced_at`);
  }
}
