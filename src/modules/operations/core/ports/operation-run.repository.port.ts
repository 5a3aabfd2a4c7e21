import { OperationRun, RunChange, RunStatus } from '../operation-run';
import { CompletionAuditEvent } from './completion-audit.port';

export const OPERATION_RUN_REPOSITORY = Symbol('OPERATION_RUN_REPOSITORY');

export interface RunGuard {
  status: RunStatus;
  attempts?: number;
}

export type NewQueuedRun = Pick<
  OperationRun,
  'id' | 'workspaceId' | 'environmentId' | 'type' | 'initiatorUserId' | 'fingerprint' | 'context' | 'createdAt'
>;

export interface CompletionItem {
  id: string;
  expectedStatus: RunStatus;
  expectedAttempts?: number;
  change: RunChange;
  audit?: CompletionAuditEvent;
}

export interface OperationRunRepository {
  /**
   * Inserts a queued run unless an active run with the same (workspace, environment, type,
   * fingerprint) exists; the database's partial unique index is the arbiter under concurrency.
   */
  insertQueuedOrFindActive(run: NewQueuedRun): Promise<{ run: OperationRun; created: boolean }>;

  findById(id: string): Promise<OperationRun | null>;

  /**
   * One `UPDATE … WHERE id = ? AND status = ? [AND attempts = ?] RETURNING *`; null when the
   * guard lost (someone else moved the run first). An `audit` event is inserted by the same
   * statement, only when the update applies.
   */
  compareAndSet(id: string, guard: RunGuard, change: RunChange, audit?: CompletionAuditEvent): Promise<OperationRun | null>;

  /**
   * Completes many runs in one statement, each guarded by its expected status (and, when given,
   * its expected attempt number: a run another attempt took over meanwhile is not completed);
   * returns only the runs this call completed (the winners), whose `audit` events the same
   * statement inserts.
   */
  completeMany(items: CompletionItem[]): Promise<OperationRun[]>;

  /**
   * Heartbeat of the given attempt of a running run. `gone` when the run is no longer running or
   * another attempt superseded this one (someone else won); `cancel_requested` when it is still
   * this attempt's but an operator asked to cancel it — the same statement answers both, so a
   * worker learns of a cancel within one heartbeat at no extra cost.
   */
  touchHeartbeat(id: string, attempt: number, at: Date): Promise<HeartbeatAnswer>;

  /** Appends an entry to `context.diagnostics.<key>` without touching status (terminal rows too). */
  appendDiagnostic(id: string, key: string, entry: Record<string, unknown>): Promise<void>;
}

/** What a worker's heartbeat learns about the run it holds. */
export type HeartbeatAnswer = 'alive' | 'cancel_requested' | 'gone';
