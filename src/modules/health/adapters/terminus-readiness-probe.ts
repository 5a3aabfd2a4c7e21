import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheckResult, HealthCheckService, HealthIndicatorResult } from '@nestjs/terminus';
import { ReadinessOutcome, ReadinessProbe } from '../core/ports/readiness-probe.port';
import { ReadinessCheck } from '../core/readiness-policy';
import { ReadinessIndicators } from './readiness.indicators';

/**
 * Terminus runs the required checks (its answer shape is the probe's body); the reported ones run
 * beside them and join the details marked `required: false`.
 */
@Injectable()
export class TerminusReadinessProbe implements ReadinessProbe {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: ReadinessIndicators,
  ) {}

  async run(required: readonly ReadinessCheck[], reported: readonly ReadinessCheck[]): Promise<ReadinessOutcome> {
    const heartbeats = this.indicators.heartbeats();
    const checks: Record<ReadinessCheck, () => Promise<HealthIndicatorResult>> = {
      database: () => this.indicators.database(),
      migrations: () => this.indicators.migrations(),
      redis: () => this.indicators.redisPing(),
      worker: () => this.indicators.ownWorker(heartbeats),
      fleet_workers: () => this.indicators.fleetWorkers(heartbeats),
    };
    const [decided, extras] = await Promise.all([
      this.health.check(required.map((name) => checks[name])).then(
        (body) => ({ ready: true, body }),
        (error: unknown) => {
          if (!(error instanceof ServiceUnavailableException)) throw error;
          return { ready: false, body: error.getResponse() as HealthCheckResult };
        },
      ),
      Promise.all(reported.map((name) => checks[name]())),
    ]);
    const details: Record<string, unknown> = { ...decided.body.details };
    for (const [key, result] of extras.flatMap((extra) => Object.entries(extra))) details[key] = { ...result, required: false };
    return { ready: decided.ready, body: { ...decided.body, details } };
  }
}
