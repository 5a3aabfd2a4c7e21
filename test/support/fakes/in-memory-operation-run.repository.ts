import { Clock } from '../../../src/shared/core/clock.port';
import { OperationRun, RunChange, RunContext, RunStatus } from '../../../src/modules/operations/core/operation-run';
import { CompletionAuditEvent } from '../../../src/modules/operations/core/ports/completion-audit.port';
import {
  HeartbeatAnswer,
  CompletionItem,
  NewQueuedRun,
  OperationRunRepository,
  RunGuard,
} from '../../../src/modules/operations/core/ports/operation-run.repository.port';
import { FOLLOW_UP_OUTCOMES } from '../../../src/modules/operations/core/problem-class';
import { readSummaryCounts } from '../../../src/modules/operations/core/summary-counts';

/** What the SQL does to a value written into a jsonb column: Dates become strings, undefined vanishes. */
function asJsonb<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Mimics `MikroOrmOperationRunRepository` statement by statement, with one Map as the table:
 * - insert: the partial unique index on (workspace_id, environment_id, type, fingerprint) over
 *   active rows, `nulls not distinct`, so a null environment equals a null environment;
 * - compareAndSet: `UPDATE … WHERE id = ? AND status = ? [AND attempts = ?] RETURNING *`, with
 *   `context = context || merge` (top-level keys replaced) and `summary_counts` replaced;
 * - touchHeartbeat: only a running row at the given attempt; appendDiagnostic: any row, status untouched;
 * - a completion's audit event lands in `auditEvents` only when its compare-and-set applied;
 * - a success's `supersedesFollowUps` marks the same work's completed follow-ups (supersededBy).
 * Every returned run is a deep copy read through the same mapping as the row mapper
 * (`readSummaryCounts`), so a caller can never mutate the stored row.
 */
export class InMemoryOperationRunRepository implements OperationRunRepository {
  private readonly rows = new Map<string, OperationRun>();

  /** Runs synchronously right before a compareAndSet is evaluated: lets a test interleave a writer. */
  beforeCompareAndSet?: (id: string, guard: RunGuard, change: RunChange) => void;

  /** Every compareAndSet call with whether it applied, for assertions about what was attempted. */
  readonly casLog: Array<{ id: string; guard: RunGuard; change: RunChange; applied: boolean }> = [];

  /** The audit events the completions wrote (the SQL inserts them in the same statement). */
  readonly auditEvents: CompletionAuditEvent[] = [];

  /** `updated_at = now()` is the database clock in SQL; here it is the given clock, or the wall clock. */
  constructor(private readonly clock?: Clock) {}

  async insertQueuedOrFindActive(run: NewQueuedRun): Promise<{ run: OperationRun; created: boolean }> {
    const existing = [...this.rows.values()].find(
      (row) =>
        row.status !== 'completed' &&
        row.workspaceId === run.workspaceId &&
        row.environmentId === run.environmentId &&
        row.type === run.type &&
        row.fingerprint === run.fingerprint,
    );
    if (existing) return { run: this.read(existing), created: false };
    if (this.rows.has(run.id)) throw new Error(`duplicate key value violates unique constraint (id ${run.id})`);
    const row: OperationRun = {
      id: run.id,
      workspaceId: run.workspaceId,
      environmentId: run.environmentId,
      type: run.type,
      status: 'queued',
      outcome: 'pending',
      initiatorUserId: run.initiatorUserId,
      fingerprint: run.fingerprint,
      context: asJsonb(run.context),
      summaryCounts: {},
      attempts: 0,
      createdAt: new Date(run.createdAt.getTime()),
      startedAt: null,
      lastHeartbeatAt: null,
      completedAt: null,
      updatedAt: new Date(run.createdAt.getTime()),
    };
    this.rows.set(row.id, row);
    return { run: this.read(row), created: true };
  }

  async findById(id: string): Promise<OperationRun | null> {
    const row = this.rows.get(id);
    return row ? this.read(row) : null;
  }

  /** Same semantics as one guarded UPDATE per item; only the winners come back. */
  async completeMany(items: CompletionItem[]): Promise<OperationRun[]> {
    const winners: OperationRun[] = [];
    for (const item of items) {
      const won = await this.compareAndSet(
        item.id,
        { status: item.expectedStatus, attempts: item.expectedAttempts },
        item.change,
        item.audit,
      );
      if (won) winners.push(won);
    }
    return winners;
  }

  async compareAndSet(id: string, guard: RunGuard, change: RunChange, audit?: CompletionAuditEvent): Promise<OperationRun | null> {
    this.beforeCompareAndSet?.(id, guard, change);
    const row = this.rows.get(id);
    const applies =
      !!row && row.status === guard.status && (guard.attempts === undefined || row.attempts === guard.attempts);
    this.casLog.push({ id, guard: { ...guard }, change: structuredClone(change), applied: applies });
    if (!row || !applies) return null;
    if (change.status !== undefined) row.status = change.status;
    if (change.outcome !== undefined) row.outcome = change.outcome;
    if (change.startedAt !== undefined) row.startedAt = new Date(change.startedAt.getTime());
    if (change.lastHeartbeatAt !== undefined) row.lastHeartbeatAt = new Date(change.lastHeartbeatAt.getTime());
    if (change.completedAt !== undefined) row.completedAt = new Date(change.completedAt.getTime());
    if (change.attempts !== undefined) row.attempts = change.attempts;
    if (change.summaryCounts !== undefined) row.summaryCounts = asJsonb(change.summaryCounts);
    if (change.contextMerge && Object.keys(change.contextMerge).length) {
      row.context = { ...row.context, ...asJsonb(change.contextMerge) };
    }
    if (change.diagnosticsMerge && Object.keys(change.diagnosticsMerge).length) {
      const current = isPlainObject(row.context.diagnostics) ? row.context.diagnostics : {};
      row.context = { ...row.context, diagnostics: { ...current, ...asJsonb(change.diagnosticsMerge) } };
    }
    row.updatedAt = this.dbNow();
    if (change.supersedesFollowUps && row.status === 'completed' && row.outcome === 'succeeded') this.supersedeFollowUps(row);
    if (audit) this.auditEvents.push(structuredClone(audit));
    return this.read(row);
  }

  /** The completion statement's supersede CTE: the same work's completed, not yet superseded follow-ups. */
  private supersedeFollowUps(success: OperationRun): void {
    for (const other of this.rows.values()) {
      const sameWork = other.workspaceId === success.workspaceId && other.environmentId === success.environmentId
        && other.type === success.type && other.fingerprint === success.fingerprint;
      if (!sameWork || other.id === success.id || other.status !== 'completed' || other.supersededBy) continue;
      if (!FOLLOW_UP_OUTCOMES.includes(other.outcome)) continue;
      other.supersededBy = success.id;
      other.updatedAt = this.dbNow();
    }
  }

  async touchHeartbeat(id: string, attempt: number, at: Date): Promise<HeartbeatAnswer> {
    const row = this.rows.get(id);
    if (!row || row.status !== 'running' || row.attempts !== attempt) return 'gone';
    row.lastHeartbeatAt = new Date(at.getTime());
    row.updatedAt = this.dbNow();
    return isPlainObject(row.context.cancellation) ? 'cancel_requested' : 'alive';
  }

  async appendDiagnostic(id: string, key: string, entry: Record<string, unknown>): Promise<void> {
    const row = this.rows.get(id);
    if (!row) return;
    const diagnostics: Record<string, unknown> = isPlainObject(row.context.diagnostics)
      ? { ...row.context.diagnostics }
      : {};
    const previous = diagnostics[key];
    // jsonb `||` with an array: a missing value starts a list, a non-array value becomes its first element.
    const list = previous === undefined ? [] : Array.isArray(previous) ? previous : [previous];
    diagnostics[key] = [...list, asJsonb(entry)];
    row.context = { ...row.context, diagnostics };
    row.updatedAt = this.dbNow();
  }

  // ---- test helpers (not part of the port) ----

  /** Puts a row in the table as is (any status), bypassing the insert rules; returns a copy. */
  seed(run: OperationRun): OperationRun {
    const row = structuredClone(run);
    row.context = asJsonb(row.context as RunContext);
    this.rows.set(row.id, row);
    return this.read(row);
  }

  all(): OperationRun[] {
    return [...this.rows.values()].map((row) => this.read(row));
  }

  get size(): number {
    return this.rows.size;
  }

  /**
   * A deep copy whose dates are real Dates of this realm: structuredClone's Dates fail
   * `instanceof Date` under Jest, which would make every freshness check read `unknown`.
   */
  private read(row: OperationRun): OperationRun {
    const copy = structuredClone(row);
    copy.summaryCounts = readSummaryCounts(copy.summaryCounts);
    const date = (d: Date | null) => (d ? new Date(d.getTime()) : null);
    copy.createdAt = new Date(row.createdAt.getTime());
    copy.updatedAt = new Date(row.updatedAt.getTime());
    copy.startedAt = date(row.startedAt);
    copy.lastHeartbeatAt = date(row.lastHeartbeatAt);
    copy.completedAt = date(row.completedAt);
    return copy;
  }

  private dbNow(): Date {
    return this.clock ? this.clock.now() : new Date();
  }
}
