import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { PreparedParam, preparedRows } from '../../../../shared/adapters/persistence/prepared-sql';
import { OperationCatalog } from '../../core/operation-catalog';
import {
  EnvironmentFiguresFilter,
  EnvironmentRunFigures,
  ListedRun,
  RunListFilter,
  RunListPage,
  RunListQuery,
  RunTargetFilter,
} from '../../core/ports/run-list-query.port';
import { RETRYABLE_OUTCOMES } from '../../core/run-retry';
import { RunTab } from '../../core/run-tabs';
import { staleWindows } from '../../core/stale-windows';
import { LIKELY_STALE_SQL, STALE_WINDOWS_SQL } from './likely-stale.sql';
import {
  problemClassSql,
  RECONCILED_SQL,
  Sql,
  SUMMARY_FOLLOW_UP_SQL,
  summaryProblemClassSql,
  TERMINAL_FOLLOW_UP_SQL,
} from './problem-class.sql';
import { OperationRunRow, runColumns, toOperationRun } from './operation-run.row';
import { RUN_ENVIRONMENT_COLUMNS, RunEnvironmentColumns, runEnvironmentOf } from './run-environment.row';

/**
 * The SQL twins of the core rules (freshness.ts, problem-class.ts), one boolean column per tab.
 * Keep them in step with the core: mikro-orm-run-list.query.int-spec.ts compares both on the same
 * rows. `?` is the app clock's now; windows come from the catalog (aliases included), and a type
 * without a policy is never stale — as in deriveFreshness, only strictly older counts.
 */
const TAB_COLUMNS = `
  (r.status in ('queued', 'running')) as tab_active,
  coalesce(${LIKELY_STALE_SQL}, false) as tab_active_stale_attention,
  ${TERMINAL_FOLLOW_UP_SQL} as tab_terminal_follow_up,
  ${RECONCILED_SQL} as tab_reconciled`;

const TAB_PREDICATE: Record<RunTab, string> = {
  all: 'true',
  active: 'b.tab_active',
  active_stale_attention: 'b.tab_active_stale_attention',
  terminal_follow_up: 'b.tab_terminal_follow_up',
  reconciled: 'b.tab_reconciled',
};

interface PageRow extends OperationRunRow, RunEnvironmentColumns {
  cursor_at: string | null;
  c_all: string;
  c_active: string;
  c_active_stale_attention: string;
  c_terminal_follow_up: string;
  c_reconciled: string;
}

/**
 * Two plans, one answer. Without initiator or day-range filters (the hub's usual request), the
 * completed runs' tab counts are sums over `operation_run_tab_counts` — a summary of completed
 * runs kept exact by triggers in the writers' own transactions
 * (Migration20261122041500_run_tab_counts, Migration20261204020000_tab_counts_completed_only) —,
 * the active and stale-attention counts read the few active runs live (partial index), and the
 * page is a keyset read on (workspace_id, created_at desc, id desc). Filters the summary has no key for fall back to the
 * exact scan of the scoped runs. Either way it is one statement: counts and page share a snapshot.
 */
@Injectable()
export class MikroOrmRunListQuery implements RunListQuery {
  constructor(
    private readonly em: EntityManager,
    @Inject(OperationCatalog) private readonly catalog: OperationCatalog,
  ) {}

  async list(filter: RunListFilter): Promise<RunListPage> {
    const summarizable = !filter.initiatorUserId && !filter.createdFrom && !filter.createdBefore;
    const limit = Math.max(1, Math.floor(filter.limit));
    const { text, params } = summarizable ? this.summarySql(filter, limit) : this.scanSql(filter, limit);
    const rows = await preparedRows<PageRow>(this.em, text, params as PreparedParam[]);
    const first = rows[0];
    const pageRows = rows.filter((r) => r.id !== null);
    const items = pageRows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      // The runs are in the reader's scope, so are their environments: read with them, named once.
      items: items.map((r) => ({ run: toOperationRun(r), environment: runEnvironmentOf(r) })),
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

  async findOne(id: string): Promise<ListedRun | null> {
    const [row] = await preparedRows<OperationRunRow & RunEnvironmentColumns>(
      this.em,
      `select ${runColumns('r')}, ${RUN_ENVIRONMENT_COLUMNS}
         from operation_runs r left join managed_environments e on e.id = r.environment_id
        where r.id = ?`,
      [id],
    );
    return row ? { run: toOperationRun(row), environment: runEnvironmentOf(row) } : null;
  }

  async findMany(ids: string[]): Promise<ListedRun[]> {
    if (ids.length === 0) return [];
    const rows = await preparedRows<OperationRunRow & RunEnvironmentColumns>(
      this.em,
      `select ${runColumns('r')}, ${RUN_ENVIRONMENT_COLUMNS}
         from operation_runs r left join managed_environments e on e.id = r.environment_id
        where r.id in (?)`,
      [ids],
    );
    const byId = new Map(rows.map((row) => [row.id, { run: toOperationRun(row), environment: runEnvironmentOf(row) }]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /**
   * The hub's scope and filters, the tab as the page reads it, and the action's own rule: active
   * runs for a cancel, completed runs of a retryable outcome that no retry names yet for a retry
   * (core/run-retry.ts says which outcomes). Ids only: the bulk run acts on each by id.
   */
  async targetIds(filter: RunTargetFilter): Promise<string[]> {
    const scope = this.scopeWhere(filter, 'r', true);
    const tab = this.pageTabPredicate(filter);
    const selection: Sql =
      filter.select === 'active'
        ? { text: `r.status in ('queued', 'running')`, params: [] }
        : { text: `r.status = 'completed' and r.outcome in (?) and r.context->>'retried_as' is null`, params: [[...RETRYABLE_OUTCOMES]] };
    const exclude: Sql = filter.excludeRunId ? { text: ' and r.id <> ?', params: [filter.excludeRunId] } : { text: '', params: [] };
    const rows = await preparedRows<{ id: string }>(
      this.em,
      `with w as (select * from ${STALE_WINDOWS_SQL})
       select r.id from operation_runs r
        where ${scope.text} and ${tab.text} and ${selection.text}${exclude.text}
        order by r.created_at desc, r.id desc
        limit ?`,
      [JSON.stringify(staleWindows(this.catalog)), ...scope.params, ...tab.params, ...selection.params, ...exclude.params, filter.max] as PreparedParam[],
    );
    return rows.map((r) => r.id);
  }

  /**
   * The health cards of a workspace overview: per environment, the active and likely stale counts
   * (the live branch of the hub's counts, over the active-runs index) and the failed runs since a
   * day (the hub's exact scan for `outcome=failed&from=`), in one statement instead of two hub
   * reads per environment.
   */
  async figuresByEnvironment(filter: EnvironmentFiguresFilter): Promise<Map<string, EnvironmentRunFigures>> {
    const figures = new Map<string, EnvironmentRunFigures>();
    if (filter.environmentIds.length === 0) return figures;
    const rows = await preparedRows<{ environment_id: string; c_active: string; c_stale: string; c_failed: string }>(
      this.em,
      `with w as materialized (select * from ${STALE_WINDOWS_SQL})
       select x.environment_id, sum(x.active) as c_active, sum(x.stale) as c_stale, sum(x.failed) as c_failed
         from (
           select r.environment_id, 1 as active, (coalesce(${LIKELY_STALE_SQL}, false))::int as stale, 0 as failed
             from operation_runs r left join w on w.type = r.type
            where r.workspace_id = ? and r.environment_id in (?) and r.status in ('queued', 'running')
           union all
           select r.environment_id, 0, 0, 1
             from operation_runs r
            where r.workspace_id = ? and r.environment_id in (?) and r.outcome = 'failed' and r.created_at >= ?
         ) x
        group by x.environment_id`,
      [
        JSON.stringify(staleWindows(this.catalog)),
        filter.now,
        filter.now,
        filter.workspaceId,
        filter.environmentIds,
        filter.workspaceId,
        filter.environmentIds,
        filter.failedFrom,
      ],
    );
    for (const r of rows) {
      figures.set(r.environment_id, { active: Number(r.c_active), activeStale: Number(r.c_stale), failedSince: Number(r.c_failed) });
    }
    return figures;
  }

  /** Scope and filters (tab and cursor aside) over the row alias `a` (a run or a summary row). */
  private scopeWhere(filter: Omit<RunListFilter, 'limit' | 'cursor'>, a: string, withUnkeyed: boolean): Sql {
    const where: string[] = [`${a}.workspace_id = ?`];
    const params: unknown[] = [filter.workspaceId];
    if (!filter.scope.allEnvironments) {
      // A limited membership sees only its environments: never workspace-level runs (null).
      if (filter.scope.environmentIds.length === 0) where.push('false');
      else {
        where.push(`${a}.environment_id in (?)`);
        params.push(filter.scope.environmentIds);
      }
    }
    if (filter.environmentId) {
      where.push(`${a}.environment_id = ?`);
      params.push(filter.environmentId);
    }
    if (filter.excludeEnvironmentIds?.length) {
      where.push(`(${a}.environment_id is null or ${a}.environment_id not in (?))`);
      params.push(filter.excludeEnvironmentIds);
    }
    if (filter.types) {
      if (filter.types.length === 0) where.push('false');
      else {
        where.push(`${a}.type in (?)`);
        params.push(filter.types);
      }
    }
    if (filter.status) {
      where.push(`${a}.status = ?`);
      params.push(filter.status);
    }
    if (filter.outcome) {
      where.push(`${a}.outcome = ?`);
      params.push(filter.outcome);
    }
    if (filter.problemClass) {
      // Over a summary row the class is a key predicate; over a run it is the core rule's twin.
      if (a === 'c') where.push(summaryProblemClassSql(filter.problemClass));
      else {
        const problem = problemClassSql(filter.problemClass, filter.now);
        where.push(problem.text);
        params.push(...problem.params);
      }
    }
    if (withUnkeyed) {
      if (filter.initiatorUserId) {
        where.push(`${a}.initiator_user_id = ?`);
        params.push(filter.initiatorUserId);
      }
      if (filter.createdFrom) {
        where.push(`${a}.created_at >= ?`);
        params.push(filter.createdFrom);
      }
      if (filter.createdBefore) {
        where.push(`${a}.created_at < ?`);
        params.push(filter.createdBefore);
      }
    }
    return { text: where.join(' and '), params };
  }

  private summarySql(filter: RunListFilter, limit: number): Sql {
    const params: unknown[] = [];
    const add = (sql: Sql) => {
      params.push(...sql.params);
      return sql.text;
    };
    const windows = add({ text: STALE_WINDOWS_SQL, params: [JSON.stringify(staleWindows(this.catalog))] });
    const countsWhere = add(this.scopeWhere(filter, 'c', false));
    // Parameters bind in text order: the stale filter precedes the live count's scope.
    const stale = add({ text: LIKELY_STALE_SQL, params: [filter.now, filter.now] });
    const staleWhere = add(this.scopeWhere(filter, 'r', false));
    const pageWhere = add(this.scopeWhere(filter, 'r', false));
    const tab = add(this.pageTabPredicate(filter));
    const cursor = filter.cursor
      ? add({ text: ' and (r.created_at, r.id) < (?::timestamptz, ?::uuid)', params: [filter.cursor.createdAt, filter.cursor.id] })
      : '';
    const lim = add({ text: '?', params: [limit + 1] });
    const text = `
      with w as materialized (
        select * from ${windows}
      ),
      counts as (
        select coalesce(sum(c.n), 0) as c_completed,
               coalesce(sum(c.n) filter (where ${SUMMARY_FOLLOW_UP_SQL}), 0) as c_terminal_follow_up,
               coalesce(sum(c.n) filter (where c.reconciled), 0) as c_reconciled
          from operation_run_tab_counts c
         where ${countsWhere} and c.status = 'completed'
      ),
      live as (
        select count(*) as c_active, count(*) filter (where ${stale}) as c_active_stale_attention
          from operation_runs r
          left join w on w.type = r.type
         where ${staleWhere} and r.status in ('queued', 'running')
      ),
      page as (
        select ${runColumns('r')} from operation_runs r
         where ${pageWhere} and ${tab}${cursor}
         order by r.created_at desc, r.id desc
         limit ${lim}
      )
      select counts.c_completed + live.c_active as c_all, live.c_active, live.c_active_stale_attention,
             counts.c_terminal_follow_up, counts.c_reconciled, ${runColumns('r')},
             to_char(r.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as cursor_at,
             ${RUN_ENVIRONMENT_COLUMNS}
        from counts cross join live
        left join page r on true
        left join managed_environments e on e.id = r.environment_id
       order by r.created_at desc nulls last, r.id desc`;
    return { text, params };
  }

  /** The tab's membership as a predicate on the run `r` alone (index-friendly; `w` only via exists). */
  private pageTabPredicate(filter: Pick<RunListFilter, 'tab' | 'now'>): Sql {
    switch (filter.tab) {
      case 'all':
        return { text: 'true', params: [] };
      case 'active':
        return { text: `r.status in ('queued', 'running')`, params: [] };
      default:
        return problemClassSql(filter.tab, filter.now);
    }
  }

  /** The exact scan: every scoped run classified in one pass (filters the summary has no key for). */
  private scanSql(filter: RunListFilter, limit: number): Sql {
    const where = this.scopeWhere(filter, 'r', true);
    const pageWhere = [TAB_PREDICATE[filter.tab]];
    const pageParams: unknown[] = [];
    if (filter.cursor) {
      pageWhere.push('(b.created_at, b.id) < (?::timestamptz, ?::uuid)');
      pageParams.push(filter.cursor.createdAt, filter.cursor.id);
    }
    const text = `
      with w as (
        select * from ${STALE_WINDOWS_SQL}
      ),
      b as (
        select ${runColumns('r')}, ${TAB_COLUMNS}
          from operation_runs r
          left join w on w.type = r.type
         where ${where.text}
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
      select counts.*, page.*, ${RUN_ENVIRONMENT_COLUMNS} from counts left join page on true
        left join managed_environments e on e.id = page.environment_id
       order by page.created_at desc nulls last, page.id desc`;
    return {
      text,
      params: [JSON.stringify(staleWindows(this.catalog)), filter.now, filter.now, ...where.params, ...pageParams, limit + 1],
    };
  }
}
