import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { OperationRun } from '../../../operations/core/operation-run';
import { LIKELY_STALE_SQL, STALE_CANDIDATE_IDS_SQL, STALE_WINDOWS_SQL } from '../../../operations/adapters/persistence/likely-stale.sql';
import { OperationRunRow, toOperationRun } from '../../../operations/adapters/persistence/operation-run.row';
import { StaleRunSource, StaleWindow, SweepCursor } from '../../core/ports/stale-run-source.port';

/**
 * Binds: windows JSON, (now, position) per candidate branch ×2, now ×2, position, limit; a position
 * is (created_at, created_at, id), all null for the first batch. Exported so a test can
 * check the plan of the very statement the sweep sends.
 */
export const FIND_STALE_SQL = `with w as (select * from ${STALE_WINDOWS_SQL}),
       candidates as (${STALE_CANDIDATE_IDS_SQL})
       select r.* from operation_runs r
         join w on w.type = r.type
        where r.id = any(array(select id from candidates))
          and r.status in ('queued', 'running')
          and ${LIKELY_STALE_SQL}
          and (?::timestamptz is null or (r.created_at, r.id) > (?::timestamptz, ?::uuid))
        order by r.created_at, r.id
        limit ?`;

/** Cluster-wide key of the sweep lock (any constant bigint; this one spells nothing). */
const SWEEP_LOCK_KEY = 7_212_026_001;

@Injectable()
export class MikroOrmStaleRunSource implements StaleRunSource {
  constructor(private readonly em: EntityManager) {}

  /**
   * Candidates come from the stale-probe index (a range per type and status: fresh active runs
   * are never read), then the one likely-stale rule decides, exactly as everywhere else.
   */
  async findStale(now: Date, windows: StaleWindow[], cursor: SweepCursor | null, limit: number): Promise<OperationRun[]> {
    if (!windows.length) return [];
    const position = [cursor?.createdAt ?? null, cursor?.createdAt ?? null, cursor?.id ?? null];
    const rows = await this.em.getConnection().execute<OperationRunRow[]>(
      FIND_STALE_SQL,
      [JSON.stringify(windows), now, ...position, now, ...position, now, now, ...position, limit],
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
