import { InventoryRecord } from '../inventory-item';

export const INVENTORY_PROVIDER = Symbol('INVENTORY_PROVIDER');

/**
 * Where an environment's current policies come from (fixture files today, Microsoft Graph later).
 * Failures are DomainErrors whose messages are safe to show to operators as is.
 */
export interface InventoryProvider {
  open(environmentSlug: string): Promise<InventorySource>;
}

export interface InventorySource {
  /** Items the source announces; duplicates included, so it is an upper bound of distinct items. */
  total: number;
  /** Streams the items; rejects promptly with the signal's reason once `signal` is aborted. */
  items(signal: AbortSignal): AsyncIterable<InventoryRecord>;
}
