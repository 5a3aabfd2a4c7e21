import { deriveFreshness, Freshness, isLikelyStale, staleActiveCopy } from './freshness';
import { isActive, OperationRun, RunFailure } from './operation-run';
import { OperationTypeDefinition } from './operation-type';
import { deriveProblemClass, ProblemClass } from './problem-class';
import { deriveProgress, RunProgress } from './progress-contract';
import { cancelPendingCopy, readCancellation } from './run-cancellation';
import { readRetriedAs, readRetryOf } from './run-retry';
import { asRecord, asString } from '../../../shared/core/json-guards';
import { routes } from '../../../shared/core/routes';

export type Tone = 'neutral' | 'info' | 'success' | 'warning' | 'danger';

export interface Badge {
  /** `cancellation` only while a requested cancel waits for the worker (every surface shows it). */
  kind: 'status' | 'outcome' | 'freshness' | 'cancellation';
  value: string;
  label: string;
  tone: Tone;
}

/** Sanitized reconciliation block: only strings reach a view; null where the record had none. */
export interface ReconciliationPresentation {
  reason: string | null;
  source: string | null;
  source_label: string;
  adapter: string | null;
  decision: string | null;
  reconciled_at: string | null;
  previous_status: string | null;
  previous_outcome: string | null;
  message: string;
}

export interface RunPresentation {
  freshness: Freshness;
  problem_class: ProblemClass;
  progress: RunProgress;
  /** A heading the run page's decision zone opens with when the state needs escalating; else null. */
  banner: string | null;
  headline: string;
  guidance: string | null;
  badges: Badge[];
  /** `superseded_by`: the page of the later success that took this run out of follow-up. */
  links: { self: string; superseded_by?: string; retry_of?: string; retried_as?: string };
  reconciliation: ReconciliationPresentation | null;
}

export const RECONCILED_DEFAULT_MESSAGE =
  'Reconciled: the worker stopped reporting; no result was recorded';

const STATUS_BADGES: Record<string, [string, Tone]> = {
  queued: ['Queued', 'neutral'],
  running: ['Running', 'info'],
  completed: ['Completed', 'neutral'],
};
const OUTCOME_BADGES: Record<string, [string, Tone]> = {
  pending: ['Pending', 'neutral'],
  succeeded: ['Succeeded', 'success'],
  partially_succeeded: ['Partially succeeded', 'warning'],
  failed: ['Failed', 'danger'],
  blocked: ['Blocked', 'warning'],
  cancelled: ['Cancelled', 'neutral'],
};
const FRESHNESS_BADGES: Record<Freshness, [string, Tone]> = {
  fresh: ['Fresh', 'info'],
  past_expected: ['Past expected', 'warning'],
  likely_stale: ['Likely stale', 'danger'],
  reconciled_failed: ['Reconciled', 'warning'],
  terminal: ['Final', 'neutral'],
  unknown: ['Unknown', 'neutral'],
};
const CANCEL_REQUESTED_BADGE: Badge = { kind: 'cancellation', value: 'requested', label: 'Cancel requested', tone: 'warning' };

const OUTCOME_HEADLINES: Record<string, string> = {
  succeeded: 'Completed successfully.',
  partially_succeeded: 'Completed with partial success.',
  failed: 'Failed.',
  blocked: 'Blocked.',
  cancelled: 'Cancelled.',
};

const GUIDANCE = {
  queuedFresh: 'The run starts when a worker picks it up.',
  pastExpected: 'Taking longer than expected, but the worker is still reporting.',
  noPolicy: 'No lifecycle policy is known for this operation type.',
  noTimestamps: 'The run has no usable start or heartbeat time, so its freshness cannot be judged.',
} as const;

/** The one presenter behind every page, widget, CLI and API answer (ARCHITECTURE rule 4). */
export function presentRun(
  run: OperationRun,
  definition: OperationTypeDefinition | null,
  now: Date,
  opts: { superseded?: boolean } = {},
): RunPresentation {
  const freshness = deriveFreshness(run, definition?.policy ?? null, now);
  const problem_class = deriveProblemClass(run, freshness, opts);
  const progress = deriveProgress(run, definition, now, freshness);
  const reconciliation = problem_class === 'reconciled' ? presentReconciliation(run) : null;
  const { headline, guidance } = reconciliation
    ? { headline: reconciliation.message, guidance: reconciledGuidance(reconciliation, run) }
    : copyFor(run, freshness, progress, definition);
  // Until the worker acknowledges a cancel, every surface says it is waiting for it (issue 17).
  const cancellation = isActive(run) ? readCancellation(run) : null;
  return {
    freshness,
    problem_class,
    progress,
    banner: isActive(run) && isLikelyStale(freshness) ? staleActiveCopy(run.status).banner : null,
    headline,
    guidance: cancellation ? cancelPendingCopy(cancellation, now) : guidance,
    badges: [
      badge('status', run.status, STATUS_BADGES),
      badge('outcome', run.outcome, OUTCOME_BADGES),
      badge('freshness', freshness, FRESHNESS_BADGES),
      ...(cancellation ? [CANCEL_REQUESTED_BADGE] : []),
    ],
    links: {
      self: routes.run(run.id),
      ...(run.supersededBy ? { superseded_by: routes.run(run.supersededBy) } : {}),
      ...linkTo('retry_of', readRetryOf(run)),
      ...linkTo('retried_as', readRetriedAs(run)),
    },
    reconciliation,
  };
}

function linkTo<K extends string>(key: K, runId: string | null): Partial<Record<K, string>> {
  return runId ? ({ [key]: routes.run(runId) } as Record<K, string>) : {};
}

/** Operator-safe failures only; `context.diagnostics` is never read for copy. */
export function readFailures(run: OperationRun): RunFailure[] {
  const failures = asRecord(run.context)?.failures;
  if (!Array.isArray(failures)) return [];
  return failures
    .map(asRecord)
    .filter((f): f is Record<string, unknown> => !!f)
    .filter((f) => typeof f.code === 'string' && typeof f.message === 'string')
    .map((f) => ({ code: f.code as string, message: f.message as string }));
}

function copyFor(
  run: OperationRun,
  freshness: Freshness,
  progress: RunProgress,
  definition: OperationTypeDefinition | null,
): { headline: string; guidance: string | null } {
  if (run.status === 'completed') {
    const first = readFailures(run).find((f) => f.message.trim().length > 0);
    return { headline: OUTCOME_HEADLINES[run.outcome] ?? 'Completed.', guidance: first?.message ?? null };
  }
  if (isLikelyStale(freshness)) {
    const { headline, guidance } = staleActiveCopy(run.status);
    return { headline, guidance };
  }
  switch (freshness) {
    case 'past_expected':
      return { headline: progress.label, guidance: GUIDANCE.pastExpected };
    case 'unknown':
      return {
        headline: progress.label,
        guidance: definition ? GUIDANCE.noTimestamps : GUIDANCE.noPolicy,
      };
    default:
      return {
        headline: progress.label,
        guidance: run.status === 'queued' ? GUIDANCE.queuedFresh : null,
      };
  }
}

function presentReconciliation(run: OperationRun): ReconciliationPresentation {
  const rec = asRecord(asRecord(run.context)?.reconciliation) ?? {};
  const adapter = asString(rec.adapter);
  const message = asString(rec.message)?.trim() ? (rec.message as string) : null;
  return {
    reason: asString(rec.reason),
    source: asString(rec.source),
    source_label: sourceLabel(asString(rec.source), adapter),
    adapter,
    decision: asString(rec.decision),
    reconciled_at: isoOrNull(rec.reconciled_at),
    previous_status: asString(rec.previous_status),
    previous_outcome: asString(rec.previous_outcome),
    message: message ?? defaultReconciledHeadline(run),
  };
}

/** The default line claims "no result"; a reconciled success did record one, so say that instead. */
function defaultReconciledHeadline(run: OperationRun): string {
  if (run.outcome === 'failed' || run.outcome === 'blocked') return RECONCILED_DEFAULT_MESSAGE;
  return OUTCOME_HEADLINES[run.outcome] ?? RECONCILED_DEFAULT_MESSAGE;
}

function reconciledGuidance(rec: ReconciliationPresentation, run: OperationRun): string {
  const at = rec.reconciled_at ?? isoOrNull(run.completedAt);
  return at ? `Reconciled by ${rec.source_label} at ${at}.` : `Reconciled by ${rec.source_label}.`;
}

function sourceLabel(source: string | null, adapter: string | null): string {
  if (source === 'scheduled_reconciler') return 'the lifecycle reconciler';
  if (source === 'failed_job_bridge') return 'the failed-job bridge';
  if (source === 'adapter' && adapter?.trim()) return `the ${adapter} adapter`;
  return 'reconciliation';
}

function badge(kind: Badge['kind'], value: string, table: Record<string, [string, Tone]>): Badge {
  const [label, tone] = table[value] ?? ['Unknown', 'neutral'];
  return { kind, value: String(value), label, tone };
}

/** Timestamps reach surfaces as ISO strings; an unparseable value is shown as missing. */
export function isoOrNull(value: unknown): string | null {
  if (!(value instanceof Date) && typeof value !== 'string') return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isFinite(date.getTime()) ? date.toISOString() : null;
}
