import { Module } from '@nestjs/common';
import { BaselinesModule } from '../baselines/baselines.module';
import { OperationsModule } from '../operations/operations.module';
import { WorkspacePagesController } from './adapters/http/workspace-pages.controller';
import { WorkspaceReadQuery } from './adapters/persistence/workspace-read.query';
import { GetEnvironmentActiveRuns } from './application/environment-active-runs.query';
import { GetEnvironmentDashboard } from './application/environment-dashboard.query';
import { GetWorkspaceOverview } from './application/workspace-overview.query';
import { WORKSPACE_FACTS } from './core/ports/workspace-facts.port';

/**
 * The workspace overview and environment dashboard pages: read models composed from operations
 * (runs and hub counts), baselines (inventory, profiles, compare results) and environment reviews.
 * AccessControl, ENVIRONMENT_LISTING, CLOCK and the page frame come from global modules.
 */
@Module({
  imports: [OperationsModule, BaselinesModule],
  controllers: [WorkspacePagesController],
  providers: [{ provide: WORKSPACE_FACTS, useClass: WorkspaceReadQuery }, GetWorkspaceOverview, GetEnvironmentDashboard, GetEnvironmentActiveRuns],
})
export class WorkspacesModule {}
