import { InventoryRecord } from '../inventory-item';

export const CURRENT_INVENTORY = Symbol('CURRENT_INVENTORY');

/** Whether an environment's inventory is evidence yet: only a succeeded inventory.sync makes it so. */
export interface InventorySyncState {
  /** Display name, for the operator message when it is not. */
  environmentName: string;
  /** Completion of the environment's last succeeded inventory.sync; null when none ever succeeded. */
  syncedAt: Date | null;
}

/** Reads an environment's last synced inventory (what baselines capture and compare). */
export interface CurrentInventory {
  /** Items in (kind, external_id) order; `kinds` empty means every kind. */
  list(environmentId: string, kinds: string[]): Promise<InventoryRecord[]>;
  /** Null when the environment no longer exists. */
  syncState(environmentId: string): Promise<InventorySyncState | null>;
}
