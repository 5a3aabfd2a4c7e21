import { Inject, Injectable } from '@nestjs/common';
import { OperationRun } from '../../../operations/core/operation-run';
import { RegisterReconciliationAdapter } from '../../../reconciliation/adapters/register-reconciliation-adapter.decorator';
import { AdapterDecision, ReconciliationAdapter } from '../../../reconciliation/core/ports/reconciliation-adapter.port';
import { INVENTORY_ITEM_REPOSITORY, InventoryItemRepository } from '../../core/ports/inventory-item.repository.port';

/**
 * A stale inventory sync whose worker is gone: items stamped with this run prove partial work;
 * none prove nothing was done.
 */
@Injectable()
@RegisterReconciliationAdapter()
export class InventorySyncReconciliationAdapter implements ReconciliationAdapter {
  readonly type = 'inventory.sync';
  readonly name = 'inventory-sync';

  constructor(@Inject(INVENTORY_ITEM_REPOSITORY) private readonly items: InventoryItemRepository) {}

  async decide(run: OperationRun): Promise<AdapterDecision> {
    return verdict(await this.items.countByRun(run.id));
  }

  async decideMany(runs: OperationRun[]): Promise<Map<string, AdapterDecision>> {
    const counts = await this.items.countByRuns(runs.map((r) => r.id));
    return new Map(runs.map((r) => [r.id, verdict(counts.get(r.id) ?? 0)]));
  }
}

function verdict(synced: number): AdapterDecision {
  if (synced > 0) {
    return {
      decision: 'partially_succeeded',
      reason: 'inventory_sync_incomplete',
      message: `Reconciled: the sync stopped after ${synced} item${synced === 1 ? ' was' : 's were'} recorded; the inventory is only partly refreshed.`,
      summaryCounts: { processed: synced },
    };
  }
  return {
    decision: 'failed',
    reason: 'inventory_sync_no_items',
    message: 'Reconciled: the worker stopped before any inventory item was recorded.',
  };
}
