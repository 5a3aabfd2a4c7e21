import { OperationErrors } from './operations-errors';
import { SummaryCounts } from './summary-counts';

export const RUN_STATUSES = ['queued', 'running', 'completed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const RUN_OUTCOMES = [
  'pending',
  'succeeded',
  'partially_succeeded',
  'failed',
  'blocked',
  'cancelled',
] as const;
export type RunOutcome = (typeof RUN_OUTCOMES)[number];
export type TerminalOutcome = Exclude<RunOutcome, 'pending'>;

export const ACTIVE_STATUSES: readonly RunStatus[] = ['queued', 'running'];

export interface DispatchContext {
  job_name: string;
  queue: string;
  connection: string;
  dispatched_at: string;
  correlation_version: 1;
  operation_run_id: string;
}

export interface PhaseProgress {
  key: string;
  index: number;
  count: number;
  started_at: string;
}

export type CompositePartState = 'pending' | 'ready' | 'missing';
export interface CompositePart {
  key: string;
  label: string;
  state: CompositePartState;
}

export interface ProgressContext {
  mode?: string;
  phase?: PhaseProgress;
  composite?: { parts: CompositePart[] };
}

export interface AttemptRecord {
  n: number;
  started_at: string;
  ended_at?: string | null;
  error_code?: string | null;
}

export interface RelatedRef {
  type: string;
  id: string;
  /** When the inventory the artifact was built from was synced (baseline compare results). */
  inventory_synced_at?: string;
}

export interface RunFailure {
  code: string;
  message: string;
}

/** An operator's request to cancel a running run; the worker holding it acknowledges by stopping. */
export interface RunCancellation {
  requested_by: string | null;
  requested_at: string;
}

export type ReconciliationSource = 'scheduled_reconciler' | 'failed_job_bridge' | 'adapter';

export interface ReconciliationRecord {
  version: 1;
  reason: string;
  source: ReconciliationSource;
  adapter?: string;
  decision: string;
  reconciled_at: string;
  previous_status: RunStatus;
  previous_outcome: RunOutcome;
  related?: RelatedRef;
  message?: string;
}

/** Canonical shapes of `operation_runs.context` (SPEC 2.6). Unknown keys are kept, never trusted. */
export interface RunContext {
  inputs?: Record<string, unknown>;
  dispatch?: DispatchContext;
  progress?: ProgressContext;
  attempts?: AttemptRecord[];
  reconciliation?: ReconciliationRecord;
  related?: RelatedRef;
  failures?: RunFailure[];
  diagnostics?: Record<string, unknown>;
  cancellation?: RunCancellation;
  /** The run this one retries (issue 17). */
  retry_of?: string;
  /** The latest run started as a retry of this one. */
  retried_as?: string;
}

export interface OperationRun {
  id: string;
  workspaceId: string;
  environmentId: string | null;
  type: string;
  status: RunStatus;
  outcome: RunOutcome;
  initiatorUserId: string | null;
  fingerprint: string;
  context: RunContext;
  summaryCounts: SummaryCounts;
  attempts: number;
  createdAt: Date;
  startedAt: Date | null;
  lastHeartbeatAt: Date | null;
  completedAt: Date | null;
  updatedAt: Date;
  /**
   * The succeeded run of the same (workspace, environment, type, fingerprint) that completed
   * after this failed, blocked or partially succeeded one (SPEC 2.4 "superseded"); null or absent
   * while none has. Written only by that success's completion.
   */
  supersededBy?: string | null;
}

/**
 * A guarded change to a run, applied by the repository as one compare-and-set UPDATE:
 * `contextMerge` replaces the named top-level context keys and leaves the others untouched.
 */
export interface RunChange {
  status?: RunStatus;
  outcome?: RunOutcome;
  startedAt?: Date;
  lastHeartbeatAt?: Date;
  completedAt?: Date;
  attempts?: number;
  summaryCounts?: SummaryCounts;
  contextMerge?: Partial<RunContext>;
  /** Merged into `context.diagnostics` key by key, so concurrent diagnostic writes all survive. */
  diagnosticsMerge?: Record<string, unknown>;
  /**
   * A completion as succeeded: the same statement marks the follow-up runs of this run's
   * (workspace, environment, type, fingerprint) that are already completed as superseded by it.
   */
  supersedesFollowUps?: boolean;
}

/**
 * The run as a change would leave it, for describing a transition before it is written (its
 * audit event). Context keys merge at the top level as the repository's `context || merge` does;
 * `updatedAt` stays as it was (the database sets it).
 */
export function withChange(run: OperationRun, change: RunChange): OperationRun {
  const context: RunContext = { ...run.context, ...(change.contextMerge ?? {}) };
  if (change.diagnosticsMerge && Object.keys(change.diagnosticsMerge).length) {
    const current = run.context.diagnostics && typeof run.context.diagnostics === 'object' ? run.context.diagnostics : {};
    context.diagnostics = { ...current, ...change.diagnosticsMerge };
  }
  return {
    ...run,
    status: change.status ?? run.status,
    outcome: change.outcome ?? run.outcome,
    startedAt: change.startedAt ?? run.startedAt,
    lastHeartbeatAt: change.lastHeartbeatAt ?? run.lastHeartbeatAt,
    completedAt: change.completedAt ?? run.completedAt,
    attempts: change.attempts ?? run.attempts,
    summaryCounts: change.summaryCounts ?? run.summaryCounts,
    context,
  };
}

const ALLOWED_NEXT: Record<RunStatus, readonly RunStatus[]> = {
  queued: ['running', 'completed'],
  running: ['running', 'completed'],
  completed: [],
};

export function isActive(run: Pick<OperationRun, 'status'>): boolean {
  return run.status !== 'completed';
}

export function assertTransition(from: RunStatus, to: RunStatus): void {
  if (!ALLOWED_NEXT[from].includes(to)) {
    throw OperationErrors.illegalTransition(from, to);
  }
}
