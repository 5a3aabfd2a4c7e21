import { Module } from '@nestjs/common';
import { OperationsModule } from '../operations/operations.module';
import { BulkRunsApiController } from './adapters/http/bulk-runs-api.controller';
import { BulkRunsPagesController } from './adapters/http/bulk-runs-pages.controller';
import { MikroOrmRunChildren } from './adapters/persistence/mikro-orm-run-children';
import {
  BulkCancelReconciliationAdapter,
  BulkRetryReconciliationAdapter,
  FanOutReconciliationAdapter,
} from './adapters/reconciliation/bulk-run.reconciliation-adapters';
import { BulkCancelHandler, BulkRetryHandler, FanOutHandler } from './adapters/run-handlers/bulk-run.handlers';
import { BulkRunWork } from './application/bulk-run-work';
import { DispatchWorkspaceRun } from './application/dispatch-workspace-run';
import { ListRunChildren } from './application/list-run-children.query';
import { StartBulkAction } from './application/start-bulk-action.use-case';
import { StartFanOut } from './application/start-fan-out.use-case';
import { RUN_CHILDREN } from './core/ports/run-children.port';

/**
 * Runs that act on runs (issue 17): bulk cancel and bulk retry over a hub view, and fan-out
 * starts across environments — each an operation run of its own, with its children recorded,
 * its pages and API, and a reconciliation adapter. AccessControl, AUDIT_LOG and CLOCK come from
 * global modules; the operations use cases from OperationsModule.
 */
@Module({
  imports: [OperationsModule],
  controllers: [BulkRunsApiController, BulkRunsPagesController],
  providers: [
    { provide: RUN_CHILDREN, useClass: MikroOrmRunChildren },
    DispatchWorkspaceRun,
    StartBulkAction,
    StartFanOut,
    ListRunChildren,
    BulkRunWork,
    BulkCancelHandler,
    BulkRetryHandler,
    FanOutHandler,
    BulkCancelReconciliationAdapter,
    BulkRetryReconciliationAdapter,
    FanOutReconciliationAdapter,
  ],
})
export class BulkRunsModule {}
