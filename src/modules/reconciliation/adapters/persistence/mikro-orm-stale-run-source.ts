import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { OperationRun } from '../../../operations/core/operation-run';
import { LIKELY_STALE_SQL, STALE_WINDOWS_SQL } from '../../../operations/adapters/persistence/likely-stale.sql';
import { OperationRunRow, toOperationRun } from '../../../operations/adapters/persistence/operation-run.row';
import { StaleRunSource, StaleWindow, SweepCursor } from '../../core/ports/stale-run-source.port';

/** Cluster-wide key of the sweep lock (any constant bigint; this one spells nothing). */
const SWEEP_LOCK_KEY = 7_212_026_001;

@Injectable()
export class MikroOrmStaleRunSource implements StaleRunSource {
  constructor(private readonly em: EntityManager) {}

  /** Served by the partial index over active runs: historical runs are never scanned. */
  async findStale(now: Date, windows: StaleWindow[], cursor: SweepCursor | null, limit: number): Promise<OperationRun[]> {
    if (!windows.length) return [];
    const rows = await this.em.getConnection().execute<OperationRunRow[]>(
      `select r.* from operation_runs r
         join ${STALE_WINDOWS_SQL} on w.type = r.type
        where r.status in ('queued', 'running')
          and ${LIKELY_STALE_SQL}
          and (?::timestamptz is null or (r.created_at, r.id) > (?::timestamptz, ?::uuid))
        order by r.created_at, r.id
        limit ?`,
      [
        JSON.stringify(windows),
        now,
        now,
        cursor?.createdAt ?? null,
        cursor?.createdAt ?? null,
        cursor?.id ?? null,
        limit,
      ],
      'all',
    );
    return rows.map(toOperationRun);
  }

  /**
   * A transaction-scoped advisory lock on a dedicated connection: released on commit, or by
   * PostgreSQL itself if this process dies mid-sweep.
   */
  async withSweepLock<T>(work: () => Promise<T>): Promise<{ acquired: true; result: T } | { acquired: false }> {
    const knex = this.em.getConnection().getKnex();
    return knex.transaction(async (trx) => {
      const { rows } = await trx.raw('select pg_try_advisory_xact_lock(?) as acquired', [SWEEP_LOCK_KEY]);
      if (!rows[0]?.acquired) return { acquired: false as const };
      return { acquired: true as const, result: await work() };
    });
  }
}
