import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig } from '../../../../shared/adapters/config/app-config';
import { APP_CONFIG } from '../../../../shared/adapters/config/app-config.token';
import { ReconcileStaleRuns } from '../../application/reconcile-stale-runs.use-case';

const INTERVAL_NAME = 'lifecycle-reconciler';

/** Sweeps every OPS_RECONCILE_EVERY_S seconds in processes with the scheduler role. */
@Injectable()
export class ReconciliationScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ReconciliationScheduler.name);
  private sweeping: Promise<void> | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly schedules: SchedulerRegistry,
    @Inject(ReconcileStaleRuns) private readonly reconcile: ReconcileStaleRuns,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.roles.includes('scheduler')) return;
    const timer = setInterval(() => this.tick(), this.config.reconcileEveryS * 1000);
    this.schedules.addInterval(INTERVAL_NAME, timer);
  }

  /** A tick while a sweep runs waits for that sweep (the use case joins it) instead of starting one. */
  tick(): Promise<void> {
    if (this.sweeping) return this.sweeping;
    this.sweeping = this.reconcile
      .execute()
      .then((summary) => {
        if (summary.reconciled || summary.deferred || summary.skipped_unverified) {
          this.logger.log(`Reconciler: ${JSON.stringify(summary)}`);
        }
      })
      .catch((error: Error) => this.logger.error(`Reconciler sweep failed: ${error.message}`))
      .finally(() => {
        this.sweeping = null;
      });
    return this.sweeping;
  }

  async onModuleDestroy(): Promise<void> {
    if (this.schedules.doesExist('interval', INTERVAL_NAME)) this.schedules.deleteInterval(INTERVAL_NAME);
    await this.sweeping;
  }
}
