import { Freshness, isLikelyStale, staleActiveCopy } from './freshness';
import { CompositePartState, isActive, OperationRun } from './operation-run';
import { OperationTypeDefinition, ProgressMode } from './operation-type';
import { readSummaryCounts } from './summary-counts';
import { timeAgo } from './time-ago';
import { asRecord } from '../../../shared/core/json-guards';

export const PROGRESS_LABELS = {
  completed: 'Completed.',
  queued: 'Waiting for worker.',
  activity: 'Progress details pending.',
} as const;

export interface CountedProgress {
  processed: number;
  total: number;
  percent: number;
}

export interface PhaseDetail {
  key: string;
  label: string;
  index: number;
  count: number;
}

export interface CompositeDetail {
  parts: { key: string; label: string; state: CompositePartState }[];
  ready: number;
  total: number;
}

/**
 * The counts a likely stale run last reported, as history: no percentage and no bar, because
 * nobody knows whether the work behind them is still moving.
 */
export interface LastReportedCounts {
  processed: number;
  total: number;
  /** The worker's last report (its last heartbeat, else its start); null when it has neither. */
  reported_at: string | null;
  /** "Last reported 4 of 10 processed, 6 min ago". */
  label: string;
}

export interface RunProgress {
  mode: ProgressMode;
  label: string;
  counted?: CountedProgress;
  phase?: PhaseDetail;
  composite?: CompositeDetail;
  /** Likely stale counted runs only, in place of `counted`. */
  last_reported?: LastReportedCounts;
}

const PART_STATES: readonly string[] = ['pending', 'ready', 'missing'];

/**
 * Progress shows only what its metadata can prove. `context.progress` is jsonb reported by
 * handlers, so every reader validates it and degrades to the next provable mode instead of
 * throwing or echoing raw keys. `now` dates the counts a likely stale run last reported.
 */
export function deriveProgress(
  run: OperationRun,
  definition: OperationTypeDefinition | null,
  now: Date,
  freshness: Freshness,
): RunProgress {
  const progress = baseProgress(run, definition);
  if (isActive(run) && isLikelyStale(freshness)) return staleProgress(progress, run, now);
  return progress;
}

/**
 * A likely stale run keeps its phase or parts for the run page, but no calm label and no live
 * count: a bar or a percentage beside the cautious line would say the work is moving (seed 358).
 * Its counts survive only as dated history.
 */
function staleProgress(progress: RunProgress, run: OperationRun, now: Date): RunProgress {
  const { counted, ...rest } = progress;
  const stale: RunProgress = { ...rest, label: staleActiveCopy(run.status).headline };
  if (counted) stale.last_reported = lastReported(counted, run, now);
  return stale;
}

function lastReported(counted: CountedProgress, run: OperationRun, now: Date): LastReportedCounts {
  const reportedAt = validDate(run.lastHeartbeatAt) ?? validDate(run.startedAt);
  const when = reportedAt && validDate(now) ? `, ${timeAgo(reportedAt, now)}` : '';
  return {
    processed: counted.processed,
    total: counted.total,
    reported_at: reportedAt ? reportedAt.toISOString() : null,
    label: `Last reported ${counted.processed} of ${counted.total} processed${when}`,
  };
}

function baseProgress(run: OperationRun, definition: OperationTypeDefinition | null): RunProgress {
  if (run.status === 'completed') return { mode: 'none', label: PROGRESS_LABELS.completed };
  if (run.status === 'queued') return { mode: 'none', label: PROGRESS_LABELS.queued };

  const stored = asRecord(asRecord(run.context)?.progress);
  const phase = readPhase(stored?.phase, definition);
  if (phase) return { mode: 'phased', label: phase.label, phase };

  const composite = readComposite(stored?.composite);
  if (composite) {
    return {
      mode: 'composite',
      label: `${composite.ready} of ${composite.total} ${compositeUnit(definition)} ready`,
      composite,
    };
  }

  const counted = readCounted(run.summaryCounts);
  if (counted) {
    return {
      mode: 'counted',
      label: `${counted.processed} / ${counted.total} processed (${counted.percent}%)`,
      counted,
    };
  }
  return { mode: 'activity', label: PROGRESS_LABELS.activity };
}

/** The catalog's noun for a composite type's parts ("evidence sections"); "parts" otherwise. */
function compositeUnit(definition: OperationTypeDefinition | null): string {
  const unit = definition?.composite_unit;
  return isNonEmptyString(unit) ? unit.trim() : 'parts';
}

/** Index and count come from the catalog: a stored index could be stale or invented. */
function readPhase(raw: unknown, definition: OperationTypeDefinition | null): PhaseDetail | null {
  const key = asRecord(raw)?.key;
  if (typeof key !== 'string' || !definition || !Array.isArray(definition.phases)) return null;
  const position = definition.phases.findIndex((p) => p?.key === key);
  if (position < 0) return null;
  const label = definition.phases[position].label;
  if (!isNonEmptyString(label)) return null;
  return { key, label, index: position + 1, count: definition.phases.length };
}

/** One bad part voids the whole composite: partial parts would make "N of M ready" a lie. */
function readComposite(raw: unknown): CompositeDetail | null {
  const parts = asRecord(raw)?.parts;
  if (!Array.isArray(parts) || parts.length === 0) return null;
  const clean: CompositeDetail['parts'] = [];
  for (const item of parts) {
    const part = asRecord(item);
    if (!part || typeof part.key !== 'string' || !isNonEmptyString(part.label)) return null;
    if (typeof part.state !== 'string' || !PART_STATES.includes(part.state)) return null;
    clean.push({ key: part.key, label: part.label, state: part.state as CompositePartState });
  }
  const ready = clean.filter((p) => p.state === 'ready').length;
  return { parts: clean, ready, total: clean.length };
}

function readCounted(raw: unknown): CountedProgress | null {
  const { processed, total } = readSummaryCounts(raw);
  if (total === undefined || processed === undefined) return null;
  if (!(total > 0) || processed > total) return null;
  return { processed, total, percent: Math.floor((processed * 100) / total) };
}

/** Rows mapped loosely may carry ISO strings instead of Dates; anything unparseable is "missing". */
function validDate(value: unknown): Date | null {
  if (!(value instanceof Date) && typeof value !== 'string') return null;
  const date = new Date(value);
  return Number.isFinite(date.getTime()) ? date : null;
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}
