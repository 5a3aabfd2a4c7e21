import { DynamicModule, Module, Provider } from '@nestjs/common';
import { AuditModule } from './modules/audit/audit.module';
import { BulkRunsModule } from './modules/bulk-runs/bulk-runs.module';
import { BaselinesModule } from './modules/baselines/baselines.module';
import { EnvironmentReviewsModule } from './modules/environment-reviews/environment-reviews.module';
import { NotificationsModule } from './modules/notifications/notifications.module';
import { OperationsModule } from './modules/operations/operations.module';
import { RbacModule } from './modules/rbac/rbac.module';
import { WebModule } from './modules/web/web.module';
import { WorkspacesModule } from './modules/workspaces/workspaces.module';
import { ReconciliationModule } from './modules/reconciliation/reconciliation.module';
import { AppConfig } from './shared/adapters/config/app-config';
import { HealthModule } from './modules/health/health.module';
import { PlatformModule } from './shared/adapters/platform.module';

export interface AppModuleOptions {
  /** Extra modules (tests register their own run handlers through these). */
  imports?: DynamicModule['imports'];
  providers?: Provider[];
}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, options: AppModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot(config),
        RbacModule,
        AuditModule,
        NotificationsModule,
        OperationsModule,
        BaselinesModule,
        ReconciliationModule,
        EnvironmentReviewsModule,
        BulkRunsModule,
        HealthModule,
        WebModule,
        WorkspacesModule,
        ...(options.imports ?? []),
      ],
      providers: options.providers ?? [],
    };
  }
}
