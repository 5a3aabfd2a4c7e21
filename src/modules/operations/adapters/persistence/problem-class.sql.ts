import { FOLLOW_UP_OUTCOMES, ProblemClass } from '../../core/problem-class';
import { LIKELY_STALE_SQL } from './likely-stale.sql';

/**
 * The SQL twins of `deriveProblemClass` (core/problem-class.ts) for a run `r`, and for a row `c`
 * of the completed-runs summary (operation_run_tab_counts). Keep them in step with the core:
 * mikro-orm-run-list.query.int-spec.ts compares both on the same rows.
 */

/** The core's follow-up outcomes as an SQL list (constants, never input). */
export const FOLLOW_UP_OUTCOMES_SQL = `(${FOLLOW_UP_OUTCOMES.map((o) => `'${o}'`).join(', ')})`;

const HAS_RECONCILIATION = `jsonb_typeof(r.context -> 'reconciliation') = 'object'`;

/**
 * The reconciled tab. Its one twin is the SQL function `opsdeck_run_is_reconciled(context)` that
 * the tab-count summary's triggers call (a trigger cannot import this constant). The queries keep
 * the expression inline because the partial index `operation_runs_ws_reconciled_created_idx` is
 * defined on it: written through the function, the reconciled page fell back to a sequential scan
 * (measured 2026-12-05), and rebuilding the index on the function moves PostgreSQL's row estimate
 * from ~1 % to 50 %. Both are pinned to the core rule by mikro-orm-run-list.query.int-spec.ts
 * (odd `reconciliation` values included): the page uses this text, the counts the function.
 */
export const RECONCILED_SQL = `(r.status = 'completed' and ${HAS_RECONCILIATION})`;

/** Failed, blocked or partially succeeded, not reconciled, and no later success superseded it. */
export const TERMINAL_FOLLOW_UP_SQL = `(r.status = 'completed' and r.outcome in ${FOLLOW_UP_OUTCOMES_SQL}
  and (${HAS_RECONCILIATION}) is not true and r.superseded_by is null)`;

/** Active and likely stale; the windows `w` (a CTE) reached through `exists`. Binds now twice. */
export const STALE_ATTENTION_SQL = `(r.status in ('queued', 'running')
  and exists (select 1 from w where w.type = r.type and ${LIKELY_STALE_SQL}))`;

/** A fragment of SQL with its `?` parameters, in text order. */
export interface Sql {
  text: string;
  params: unknown[];
}

/** Runs `r` of one problem class, judged at the app clock's `now`. */
export function problemClassSql(problemClass: ProblemClass, now: Date): Sql {
  switch (problemClass) {
    case 'active_stale_attention':
      return { text: STALE_ATTENTION_SQL, params: [now, now] };
    case 'terminal_follow_up':
      return { text: TERMINAL_FOLLOW_UP_SQL, params: [] };
    case 'reconciled':
      return { text: RECONCILED_SQL, params: [] };
    case 'none':
      // `is not true`: a context without a reconciliation object makes RECONCILED_SQL null, not false.
      return { text: `(${TERMINAL_FOLLOW_UP_SQL} or ${RECONCILED_SQL} or ${STALE_ATTENTION_SQL}) is not true`, params: [now, now] };
  }
}

/** Summary rows `c` (completed runs only) that count towards the follow-up tab. */
export const SUMMARY_FOLLOW_UP_SQL = `(c.outcome in ${FOLLOW_UP_OUTCOMES_SQL} and not c.reconciled and not c.superseded)`;

/** Summary rows `c` of one problem class: completed runs are never stale attention. */
export function summaryProblemClassSql(problemClass: ProblemClass): string {
  switch (problemClass) {
    case 'active_stale_attention':
      return 'false';
    case 'terminal_follow_up':
      return SUMMARY_FOLLOW_UP_SQL;
    case 'reconciled':
      return 'c.reconciled';
    case 'none':
      return `not (c.reconciled or ${SUMMARY_FOLLOW_UP_SQL})`;
  }
}
