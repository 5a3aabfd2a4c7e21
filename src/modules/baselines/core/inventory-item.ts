import { sha256Hex, stableStringify } from '../../../shared/core/stable-json';

/** One policy as an inventory provider reports it; `settings` is kept verbatim (volatile fields too). */
export interface InventoryRecord {
  kind: string;
  external_id: string;
  display_name: string;
  settings: Record<string, unknown>;
}

/**
 * Hash of what an operator would call the item's content. `external_id` is left out because it is
 * the item's identity, not its content; keys are sorted so provider key order never looks like drift.
 */
export function inventoryContentHash(record: InventoryRecord): string {
  return sha256Hex(
    stableStringify({
      kind: record.kind,
      display_name: record.display_name,
      settings: record.settings,
    }),
  );
}

/** Identity of an item inside one environment (matches the table's unique key). */
export function inventoryItemKey(record: Pick<InventoryRecord, 'kind' | 'external_id'>): string {
  return JSON.stringify([record.kind, record.external_id]);
}
