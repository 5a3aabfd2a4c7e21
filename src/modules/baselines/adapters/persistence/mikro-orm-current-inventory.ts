import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { OperationCatalog } from '../../../operations/core/operation-catalog';
import { InventoryRecord } from '../../core/inventory-item';
import { CurrentInventory, InventorySyncState } from '../../core/ports/current-inventory.port';

const SYNC_TYPE = 'inventory.sync';

@Injectable()
export class MikroOrmCurrentInventory implements CurrentInventory {
  private readonly syncNames: string[];

  constructor(
    private readonly em: EntityManager,
    @Inject(OperationCatalog) catalog: OperationCatalog,
  ) {
    // Runs stored under a legacy alias count as syncs too: readers resolve names through the catalog.
    const sync = catalog.require(SYNC_TYPE);
    this.syncNames = [sync.type, ...sync.aliases];
  }

  async list(environmentId: string, kinds: string[]): Promise<InventoryRecord[]> {
    const filter = kinds.length > 0 ? 'and kind in (?)' : '';
    const params: unknown[] = kinds.length > 0 ? [environmentId, kinds] : [environmentId];
    return this.em.getConnection().execute<InventoryRecord[]>(
      `select kind, external_id, display_name, settings from inventory_items
       where environment_id = ?::uuid ${filter} order by kind, external_id`,
      params,
      'all',
    );
  }

  /**
   * One statement: the environment's name and the completion of its newest succeeded sync. The
   * workspace column leads the runs index on (workspace, environment), so only this environment's
   * runs are read.
   */
  async syncState(environmentId: string): Promise<InventorySyncState | null> {
    const [row] = await this.em.getConnection().execute<{ name: string; synced_at: Date | null }[]>(
      `select e.display_name as name,
         (select max(r.completed_at) from operation_runs r
           where r.workspace_id = e.workspace_id and r.environment_id = e.id and r.type in (?)
             and r.status = 'completed' and r.outcome = 'succeeded') as synced_at
       from managed_environments e where e.id = ?::uuid`,
      [this.syncNames, environmentId],
      'all',
    );
    return row ? { environmentName: row.name, syncedAt: row.synced_at ? new Date(row.synced_at) : null } : null;
  }
}
