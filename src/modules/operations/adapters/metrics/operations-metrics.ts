import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { OperationCatalog } from '../../core/operation-catalog';
import { OperationRun } from '../../core/operation-run';
import { RunLifecycleObserver } from '../../core/ports/run-lifecycle-observer.port';

/**
 * Prometheus metrics, one registry per app instance (several apps can live in one test process).
 * Gauges are read from PostgreSQL at scrape time using only the partial index over active runs.
 */
@Injectable()
export class OperationsMetrics implements RunLifecycleObserver {
  readonly registry = new Registry();
  private readonly jobDuration: Histogram<'type' | 'result'>;
  private readonly completed: Counter<'type' | 'outcome'>;
  private readonly reconciliations: Counter<'type' | 'reason' | 'source'>;

  constructor(
    private readonly em: EntityManager,
    @Inject(OperationCatalog) private readonly catalog: OperationCatalog,
  ) {
    this.jobDuration = new Histogram({
      name: 'opsdeck_job_duration_seconds',
      help: 'Duration of run handler attempts, by type and result.',
      labelNames: ['type', 'result'],
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
      help: 'Runs closed by reconciliation, by type, reason and source.',
      labelNames: ['type', 'reason', 'source'],
      registers: [this.registry],
    });
    const self = this;
    new Gauge({
      name: 'opsdeck_runs',
      help: 'Active runs by type and status.',
      labelNames: ['type', 'status'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const row of await self.activeByTypeAndStatus()) this.set({ type: row.type, status: row.status }, Number(row.count));
      },
    });
    new Gauge({
      name: 'opsdeck_runs_likely_stale',
      help: 'Active runs past their lifecycle window, by type.',
      labelNames: ['type'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const [type, count] of await self.likelyStaleByType()) this.set({ type }, count);
      },
    });
  }

  observeJob(type: string, result: string, startedAtMs: number): void {
    this.jobDuration.observe({ type, result }, (Date.now() - startedAtMs) / 1000);
  }

  onCompleted(run: OperationRun): void {
    this.completed.inc({ type: run.type, outcome: run.outcome });
    const reconciliation = run.context.reconciliation;
    if (reconciliation) {
      this.reconciliations.inc({ type: run.type, reason: reconciliation.reason, source: reconciliation.source });
    }
  }

  private activeByTypeAndStatus(): Promise<{ type: string; status: string; count: string }[]> {
    return this.em.getConnection().execute(
      `select type, status, count(*) as count from operation_runs
        where status in ('queued', 'running') group by type, status`,
      [],
      'all',
    );
  }

  /** Same windows as the freshness rule: queued since creation, running since last heartbeat. */
  private async likelyStaleByType(): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const definition of this.catalog.definitions()) {
      const [row] = await this.em.getConnection().execute<{ count: string }[]>(
        `select count(*) as count from operation_runs
          where status in ('queued', 'running') and type in (?) and (
            (status = 'queued' and created_at < now() - make_interval(secs => ?))
            or (status = 'running' and coalesce(last_heartbeat_at, started_at) < now() - make_interval(secs => ?)))`,
        [[definition.type, ...definition.aliases], definition.policy.stale_queued_after_s, definition.policy.stale_running_after_s],
        'all',
      );
      counts.set(definition.type, Number(row.count));
    }
    return counts;
  }
}
