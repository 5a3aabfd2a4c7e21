import { HandlerResult } from '../../operations/core/ports/run-handler.port';

/**
 * What a bulk run did to one run (or, for a fan-out, one environment). Each result is acted
 * (the action happened), skipped (nothing to do: already so) or refused (the action was not
 * allowed or failed); the run's outcome and sentence follow from the tally.
 */
export const CHILD_RESULTS = {
  cancelled: { kind: 'acted', phrase: 'cancelled' },
  cancel_requested: { kind: 'acted', phrase: 'asked to stop' },
  already_cancelling: { kind: 'skipped', phrase: 'were already being cancelled' },
  already_finished: { kind: 'skipped', phrase: 'had already finished' },
  retried: { kind: 'acted', phrase: 'retried' },
  not_retryable: { kind: 'skipped', phrase: 'were no longer retryable' },
  started: { kind: 'acted', phrase: 'started' },
  already_active: { kind: 'skipped', phrase: 'already had an identical run active' },
  archived: { kind: 'skipped', phrase: 'skipped: archived' },
  not_found: { kind: 'refused', phrase: 'were no longer visible to you' },
  forbidden: { kind: 'refused', phrase: 'were not permitted to you' },
  refused: { kind: 'refused', phrase: 'were refused' },
} as const satisfies Record<string, { kind: 'acted' | 'skipped' | 'refused'; phrase: string }>;

export type ChildResult = keyof typeof CHILD_RESULTS;

export function isChildResult(value: unknown): value is ChildResult {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(CHILD_RESULTS, value);
}

/** One thing a bulk run did, as recorded (and listed at /operations/:id/children). */
export interface ChildRecord {
  runId: string | null;
  environmentId: string | null;
  result: ChildResult;
  /** Why it was refused, in the refusing rule's own words (operator-safe messages only). */
  message?: string | null;
}

/**
 * The bulk run's result from what it did: every target acted on → succeeded; some skipped or
 * refused → partially succeeded with a sentence that says how many of each ("38 cancelled;
 * 2 had already finished"); nothing acted on while something was refused → failed. No targets
 * at all is a success that did nothing (counts say 0).
 */
export function bulkResult(records: readonly Pick<ChildRecord, 'result'>[]): HandlerResult {
  const counts = new Map<ChildResult, number>();
  for (const r of records) counts.set(r.result, (counts.get(r.result) ?? 0) + 1);
  const of = (kind: 'acted' | 'skipped' | 'refused') =>
    [...counts].filter(([result]) => CHILD_RESULTS[result].kind === kind).reduce((n, [, c]) => n + c, 0);
  const acted = of('acted');
  const skipped = of('skipped');
  const refused = of('refused');
  const summaryCounts = { total: records.length, processed: records.length, succeeded: acted, skipped, failed: refused };
  if (skipped === 0 && refused === 0) return { outcome: 'succeeded', summaryCounts };
  const sentence = describeTally(counts);
  return {
    outcome: acted === 0 && refused > 0 ? 'failed' : 'partially_succeeded',
    summaryCounts,
    failures: [{ code: acted === 0 && refused > 0 ? 'bulk_nothing_done' : 'bulk_partial', message: sentence }],
  };
}

/** "38 cancelled; 2 had already finished." — acted first, then skipped, then refused, in registry order. */
export function describeTally(counts: ReadonlyMap<ChildResult, number>): string {
  const order = (['acted', 'skipped', 'refused'] as const).flatMap((kind) =>
    (Object.keys(CHILD_RESULTS) as ChildResult[]).filter((r) => CHILD_RESULTS[r].kind === kind),
  );
  const parts = order.filter((r) => (counts.get(r) ?? 0) > 0).map((r) => `${counts.get(r)} ${CHILD_RESULTS[r].phrase}`);
  return parts.length ? `${parts.join('; ')}.` : 'Nothing to do.';
}
