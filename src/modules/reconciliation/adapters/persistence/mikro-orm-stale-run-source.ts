import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { OperationRun } from '../../../operations/core/operation-run';
import { LIKELY_STALE_SQL, STALE_CANDIDATE_IDS_SQL, STALE_WINDOWS_SQL } from '../../../operations/adapters/persistence/likely-stale.sql';
import { OperationRunRow, toOperationRun } from '../../../operations/adapters/persistence/operation-run.row';
import { StaleRunSource, StaleWindow, SweepCursor } from '../../core/ports/stale-run-source.port';

/**
 * One batch of the sweep: the next `limit` candidates in (created_at, id) order are picked from the
 * stale-probe index alone (it includes both), then only those rows are read, by primary key, and
 * the one likely-stale rule decides. Binds: windows JSON, (now, position) per candidate branch ×2,
 * limit, now ×2; a position is (created_at, created_at, id), all null for the first batch.
 * Exported so a test can check the plan of the very statement the sweep sends.
 */
export const FIND_STALE_SQL = `with w as (select * from ${STALE_WINDOWS_SQL}),
       candidates as (${STALE_CANDIDATE_IDS_SQL}),
       batch as (select id from candidates order by created_at, id limit ?)
       select r.* from batch b
         cross join lateral (select * from operation_runs r where r.id = b.id offset 0) r
         join w on w.type = r.type
        where r.status in ('queued', 'running')
          and ${LIKELY_STALE_SQL}
        order by r.created_at, r.id`;

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
      [JSON.stringify(windows), now, ...position, now, ...position, limit, now, now],
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
