import { Module } from '@nestjs/common';
import { BaselinesModule } from '../baselines/baselines.module';
import { OperationsModule } from '../operations/operations.module';
import { WorkspacePagesController } from './adapters/http/workspace-pages.controller';
import { WorkspacePagesService } from './adapters/http/workspace-pages.service';
import { WorkspaceReadQuery } from './adapters/persistence/workspace-read.query';

/**
 * The workspace overview and environment dashboard pages: read models composed from operations
 * (runs and hub counts), baselines (inventory, profiles, compare results) and environment reviews.
 * AccessControl, ENVIRONMENT_LISTING, CLOCK and the page frame come from global modules.
 */
@Module({
  imports: [OperationsModule, BaselinesModule],
  controllers: [WorkspacePagesController],
  providers: [WorkspaceReadQuery, WorkspacePagesService],
})
export class WorkspacesModule {}
