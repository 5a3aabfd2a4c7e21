import { OperationRun } from '../../../src/modules/operations/core/operation-run';
import {
  StaleRunSource,
  StaleWindow,
  SweepCursor,
} from '../../../src/modules/reconciliation/core/ports/stale-run-source.port';
import { InMemoryOperationRunRepository } from './in-memory-operation-run.repository';

/**
 * Mimics `MikroOrmStaleRunSource` over an `InMemoryOperationRunRepository`, clause by clause:
 * - `join jsonb_to_recordset(windows) on w.type = r.type`: exact type match, one row per matching
 *   window (aliases are their own window rows), runs of types without a window never appear;
 * - `status in ('queued','running')`;
 * - queued: `created_at < now - queued_after_s`; running:
 *   `coalesce(last_heartbeat_at, started_at) < now - running_after_s` (strictly older; a null
 *   reference compares as null, i.e. not stale);
 * - keyset `(created_at, id) > (cursor.createdAt, cursor.id)`, `order by created_at, id`, `limit`.
 * Returned runs carry ordinary Dates, like rows mapped by `toOperationRun`: the repository's
 * `structuredClone` copies hold Dates from Node's own realm, which fail `instanceof Date` inside a
 * Jest sandbox (and so would read as "unknown" freshness to the code under test).
 * The sweep lock admits one holder at a time, like `pg_try_advisory_xact_lock`: a caller that finds
 * it held gets `{ acquired: false }` immediately and its work never runs.
 */
export class InMemoryStaleRunSource implements StaleRunSource {
  private held = false;

  constructor(private readonly runs: InMemoryOperationRunRepository) {}

  async findStale(now: Date, windows: StaleWindow[], cursor: SweepCursor | null, limit: number): Promise<OperationRun[]> {
    if (!windows.length) return [];
    const nowMs = now.getTime();
    const matches = this.runs.all().flatMap((run) =>
      windows
        .filter((w) => w.type === run.type)
        .filter(() => run.status === 'queued' || run.status === 'running')
        .filter((w) => isPastWindow(run, w, nowMs))
        .map(() => asRow(run)),
    );
    return matches
      .filter((run) => !cursor || compareKey(run, cursor) > 0)
      .sort((a, b) => compareKey(a, b))
      .slice(0, Math.max(0, limit));
  }

  async withSweepLock<T>(work: () => Promise<T>): Promise<{ acquired: true; result: T } | { acquired: false }> {
    if (this.held) return { acquired: false };
    this.held = true;
    try {
      return { acquired: true, result: await work() };
    } finally {
      this.held = false;
    }
  }

  /** Whether a sweep currently holds the lock (test helper, not part of the port). */
  get locked(): boolean {
    return this.held;
  }
}

function isPastWindow(run: OperationRun, window: StaleWindow, nowMs: number): boolean {
  if (run.status === 'queued') {
    const created = millis(run.createdAt);
    return created !== null && created < nowMs - window.queued_after_s * 1000;
  }
  const reference = millis(run.lastHeartbeatAt) ?? millis(run.startedAt);
  return reference !== null && reference < nowMs - window.running_after_s * 1000;
}

/** Row comparison `(created_at, id)`; uuids compare like their lowercase text. */
function compareKey(run: Pick<OperationRun, 'createdAt' | 'id'>, other: Pick<OperationRun, 'createdAt' | 'id'>): number {
  const byTime = run.createdAt.getTime() - other.createdAt.getTime();
  if (byTime !== 0) return byTime;
  const a = run.id.toLowerCase();
  const b = other.id.toLowerCase();
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Any Date, whatever realm created it (see the class comment). */
function isDate(value: unknown): value is Date {
  return Object.prototype.toString.call(value) === '[object Date]';
}

function millis(value: Date | null): number | null {
  if (!isDate(value)) return null;
  const ms = value.getTime();
  return Number.isFinite(ms) ? ms : null;
}

function toDate<T extends Date | null>(value: T): T {
  return (isDate(value) ? new Date(value.getTime()) : value) as T;
}

function asRow(run: OperationRun): OperationRun {
  return {
    ...run,
    createdAt: toDate(run.createdAt),
    startedAt: toDate(run.startedAt),
    lastHeartbeatAt: toDate(run.lastHeartbeatAt),
    completedAt: toDate(run.completedAt),
    updatedAt: toDate(run.updatedAt),
  };
}
