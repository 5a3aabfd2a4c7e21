import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Clock, CLOCK } from '../../shared/core/clock.port';
import { OperationCatalog } from '../operations/core/operation-catalog';
import { OperationRunService } from '../operations/core/operation-run.service';
import { RUN_QUEUE, RunQueue } from '../operations/core/ports/run-queue.port';
import { OperationsModule } from '../operations/operations.module';
import { MikroOrmStaleRunSource } from './adapters/persistence/mikro-orm-stale-run-source';
import { ReconciliationAdapterDiscovery } from './adapters/reconciliation-adapter.discovery';
import { ReconciliationScheduler } from './adapters/schedule/reconciliation.scheduler';
import { ReconcileStaleRuns } from './application/reconcile-stale-runs.use-case';
import { LifecycleReconciler } from './core/lifecycle-reconciler';
import { ReconciliationAdapterRegistry } from './core/reconciliation-adapter.registry';
import { STALE_RUN_SOURCE, StaleRunSource } from './core/ports/stale-run-source.port';

@Module({
  imports: [DiscoveryModule, OperationsModule],
  providers: [
    { provide: STALE_RUN_SOURCE, useClass: MikroOrmStaleRunSource },
    {
      provide: ReconciliationAdapterRegistry,
      inject: [OperationCatalog],
      useFactory: (catalog: OperationCatalog) => new ReconciliationAdapterRegistry(catalog),
    },
    {
      provide: LifecycleReconciler,
      inject: [STALE_RUN_SOURCE, RUN_QUEUE, ReconciliationAdapterRegistry, OperationRunService, OperationCatalog, CLOCK],
      useFactory: (
        source: StaleRunSource,
        queue: RunQueue,
        adapters: ReconciliationAdapterRegistry,
        runs: OperationRunService,
        catalog: OperationCatalog,
        clock: Clock,
      ) => new LifecycleReconciler(source, queue, adapters, runs, catalog, clock),
    },
    ReconcileStaleRuns,
    ReconciliationAdapterDiscovery,
    ReconciliationScheduler,
  ],
  exports: [LifecycleReconciler, ReconcileStaleRuns, ReconciliationScheduler],
})
export class ReconciliationModule {}
