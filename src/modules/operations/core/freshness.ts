import { OperationRun, RunStatus } from './operation-run';
import { LifecyclePolicy } from './operation-type';
import { isRecord } from '../../../shared/core/json-guards';

/** How current a run's truth is (SPEC 2.4). Derived on every read, never persisted. */
export const FRESHNESS_VALUES = [
  'fresh',
  'past_expected',
  'likely_stale',
  'reconciled_failed',
  'terminal',
  'unknown',
] as const;
export type Freshness = (typeof FRESHNESS_VALUES)[number];

export function isLikelyStale(freshness: Freshness): boolean {
  return freshness === 'likely_stale';
}

/** The one cautious line every surface shows for a likely stale active run (SPEC 2.4). */
export const STALE_ACTIVE_GUIDANCE = 'Past the lifecycle window. Review worker health and logs before retrying.';

export interface StaleActiveCopy {
  /** The run page's banner above the cautious line (seed 233). */
  banner: string;
  /** The cautious line: every surface's headline and the progress label. */
  headline: string;
  /** Why the run is judged stale, by the status it stopped in. */
  guidance: string;
}

/**
 * What a likely stale active run says, wherever it is shown: the presenter's banner, headline and
 * guidance and the progress label all come from here, so the copy cannot drift between surfaces.
 */
export function staleActiveCopy(status: RunStatus): StaleActiveCopy {
  return {
    banner: 'Likely stale operation',
    headline: STALE_ACTIVE_GUIDANCE,
    guidance:
      status === 'queued'
        ? 'No worker picked it up within the lifecycle window; the run has not been confirmed as failed.'
        : 'No heartbeat within the lifecycle window; the run has not been confirmed as failed.',
  };
}

/**
 * `context` is jsonb written by many code paths over time, so a reconciliation block only counts
 * when it is an actual object — a stray `null` or string must not turn a run into "reconciled".
 */
export function hasReconciliation(run: OperationRun): boolean {
  const ctx: unknown = run.context;
  if (!ctx || typeof ctx !== 'object') return false;
  const rec: unknown = (ctx as Record<string, unknown>).reconciliation;
  return isRecord(rec);
}

export function deriveFreshness(
  run: OperationRun,
  policy: LifecyclePolicy | null,
  now: Date,
): Freshness {
  if (run.status === 'completed') {
    const failedLike = run.outcome === 'failed' || run.outcome === 'blocked';
    return hasReconciliation(run) && failedLike ? 'reconciled_failed' : 'terminal';
  }
  const nowMs = toMillis(now);
  if (!policy || nowMs === null) return 'unknown';

  if (run.status === 'queued') {
    const created = toMillis(run.createdAt);
    if (created === null || !isWindow(policy.stale_queued_after_s)) return 'unknown';
    return exceeds(nowMs - created, policy.stale_queued_after_s) ? 'likely_stale' : 'fresh';
  }

  // A heartbeat is the freshest proof of life; a run that never beat is judged from its start.
  const reference = toMillis(run.lastHeartbeatAt) ?? toMillis(run.startedAt);
  if (reference === null || !isWindow(policy.stale_running_after_s)) return 'unknown';
  if (exceeds(nowMs - reference, policy.stale_running_after_s)) return 'likely_stale';

  const started = toMillis(run.startedAt);
  if (started !== null && isWindow(policy.expected_duration_s)) {
    if (exceeds(nowMs - started, policy.expected_duration_s)) return 'past_expected';
  }
  return 'fresh';
}

/** Exactly at the window is still inside it: only strictly later counts as beyond. */
function exceeds(elapsedMs: number, windowS: number): boolean {
  return elapsedMs > windowS * 1000;
}

function isWindow(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/** Rows mapped loosely may carry ISO strings instead of Dates; anything unparseable is "missing". */
function toMillis(value: unknown): number | null {
  if (value instanceof Date || typeof value === 'string') {
    const ms = new Date(value).getTime();
    return Number.isFinite(ms) ? ms : null;
  }
  return null;
}
