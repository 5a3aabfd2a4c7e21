import { InventoryRecord } from '../inventory-item';

export const CURRENT_INVENTORY = Symbol('CURRENT_INVENTORY');

/** Reads an environment's last synced inventory (what baselines capture and compare). */
export interface CurrentInventory {
  /** Items in (kind, external_id) order; `kinds` empty means every kind. */
  list(environmentId: string, kinds: string[]): Promise<InventoryRecord[]>;
}
