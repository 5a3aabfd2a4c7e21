import { Module } from '@nestjs/common';
import { FixtureInventoryProvider } from './adapters/inventory/fixture-inventory-provider';
import { MikroOrmInventoryItemRepository } from './adapters/persistence/mikro-orm-inventory-item.repository';
import { InventorySyncReconciliationAdapter } from './adapters/reconciliation/inventory-sync.reconciliation-adapter';
import { InventorySyncHandler } from './adapters/run-handlers/inventory-sync.handler';
import { AppConfig } from '../../shared/adapters/config/app-config';
import { APP_CONFIG } from '../../shared/adapters/config/app-config.token';
import { INVENTORY_ITEM_REPOSITORY } from './core/ports/inventory-item.repository.port';
import { INVENTORY_PROVIDER } from './core/ports/inventory-provider.port';

/**
 * Inventory, baselines and drift. TENANCY_DIRECTORY and APP_CONFIG come from global modules.
 */
@Module({
  providers: [
    InventorySyncHandler,
    InventorySyncReconciliationAdapter,
    { provide: INVENTORY_ITEM_REPOSITORY, useClass: MikroOrmInventoryItemRepository },
    {
      provide: INVENTORY_PROVIDER,
      useFactory: (config: AppConfig) => new FixtureInventoryProvider(config.inventoryFixturesDir),
      inject: [APP_CONFIG],
    },
  ],
  // The repository is exported for inventory reads elsewhere (reconciliation's countByRun, reviews).
  exports: [InventorySyncHandler, INVENTORY_ITEM_REPOSITORY],
})
export class BaselinesModule {}
