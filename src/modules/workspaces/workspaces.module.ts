import { Module } from '@nestjs/common';
import { BaselinesModule } from '../baselines/baselines.module';
import { OperationsModule } from '../operations/operations.module';
import { EnvironmentSettingsPagesController } from './adapters/http/environment-settings-pages.controller';
import { EnvironmentsApiController } from './adapters/http/environments-api.controller';
import { WorkspacePagesController } from './adapters/http/workspace-pages.controller';
import { MikroOrmEnvironmentAdminRepository } from './adapters/persistence/mikro-orm-environment-admin.repository';
import { WorkspaceReadQuery } from './adapters/persistence/workspace-read.query';
import { ArchiveEnvironment } from './application/archive-environment.use-case';
import { CreateEnvironment } from './application/create-environment.use-case';
import { GetEnvironmentActiveRuns } from './application/environment-active-runs.query';
import { GetEnvironmentDashboard } from './application/environment-dashboard.query';
import { GetEnvironmentSettings } from './application/environment-settings.query';
import { ListEnvironments } from './application/list-environments.query';
import { RestoreEnvironment } from './application/restore-environment.use-case';
import { UpdateEnvironment } from './application/update-environment.use-case';
import { GetWorkspaceOverview } from './application/workspace-overview.query';
import { ENVIRONMENT_ADMIN_REPOSITORY } from './core/ports/environment-admin.repository.port';
import { FIXTURE_PROVIDER_KIND, ProviderKindRegistry } from './core/provider-kind';
import { WORKSPACE_FACTS } from './core/ports/workspace-facts.port';

/**
 * The workspace overview and environment dashboard pages: read models composed from operations
 * (runs and hub counts), baselines (inventory, profiles, compare results) and environment reviews.
 * Also environment administration (issue 19): the environments API and the workspace settings
 * page, with the registry of inventory provider kinds (a new kind is one more entry below).
 * AccessControl, ENVIRONMENT_LISTING, CLOCK, AUDIT_LOG and the page frame come from global modules.
 */
@Module({
  imports: [OperationsModule, BaselinesModule],
  controllers: [WorkspacePagesController, EnvironmentsApiController, EnvironmentSettingsPagesController],
  providers: [
    { provide: WORKSPACE_FACTS, useClass: WorkspaceReadQuery },
    { provide: ENVIRONMENT_ADMIN_REPOSITORY, useClass: MikroOrmEnvironmentAdminRepository },
    { provide: ProviderKindRegistry, useFactory: () => new ProviderKindRegistry([FIXTURE_PROVIDER_KIND]) },
    GetWorkspaceOverview,
    GetEnvironmentDashboard,
    GetEnvironmentActiveRuns,
    ListEnvironments,
    CreateEnvironment,
    UpdateEnvironment,
    ArchiveEnvironment,
    RestoreEnvironment,
    GetEnvironmentSettings,
  ],
})
export class WorkspacesModule {}
