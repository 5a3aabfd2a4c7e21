import { OperationCatalog } from '../../operations/core/operation-catalog';

const SYNC_TYPE = 'inventory.sync';

/** The stored type names of inventory syncs (the canonical type and its legacy aliases). */
export function inventorySyncTypes(catalog: OperationCatalog): string[] {
  const def = catalog.resolve(SYNC_TYPE);
  return def ? [def.type, ...def.aliases] : [SYNC_TYPE];
}
