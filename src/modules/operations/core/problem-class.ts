import { Freshness, hasReconciliation, isLikelyStale } from './freshness';
import { OperationRun, RunOutcome } from './operation-run';

/** The one classification behind hub tabs, filters, KPIs and drill-through links (SPEC 2.4). */
export const PROBLEM_CLASSES = [
  'none',
  'active_stale_attention',
  'terminal_follow_up',
  'reconciled',
] as const;
export type ProblemClass = (typeof PROBLEM_CLASSES)[number];

export function isProblemClass(value: unknown): value is ProblemClass {
  return typeof value === 'string' && (PROBLEM_CLASSES as readonly string[]).includes(value);
}

/** Outcomes that need follow-up until a later success of the same work supersedes them. */
export const FOLLOW_UP_OUTCOMES: readonly RunOutcome[] = ['failed', 'blocked', 'partially_succeeded'];

/** Superseded: `opts.superseded` when the caller knows, else what the run records (`supersededBy`). */
export function deriveProblemClass(
  run: OperationRun,
  freshness: Freshness,
  opts: { superseded?: boolean } = {},
): ProblemClass {
  if (run.status === 'completed') {
    // Reconciled wins over follow-up: the operator needs to know the result was not reported.
    if (hasReconciliation(run)) return 'reconciled';
    const superseded = opts.superseded ?? !!run.supersededBy;
    if (FOLLOW_UP_OUTCOMES.includes(run.outcome) && !superseded) return 'terminal_follow_up';
    return 'none';
  }
  return isLikelyStale(freshness) ? 'active_stale_attention' : 'none';
}
