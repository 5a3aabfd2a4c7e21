import { Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheckResult, HealthCheckService, HealthIndicatorResult } from '@nestjs/terminus';
import { AppConfig, AppRole } from '../../../shared/adapters/config/app-config';
import { APP_CONFIG } from '../../../shared/adapters/config/app-config.token';
import { ReadinessIndicators } from './readiness.indicators';

type CheckName = 'database' | 'migrations' | 'redis' | 'worker' | 'fleet_workers';

/**
 * What each role needs to do its own work (the README's readiness table). A web instance serves
 * signed-in pages and reads from PostgreSQL alone; with Redis down its starts (and sign-ins) answer
 * 503, which is no reason to take it out of a load balancer. A worker needs Redis and its own
 * heartbeat; a scheduler's sweeps need Redis to tell live jobs from lost ones.
 */
const REQUIRED_BY_ROLE: Record<AppRole, readonly CheckName[]> = {
  web: [],
  worker: ['redis', 'worker'],
  scheduler: ['redis'],
};
const ALWAYS_REQUIRED: readonly CheckName[] = ['database', 'migrations'];
/** Reported in the details by every instance, ready or not, without deciding readiness. */
const ALWAYS_REPORTED: readonly CheckName[] = ['redis', 'fleet_workers'];

export interface ReadinessReport {
  ready: boolean;
  body: HealthCheckResult & { roles: AppRole[] };
}

/** `/health/ready` of this instance: the checks its own roles need decide; the rest is reported. */
@Injectable()
export class ReadinessService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly health: HealthCheckService,
    private readonly indicators: ReadinessIndicators,
  ) {}

  async report(): Promise<ReadinessReport> {
    const heartbeats = this.indicators.heartbeats();
    const checks: Record<CheckName, () => Promise<HealthIndicatorResult>> = {
      database: () => this.indicators.database(),
      migrations: () => this.indicators.migrations(),
      redis: () => this.indicators.redisPing(),
      worker: () => this.indicators.ownWorker(heartbeats),
      fleet_workers: () => this.indicators.fleetWorkers(heartbeats),
    };
    const required = new Set([...ALWAYS_REQUIRED, ...this.config.roles.flatMap((role) => REQUIRED_BY_ROLE[role])]);
    const reported = ALWAYS_REPORTED.filter((name) => !required.has(name));
    const [decided, extras] = await Promise.all([
      this.health.check([...required].map((name) => checks[name])).then(
        (body) => ({ ready: true, body }),
        (error: unknown) => {
          if (!(error instanceof ServiceUnavailableException)) throw error;
          return { ready: false, body: error.getResponse() as HealthCheckResult };
        },
      ),
      Promise.all(reported.map((name) => checks[name]())),
    ]);
    const details = { ...decided.body.details };
    for (const [key, result] of extras.flatMap((extra) => Object.entries(extra))) details[key] = { ...result, required: false };
    return { ready: decided.ready, body: { ...decided.body, details, roles: [...this.config.roles] } };
  }
}
