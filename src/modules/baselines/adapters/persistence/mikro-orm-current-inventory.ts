import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { InventoryRecord } from '../../core/inventory-item';
import { CurrentInventory } from '../../core/ports/current-inventory.port';

@Injectable()
export class MikroOrmCurrentInventory implements CurrentInventory {
  constructor(private readonly em: EntityManager) {}

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
}
