import { BaselineErrors } from './baselines-errors';
import { HandlerResult } from '../../operations/core/ports/run-handler.port';
import { CurrentInventory } from './ports/current-inventory.port';

export type InventoryReadiness = { ready: true; syncedAt: Date } | { ready: false; result: HandlerResult };

/**
 * Capture and compare read an environment's inventory only once an inventory sync of it has
 * succeeded: before that, its empty inventory would read as "no items" and "no drift". The run
 * then ends blocked before it writes anything, telling the operator what to do.
 */
export async function inventoryReadiness(inventory: CurrentInventory, environmentId: string): Promise<InventoryReadiness> {
  const state = await inventory.syncState(environmentId);
  if (!state) throw BaselineErrors.runEnvironmentGone();
  if (state.syncedAt) return { ready: true, syncedAt: state.syncedAt };
  return {
    ready: false,
    result: {
      outcome: 'blocked',
      failures: [{ code: 'inventory_not_synced', message: `Run an inventory sync of ${state.environmentName} first.` }],
    },
  };
}
