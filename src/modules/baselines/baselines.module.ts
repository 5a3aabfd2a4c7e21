import { Module } from '@nestjs/common';
import { loadBaselineRules } from './adapters/config/baseline-rules.loader';
import { BaselinesApiController } from './adapters/http/baselines-api.controller';
import { BaselinesPagesController } from './adapters/http/baselines-pages.controller';
import { MikroOrmBaselineHistoryQuery } from './adapters/persistence/mikro-orm-baseline-history.query';
import { BASELINE_HISTORY_QUERY } from './core/ports/baseline-history.query.port';
import { OperationsModule } from '../operations/operations.module';
import { FixtureInventoryProvider } from './adapters/inventory/fixture-inventory-provider';
import { MikroOrmBaselineCompareRepository } from './adapters/persistence/mikro-orm-baseline-compare.repository';
import { MikroOrmBaselineProfileRepository } from './adapters/persistence/mikro-orm-baseline-profile.repository';
import { MikroOrmBaselineSnapshotRepository } from './adapters/persistence/mikro-orm-baseline-snapshot.repository';
import { MikroOrmCurrentInventory } from './adapters/persistence/mikro-orm-current-inventory';
import { MikroOrmInventoryItemRepository } from './adapters/persistence/mikro-orm-inventory-item.repository';
import { InventorySyncReconciliationAdapter } from './adapters/reconciliation/inventory-sync.reconciliation-adapter';
import { InventorySyncHandler } from './adapters/run-handlers/inventory-sync.handler';
import { BASELINE_RUN_PROVIDERS } from './baseline-runs.providers';
import { BASELINE_USE_CASES } from './baseline-use-cases.providers';
import { BASELINE_RULES } from './baselines.tokens';
import { AppConfig } from '../../shared/adapters/config/app-config';
import { APP_CONFIG } from '../../shared/adapters/config/app-config.token';
import { BASELINE_COMPARE_REPOSITORY } from './core/ports/baseline-compare.repository.port';
import { BASELINE_PROFILE_REPOSITORY } from './core/ports/baseline-profile.repository.port';
import { BASELINE_SNAPSHOT_REPOSITORY } from './core/ports/baseline-snapshot.repository.port';
import { CURRENT_INVENTORY } from './core/ports/current-inventory.port';
import { INVENTORY_ITEM_REPOSITORY } from './core/ports/inventory-item.repository.port';
import { INVENTORY_PROVIDER } from './core/ports/inventory-provider.port';

/** Persistence and config shared by the baselines API, run handlers and other modules. */
const BASELINE_DATA_PROVIDERS = [
  { provide: INVENTORY_ITEM_REPOSITORY, useClass: MikroOrmInventoryItemRepository },
  { provide: CURRENT_INVENTORY, useClass: MikroOrmCurrentInventory },
  { provide: BASELINE_PROFILE_REPOSITORY, useClass: MikroOrmBaselineProfileRepository },
  { provide: BASELINE_SNAPSHOT_REPOSITORY, useClass: MikroOrmBaselineSnapshotRepository },
  { provide: BASELINE_COMPARE_REPOSITORY, useClass: MikroOrmBaselineCompareRepository },
  // Invalid rules stop the boot with every problem listed.
  { provide: BASELINE_RULES, useFactory: (config: AppConfig) => loadBaselineRules(config.projectRoot), inject: [APP_CONFIG] },
];

/**
 * Inventory, baselines and drift. TENANCY_DIRECTORY, AccessControl and APP_CONFIG come from global modules.
 */
@Module({
  imports: [OperationsModule],
  controllers: [BaselinesApiController, BaselinesPagesController],
  providers: [
    InventorySyncHandler,
    InventorySyncReconciliationAdapter,
    ...BASELINE_RUN_PROVIDERS,
    ...BASELINE_USE_CASES,
    { provide: BASELINE_HISTORY_QUERY, useClass: MikroOrmBaselineHistoryQuery },
    ...BASELINE_DATA_PROVIDERS,
    {
      provide: INVENTORY_PROVIDER,
      useFactory: (config: AppConfig) => new FixtureInventoryProvider(config.inventoryFixturesDir),
      inject: [APP_CONFIG],
    },
  ],
  // The repositories are exported for reads elsewhere (reconciliation's countByRun, reviews).
  exports: [InventorySyncHandler, ...BASELINE_DATA_PROVIDERS.map((p) => p.provide)],
})
export class BaselinesModule {}
