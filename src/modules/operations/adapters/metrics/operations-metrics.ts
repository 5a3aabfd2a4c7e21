import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { AppConfig } from '../../../../shared/adapters/config/app-config';
import { APP_CONFIG } from '../../../../shared/adapters/config/app-config.token';
import { Clock, CLOCK } from '../../../../shared/core/clock.port';
import { OperationCatalog } from '../../core/operation-catalog';
import { OperationRun } from '../../core/operation-run';
import { RunLifecycleObserver } from '../../core/ports/run-lifecycle-observer.port';
import { RegisterRunObserver } from '../queue/register-run-observer.decorator';
import { registerFleetRunGauges } from './fleet-run-gauges';

export const METRICS_PREFIX = 'opsdeck_';

/**
 * Prometheus metrics, one registry per app instance (several apps can live in one test process).
 * Counters, the histogram and the process metrics are this instance's own, so they sum over a
 * fleet. The fleet-wide gauges read from PostgreSQL are exported by instances with the scheduler
 * role only (the README: one scheduler per fleet); every other instance would repeat the figures.
 */
@Injectable()
@RegisterRunObserver()
export class OperationsMetrics implements RunLifecycleObserver {
  readonly registry = new Registry();
  private readonly jobDuration: Histogram<'type' | 'outcome'>;
  private readonly completed: Counter<'type' | 'outcome'>;
  private readonly reconciliations: Counter<'type' | 'reason' | 'source'>;

  constructor(
    em: EntityManager,
    @Inject(OperationCatalog) catalog: OperationCatalog,
    @Inject(CLOCK) clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: METRICS_PREFIX });
    // These three are gauges named like counters (promtool: "non-counter metrics should not have
    // _total suffix"); their by-type gauges (opsdeck_nodejs_active_handles{type} …) sum to the same.
    for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) {
      this.registry.removeSingleMetric(`${METRICS_PREFIX}${name}`);
    }
    this.jobDuration = new Histogram({
      name: 'opsdeck_job_duration_seconds',
      help: 'Duration of run handler attempts on this instance, by type and outcome (job_failed, job_timeout or lost when the attempt applied none).',
      labelNames: ['type', 'outcome'],
      buckets: [0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900],
      registers: [this.registry],
    });
    this.completed = new Counter({
      name: 'opsdeck_runs_completed_total',
      help: 'Runs completed by this instance, by type and outcome.',
      labelNames: ['type', 'outcome'],
      registers: [this.registry],
    });
    this.reconciliations = new Counter({
      name: 'opsdeck_reconciliations_total',
      help: 'Runs closed by reconciliation on this instance, by type, reason and source.',
      labelNames: ['type', 'reason', 'source'],
      registers: [this.registry],
    });
    if (config.roles.includes('scheduler')) registerFleetRunGauges(this.registry, em, catalog, clock);
  }

  observeJob(type: string, outcome: string, startedAtMs: number): void {
    this.jobDuration.observe({ type, outcome }, (Date.now() - startedAtMs) / 1000);
  }

  onCompleted(run: OperationRun): void {
    this.completed.inc({ type: run.type, outcome: run.outcome });
    const reconciliation = run.context.reconciliation;
    if (reconciliation) {
      this.reconciliations.inc({ type: run.type, reason: reconciliation.reason, source: reconciliation.source });
    }
  }
}
