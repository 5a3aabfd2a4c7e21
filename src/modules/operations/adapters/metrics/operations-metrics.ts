import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { Clock, CLOCK } from '../../../../shared/core/clock.port';
import { OperationCatalog } from '../../core/operation-catalog';
import { staleWindows } from '../../core/stale-windows';
import { LIKELY_STALE_SQL, STALE_WINDOWS_SQL } from '../persistence/likely-stale.sql';
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
    @Inject(CLOCK) private readonly clock: Clock,
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

  /** The shared likely-stale rule, one query for every type; aliases count for their canonical type. */
  private async likelyStaleByType(): Promise<Map<string, number>> {
    const counts = new Map(this.catalog.types().map((type) => [type, 0]));
    const now = this.clock.now();
    const rows = await this.em.getConnection().execute<{ type: string; count: string }[]>(
      `select r.type, count(*) as count from operation_runs r
         join ${STALE_WINDOWS_SQL} on w.type = r.type
        where r.status in ('queued', 'running') and ${LIKELY_STALE_SQL}
        group by r.type`,
      [JSON.stringify(staleWindows(this.catalog)), now, now],
      'all',
    );
    for (const row of rows) {
      const type = this.catalog.resolve(row.type)?.type ?? row.type;
      counts.set(type, (counts.get(type) ?? 0) + Number(row.count));
    }
    return counts;
  }
}
