import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { OperationCatalog } from '../../core/operation-catalog';
import { RunListFilter, RunListPage, RunListQuery } from '../../core/ports/run-list-query.port';
import { RunTab } from '../../core/run-tabs';
import { staleWindows } from '../../core/stale-windows';
import { LIKELY_STALE_SQL, STALE_WINDOWS_SQL } from './likely-stale.sql';
import { OperationRunRow, toOperationRun } from './operation-run.row';

/**
 * The SQL twins of the core rules (freshness.ts, problem-class.ts), one boolean column per tab.
 * Keep them in step with the core: mikro-orm-run-list.query.int-spec.ts compares both on the same
 * rows. `?` is the app clock's now; windows come from the catalog (aliases included), and a type
 * without a policy is never stale — as in deriveFreshness, only strictly older counts.
 */
const TAB_COLUMNS = `
  (r.status in ('queued', 'running')) as tab_active,
  coalesce(${LIKELY_STALE_SQL}, false) as tab_active_stale_attention,
  (r.status = 'completed'
    and r.outcome in ('failed', 'blocked', 'partially_succeeded')
    and jsonb_typeof(r.context -> 'reconciliation') is distinct from 'object') as tab_terminal_follow_up,
  (r.status = 'completed' and jsonb_typeof(r.context -> 'reconciliation') = 'object') as tab_reconciled`;

const TAB_PREDICATE: Record<RunTab, string> = {
  all: 'true',
  active: 'b.tab_active',
  active_stale_attention: 'b.tab_active_stale_attention',
  terminal_follow_up: 'b.tab_terminal_follow_up',
  reconciled: 'b.tab_reconciled',
};

interface PageRow extends OperationRunRow {
  cursor_at: string | null;
  c_all: string;
  c_active: string;
  c_active_stale_attention: string;
  c_terminal_follow_up: string;
  c_reconciled: string;
}

@Injectable()
export class MikroOrmRunListQuery implements RunListQuery {
  constructor(
    private readonly em: EntityManager,
    @Inject(OperationCatalog) private readonly catalog: OperationCatalog,
  ) {}

  async list(filter: RunListFilter): Promise<RunListPage> {
    const where: string[] = ['r.workspace_id = ?'];
    const whereParams: unknown[] = [filter.workspaceId];
    if (!filter.scope.allEnvironments) {
      // A limited membership sees only its environments: never workspace-level runs (null).
      if (filter.scope.environmentIds.length === 0) where.push('false');
      else {
        where.push('r.environment_id in (?)');
        whereParams.push(filter.scope.environmentIds);
      }
    }
    if (filter.environmentId) {
      where.push('r.environment_id = ?');
      whereParams.push(filter.environmentId);
    }
    if (filter.types) {
      if (filter.types.length === 0) where.push('false');
      else {
        where.push('r.type in (?)');
        whereParams.push(filter.types);
      }
    }
    if (filter.status) {
      where.push('r.status = ?');
      whereParams.push(filter.status);
    }
    if (filter.outcome) {
      where.push('r.outcome = ?');
      whereParams.push(filter.outcome);
    }
    if (filter.initiatorUserId) {
      where.push('r.initiator_user_id = ?');
      whereParams.push(filter.initiatorUserId);
    }
    if (filter.createdFrom) {
      where.push('r.created_at >= ?');
      whereParams.push(filter.createdFrom);
    }
    if (filter.createdBefore) {
      where.push('r.created_at < ?');
      whereParams.push(filter.createdBefore);
    }
    const pageWhere = [TAB_PREDICATE[filter.tab]];
    const pageParams: unknown[] = [];
    if (filter.cursor) {
      pageWhere.push('(b.created_at, b.id) < (?::timestamptz, ?::uuid)');
      pageParams.push(filter.cursor.createdAt, filter.cursor.id);
    }
    const limit = Math.max(1, Math.floor(filter.limit));
    // One statement, one snapshot: the counts and the page can never disagree.
    const sql = `
      with w as (
        select * from ${STALE_WINDOWS_SQL}
      ),
      b as (
        select r.*, ${TAB_COLUMNS}
          from operation_runs r
          left join w on w.type = r.type
         where ${where.join(' and ')}
      ),
      counts as (
        select count(*) as c_all,
               count(*) filter (where b.tab_active) as c_active,
               count(*) filter (where b.tab_active_stale_attention) as c_active_stale_attention,
               count(*) filter (where b.tab_terminal_follow_up) as c_terminal_follow_up,
               count(*) filter (where b.tab_reconciled) as c_reconciled
          from b
      ),
      page as (
        select b.*, to_char(b.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as cursor_at
          from b
         where ${pageWhere.join(' and ')}
         order by b.created_at desc, b.id desc
         limit ?
      )
      select counts.*, page.* from counts left join page on true
       order by page.created_at desc nulls last, page.id desc`;
    const params = [
      JSON.stringify(staleWindows(this.catalog)),
      filter.now,
      filter.now,
      ...whereParams,
      ...pageParams,
      limit + 1,
    ];
    const rows = await this.em.getConnection().execute<PageRow[]>(sql, params as never[], 'all');
    const first = rows[0];
    const pageRows = rows.filter((r) => r.id !== null);
    const items = pageRows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map(toOperationRun),
      nextCursor: pageRows.length > limit && last?.cursor_at ? { createdAt: last.cursor_at, id: last.id } : null,
      counts: {
        all: Number(first?.c_all ?? 0),
        active: Number(first?.c_active ?? 0),
        active_stale_attention: Number(first?.c_active_stale_attention ?? 0),
        terminal_follow_up: Number(first?.c_terminal_follow_up ?? 0),
        reconciled: Number(first?.c_reconciled ?? 0),
      },
    };
  }
}
