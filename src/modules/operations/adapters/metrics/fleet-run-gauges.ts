import { EntityManager } from '@mikro-orm/postgresql';
import { Gauge, Registry } from 'prom-client';
import { Clock } from '../../../../shared/core/clock.port';
import { OperationCatalog } from '../../core/operation-catalog';
import { ACTIVE_STATUSES } from '../../core/operation-run';
import { staleWindows } from '../../core/stale-windows';
import { LIKELY_STALE_SQL, STALE_WINDOWS_SQL } from '../persistence/likely-stale.sql';

/**
 * Gauges of the whole fleet's runs, read from PostgreSQL at scrape time through the partial index
 * over active runs. Every instance would read the same figures, so only one role exports them
 * (see OperationsMetrics): summing a gauge over instances must not multiply it.
 * Every catalog type × active status series exists, at 0 when nothing is active, so
 * `sum by (status)` is 0 rather than empty. Aliases count for their canonical type.
 */
export function registerFleetRunGauges(
  registry: Registry,
  em: EntityManager,
  catalog: OperationCatalog,
  clock: Clock,
): void {
  const canonical = (type: string): string => catalog.resolve(type)?.type ?? type;
  new Gauge({
    name: 'opsdeck_runs',
    help: 'Active runs of the whole fleet, by type and status.',
    labelNames: ['type', 'status'],
    registers: [registry],
    async collect() {
      const rows = await em.getConnection().execute<{ type: string; status: string; count: string }[]>(
        `select type, status, count(*) as count from operation_runs
          where status in ('queued', 'running') group by type, status`,
        [],
        'all',
      );
      this.reset();
      for (const type of catalog.types()) for (const status of ACTIVE_STATUSES) this.set({ type, status }, 0);
      for (const row of rows) this.inc({ type: canonical(row.type), status: row.status }, Number(row.count));
    },
  });
  new Gauge({
    name: 'opsdeck_runs_likely_stale',
    help: 'Active runs of the whole fleet past their lifecycle window, by type.',
    labelNames: ['type'],
    registers: [registry],
    async collect() {
      // The shared likely-stale rule, one query for every type.
      const now = clock.now();
      const rows = await em.getConnection().execute<{ type: string; count: string }[]>(
        `select r.type, count(*) as count from operation_runs r
           join ${STALE_WINDOWS_SQL} on w.type = r.type
          where r.status in ('queued', 'running') and ${LIKELY_STALE_SQL}
          group by r.type`,
        [JSON.stringify(staleWindows(catalog)), now, now],
        'all',
      );
      this.reset();
      for (const type of catalog.types()) this.set({ type }, 0);
      for (const row of rows) this.inc({ type: canonical(row.type) }, Number(row.count));
    },
  });
}
