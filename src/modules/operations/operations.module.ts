import { FindRunTargets } from './application/run-targets.query';
import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AppConfig } from '../../shared/adapters/config/app-config';
import { APP_CONFIG } from '../../shared/adapters/config/app-config.token';
import { Clock, CLOCK } from '../../shared/core/clock.port';
import { RbacInitiatorAuthorization } from './adapters/authorization/rbac-initiator-authorization';
import { CatalogCapabilityCheck } from './adapters/config/catalog-capability.check';
import { loadOperationCatalog, loadOperationCatalogFrom } from './adapters/config/operation-catalog.loader';
import { OperationsApiController } from './adapters/http/operations-api.controller';
import { CancelRun } from './application/cancel-run.use-case';
import { RetryRun } from './application/retry-run.use-case';
import { GetRunActions } from './application/run-actions.query';
import { RunControlPageController } from './adapters/http/run-control-page.controller';
import { GetRun } from './application/get-run.query';
import { ListOperations } from './application/list-operations.query';
import { GetEnvironmentRunFigures } from './application/environment-run-figures.query';
import { StartOperation } from './application/start-operation.use-case';
import { OperationsPagesController } from './adapters/http/operations-pages.controller';
import { StartOperationPageController } from './adapters/http/start-operation-page.controller';
import { OperationsMetrics } from './adapters/metrics/operations-metrics';
import { MikroOrmOperationRunRepository } from './adapters/persistence/mikro-orm-operation-run.repository';
import { MikroOrmRunListQuery } from './adapters/persistence/mikro-orm-run-list.query';
import { BullMqRunQueue } from './adapters/queue/bullmq-run-queue';
import { FailedJobBridge } from './adapters/queue/failed-job-bridge';
import { RunHandlerDiscovery } from './adapters/queue/run-handler-discovery';
import { RunProcessorHost } from './adapters/queue/run-processor-host';
import { RUN_QUEUE_NAME } from './adapters/queue/run-queue.constants';
import { RunWorker } from './adapters/queue/run-worker';
import { RunResourceAssembler } from './application/run-resource.assembler';
import { WorkerHeartbeatService } from './adapters/worker-heartbeat/worker-heartbeat.service';
import { OperationCatalog } from './core/operation-catalog';
import { OperationRunService } from './core/operation-run.service';
import { COMPLETION_AUDIT, CompletionAudit } from './core/ports/completion-audit.port';
import { INITIATOR_AUTHORIZATION } from './core/ports/initiator-authorization.port';
import { OPERATION_RUN_REPOSITORY, OperationRunRepository } from './core/ports/operation-run.repository.port';
import { RUN_LIST_QUERY } from './core/ports/run-list-query.port';
import { RUN_QUEUE, RunQueue } from './core/ports/run-queue.port';
import { RelatedArtifactLinks } from './core/related-artifact-links';
import { RunHandlerRegistry } from './core/run-handler-registry';
import { RunObserverRegistry } from './core/run-observer-registry';
import { StartFormRegistry } from './core/start-form';
import { OPERATION_CATALOG_SOURCE } from './operations.tokens';

@Module({
  imports: [DiscoveryModule, BullModule.registerQueue({ name: RUN_QUEUE_NAME })],
  controllers: [OperationsApiController, StartOperationPageController, OperationsPagesController, RunControlPageController],
  providers: [
    { provide: OPERATION_CATALOG_SOURCE, useValue: null },
    {
      provide: OperationCatalog,
      inject: [APP_CONFIG, OPERATION_CATALOG_SOURCE],
      useFactory: (config: AppConfig, source: unknown) =>
        new OperationCatalog(source ? loadOperationCatalogFrom(source, config) : loadOperationCatalog(config)),
    },
    {
      provide: RunHandlerRegistry,
      inject: [OperationCatalog],
      useFactory: (catalog: OperationCatalog) => new RunHandlerRegistry(catalog),
    },
    { provide: OPERATION_RUN_REPOSITORY, useClass: MikroOrmOperationRunRepository },
    { provide: RUN_QUEUE, useClass: BullMqRunQueue },
    { provide: INITIATOR_AUTHORIZATION, useClass: RbacInitiatorAuthorization },
    { provide: StartFormRegistry, useFactory: () => new StartFormRegistry() },
    { provide: RelatedArtifactLinks, useFactory: () => new RelatedArtifactLinks() },
    // Observers (metrics here, notifications and others in their own modules) register themselves.
    { provide: RunObserverRegistry, useFactory: () => new RunObserverRegistry() },
    {
      provide: OperationRunService,
      inject: [OPERATION_RUN_REPOSITORY, RUN_QUEUE, OperationCatalog, RunHandlerRegistry, CLOCK, RunObserverRegistry, COMPLETION_AUDIT],
      useFactory: (
        runs: OperationRunRepository,
        queue: RunQueue,
        catalog: OperationCatalog,
        handlers: RunHandlerRegistry,
        clock: Clock,
        observers: RunObserverRegistry,
        audit: CompletionAudit,
      ) => new OperationRunService(runs, queue, catalog, handlers, clock, observers.observers, audit),
    },
    OperationsMetrics,
    RunHandlerDiscovery,
    CatalogCapabilityCheck,
    RunProcessorHost,
    FailedJobBridge,
    RunWorker,
    WorkerHeartbeatService,
    RunResourceAssembler,
    { provide: RUN_LIST_QUERY, useClass: MikroOrmRunListQuery },
    StartOperation,
    ListOperations,
    GetEnvironmentRunFigures,
    GetRun,
    CancelRun,
    FindRunTargets,
    RetryRun,
    GetRunActions,
  ],
  exports: [StartOperation, FindRunTargets, CancelRun, RetryRun, ListOperations, GetEnvironmentRunFigures, GetRun, RUN_QUEUE, INITIATOR_AUTHORIZATION, RUN_LIST_QUERY, OperationRunService, RunResourceAssembler, OperationCatalog, RunHandlerRegistry, StartFormRegistry, RelatedArtifactLinks, OperationsMetrics, WorkerHeartbeatService, RunWorker],
})
export class OperationsModule {}
