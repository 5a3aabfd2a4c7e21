import { MikroOrmModule } from '@mikro-orm/nestjs';
import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { CLOCK, SystemClock } from '../core/clock.port';
import { AppConfig } from './config/app-config';
import { APP_ROLE_LIST } from '../core/app-roles';
import { APP_CONFIG } from './config/app-config.token';
import { buildOrmOptions } from './persistence/mikro-orm.config';
import { setPreparedStatementNames } from './persistence/prepared-sql';
import { queuePrefixFor, redisConnectionFor } from './redis-connection';
import { ViewService } from './views/view.service';
import { PublicUrls } from './http/public-urls';

/** Infrastructure every module shares: config, clock, PostgreSQL, Redis queues, schedule, views. */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(config: AppConfig): DynamicModule {
    // A transaction-mode pooler hands a server connection to another client between transactions,
    // taking a named statement with it, unless it tracks them (PgBouncer ≥ 1.21): see AppConfig.
    setPreparedStatementNames(config.databaseNamedStatements);
    return {
      module: PlatformModule,
      imports: [
        MikroOrmModule.forRoot({
          ...buildOrmOptions(config.databaseUrl, config.projectRoot, config.databasePooler),
          autoLoadEntities: true,
        }),
        // Enqueue has its own timeout; a job added late finds its run terminal and is skipped.
        BullModule.forRoot({
          connection: redisConnectionFor(config),
          prefix: queuePrefixFor(config),
        }),
        ScheduleModule.forRoot(),
      ],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: APP_ROLE_LIST, useValue: Object.freeze([...config.roles]) },
        { provide: CLOCK, useClass: SystemClock },
        ViewService,
        PublicUrls,
      ],
      exports: [APP_CONFIG, APP_ROLE_LIST, CLOCK, ViewService, PublicUrls],
    };
  }
}
