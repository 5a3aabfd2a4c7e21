import { Clock } from '../../../shared/core/clock.port';
import { HandlerResult } from '../../operations/core/ports/run-handler.port';
import { ProgressReporter } from '../../operations/core/ports/progress-reporter.port';
import { bulkResult, ChildRecord } from '../core/child-results';
import { RunChildren } from '../core/ports/run-children.port';

/** Children recorded (and progress reported) per this many actions: a crash loses at most one batch's records. */
export const CHILD_BATCH = 25;

export interface EachParams<T> {
  runId: string;
  targets: readonly T[];
  /** The run or environment id a target names: what an earlier attempt's record of it says. */
  keyOf: (target: T) => string;
  act: (target: T) => Promise<ChildRecord>;
  children: RunChildren;
  progress: ProgressReporter;
  signal: AbortSignal;
  clock: Clock;
}

/**
 * The loop every bulk run shares: resume after what earlier attempts recorded (a run is never
 * acted on twice by one bulk run), act on each remaining target in order, record the children
 * and report counted progress per batch, stop between targets once aborted (a cancel of the bulk
 * run itself), and derive the outcome from everything recorded.
 */
export async function actOnEach<T>(params: EachParams<T>): Promise<HandlerResult> {
  const { runId, children, progress, signal, clock } = params;
  const earlier = await children.recorded(runId);
  const done = new Set(earlier.flatMap((c) => [c.runId, c.environmentId]).filter((k): k is string => k !== null));
  const remaining = params.targets.filter((t) => !done.has(params.keyOf(t)));
  const total = earlier.length + remaining.length;
  const records: ChildRecord[] = [...earlier];
  let batch: ChildRecord[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    await children.record(runId, batch, clock.now());
    records.push(...batch);
    batch = [];
    await progress.counted(records.length, total);
  };
  await progress.counted(earlier.length, total);
  try {
    for (const target of remaining) {
      if (signal.aborted) throw signal.reason ?? new Error('aborted');
      batch.push(await params.act(target));
      if (batch.length >= CHILD_BATCH) await flush();
    }
  } finally {
    // What was done is recorded even when the bulk run stops early (cancelled, timed out).
    await flush();
  }
  return { ...bulkResult(records), related: runChildrenRef(runId) };
}

/** A bulk run's related artifact from its first moment: the list of the runs it touches. */
export function runChildrenRef(runId: string): { type: string; id: string } {
  return { type: RUN_CHILDREN_ARTIFACT, id: runId };
}

/** The related artifact of a bulk run: the runs it touched (linked to /operations/:id/children). */
export const RUN_CHILDREN_ARTIFACT = 'run_children';
