import { Clock } from '../../../shared/core/clock.port';
import { OperationCatalog } from '../../operations/core/operation-catalog';
import { OperationRun } from '../../operations/core/operation-run';
import { OperationRunService } from '../../operations/core/operation-run.service';
import { ReconcileRequest } from '../../operations/core/operation-run.requests';
import { isJobAlive, JobLiveness } from '../../operations/core/ports/job-liveness';
import { RunQueue } from '../../operations/core/ports/run-queue.port';
import { decideReconciliation, ReconcileAction } from './reconciliation-decision';
import { ReconciliationAdapterRegistry } from './reconciliation-adapter.registry';
import { AdapterDecision, ReconciliationAdapter } from './ports/reconciliation-adapter.port';
import { StaleRunSource, StaleWindow, SweepCursor } from './ports/stale-run-source.port';
import { staleWindows } from '../../operations/core/stale-windows';

export interface SweepSummary {
  examined: number;
  reconciled: number;
  skipped_alive: number;
  skipped_unverified: number;
  deferred: number;
  /** Reconciled runs per reason (in a dry run: what would be reconciled). */
  by_reason: Record<string, number>;
  /**
   * Adapter effects (e.g. marking a partial snapshot unusable) that failed after their run was
   * closed: the run's truth stands, the leftover artifact is still not complete or published.
   */
  apply_failed: number;
  dry_run: boolean;
  /** `busy`: another instance was sweeping, this call did nothing. */
  lock: 'acquired' | 'busy';
}

export const DEFAULT_SWEEP_BATCH = 2000;

/** Batches of one sweep being closed at the same time (their runs are disjoint). */
const CLOSING_AT_ONCE = 2;

/**
 * Finds active runs past their lifecycle window and converges each to terminal truth: skipped
 * while the queue proves the job alive, otherwise closed through the type's adapter or the
 * generic force-fail. Safe beside other sweeps (one lock) and beside workers (guarded writes).
 */
export class LifecycleReconciler {
  constructor(
    private readonly source: StaleRunSource,
    private readonly queue: RunQueue,
    private readonly adapters: ReconciliationAdapterRegistry,
    private readonly runs: OperationRunService,
    private readonly catalog: OperationCatalog,
    private readonly clock: Clock,
    private readonly batchSize = DEFAULT_SWEEP_BATCH,
  ) {}

  async sweep({ dryRun = false }: { dryRun?: boolean } = {}): Promise<SweepSummary> {
    const summary: SweepSummary = {
      examined: 0,
      reconciled: 0,
      skipped_alive: 0,
      skipped_unverified: 0,
      deferred: 0,
      by_reason: {},
      apply_failed: 0,
      dry_run: dryRun,
      lock: 'acquired',
    };
    const locked = await this.source.withSweepLock(() => this.sweepLocked(summary, dryRun));
    if (!locked.acquired) summary.lock = 'busy';
    return summary;
  }

  /**
   * Batches follow one another by keyset: the next one starts after this one's last candidate
   * whatever this one decides, so it is read (and the queue asked about it) while this one is
   * decided, and up to CLOSING_AT_ONCE batches are closed at once — disjoint runs, each write
   * compare-and-set — so PostgreSQL works on one while the app prepares the other. Nothing
   * outlives the sweep (and its lock): on a failure every batch in flight settles first.
   */
  private async sweepLocked(summary: SweepSummary, dryRun: boolean): Promise<void> {
    const now = this.clock.now();
    const windows = staleWindows(this.catalog);
    const load = (cursor: SweepCursor | null) => this.loadBatch(now, windows, cursor);
    let next = load(null);
    const closing: Promise<void>[] = [];
    try {
      for (;;) {
        const { batch, liveness } = await next;
        if (!batch.length) break;
        const last = batch[batch.length - 1];
        next = batch.length < this.batchSize ? Promise.resolve(NO_BATCH) : load({ createdAt: last.createdAt, id: last.id });
        next.catch(() => undefined); // surfaced by the await above on the next turn
        closing.push(this.closeBatch(batch, liveness, now, summary, dryRun));
        if (closing.length >= CLOSING_AT_ONCE) await closing.shift();
      }
      while (closing.length) await closing.shift();
    } finally {
      await Promise.allSettled([next, ...closing]);
    }
  }

  /**
   * Decides one batch and applies its reconciliations in one set-based write. An adapter's domain
   * effect runs only for a run this sweep closed: never in a dry run, never for a run a worker
   * (or another sweep) finished first.
   */
  private async closeBatch(
    batch: OperationRun[],
    liveness: Map<string, JobLiveness>,
    now: Date,
    summary: SweepSummary,
    dryRun: boolean,
  ): Promise<void> {
    const requests: ReconcileRequest[] = [];
    const jobsToRemove = new Set<string>();
    const effects = new Map<string, () => Promise<void>>();
    const actions = await this.decideBatch(batch, liveness, now);
    for (const run of batch) {
      const action = actions.get(run.id)!;
      this.tally(summary, action);
      if (action.kind !== 'reconcile') continue;
      const { kind: _kind, removeJob, apply, ...decision } = action;
      requests.push({ run, ...decision });
      if (removeJob) jobsToRemove.add(run.id);
      if (apply) effects.set(run.id, apply);
    }
    const reconciled = dryRun ? requests.map((r) => r.run) : await this.runs.reconcileMany(requests);
    const reasonById = new Map(requests.map((r) => [r.run.id, r.reason]));
    for (const run of reconciled) {
      const reason = reasonById.get(run.id)!;
      summary.reconciled++;
      summary.by_reason[reason] = (summary.by_reason[reason] ?? 0) + 1;
    }
    if (dryRun) return;
    // Only jobs of runs this sweep closed: a run a worker finished keeps its job's own fate.
    for (const run of reconciled) if (jobsToRemove.has(run.id)) await this.queue.remove(run.id);
    for (const run of reconciled) {
      const apply = effects.get(run.id);
      if (apply) await apply().catch(() => void summary.apply_failed++);
    }
  }

  /** One batch of stale candidates after `cursor`, with what the queue knows of their jobs. */
  private async loadBatch(now: Date, windows: StaleWindow[], cursor: SweepCursor | null): Promise<LoadedBatch> {
    const batch = await this.source.findStale(now, windows, cursor, this.batchSize);
    if (!batch.length) return NO_BATCH;
    return { batch, liveness: await this.queue.inspect(batch.map((r) => r.id)) };
  }

  /**
   * The verdict for each run of a batch. Only runs that are truly stale and whose job is gone are
   * worth a domain read, and each adapter reads its domain once for all of them (`decideMany`).
   */
  private async decideBatch(batch: OperationRun[], liveness: Map<string, JobLiveness>, now: Date): Promise<Map<string, ReconcileAction>> {
    const actions = new Map<string, ReconcileAction>();
    const forAdapter = new Map<ReconciliationAdapter, OperationRun[]>();
    for (const run of batch) {
      const jobLiveness = liveness.get(run.id) ?? 'unreachable';
      const definition = this.catalog.resolve(run.type);
      const base = decideReconciliation({ run, policy: definition?.policy ?? null, liveness: jobLiveness, now });
      const adapter = definition ? this.adapters.forType(definition.type) : undefined;
      actions.set(run.id, base);
      if (base.kind !== 'reconcile' || !adapter || isJobAlive(jobLiveness)) continue;
      forAdapter.set(adapter, [...(forAdapter.get(adapter) ?? []), run]);
    }
    for (const [adapter, runs] of forAdapter) {
      const decisions = await safeDecideMany(adapter, runs, now);
      for (const run of runs) {
        const definition = this.catalog.resolve(run.type);
        actions.set(
          run.id,
          decideReconciliation({
            run,
            policy: definition?.policy ?? null,
            liveness: liveness.get(run.id) ?? 'unreachable',
            now,
            adapter: { name: adapter.name, decision: decisions.get(run.id) ?? ADAPTER_ERROR },
          }),
        );
      }
    }
    return actions;
  }

  private tally(summary: SweepSummary, action: ReconcileAction): void {
    if (action.kind === 'not_stale') return;
    summary.examined++;
    if (action.kind === 'skip_alive') summary.skipped_alive++;
    if (action.kind === 'skip_unverified') summary.skipped_unverified++;
    if (action.kind === 'defer') summary.deferred++;
  }
}

interface LoadedBatch {
  batch: OperationRun[];
  liveness: Map<string, JobLiveness>;
}

const NO_BATCH: LoadedBatch = { batch: [], liveness: new Map() };

const ADAPTER_ERROR: AdapterDecision = { decision: 'defer', reason: 'adapter_error' };

/** An adapter that cannot read its domain proves nothing: defer (bounded by the ceiling). */
async function safeDecideMany(adapter: ReconciliationAdapter, runs: OperationRun[], now: Date): Promise<Map<string, AdapterDecision>> {
  try {
    if (adapter.decideMany) return await adapter.decideMany(runs, now);
    const decisions = new Map<string, AdapterDecision>();
    for (const run of runs) decisions.set(run.id, await adapter.decide(run, now).catch(() => ADAPTER_ERROR));
    return decisions;
  } catch {
    return new Map(runs.map((run) => [run.id, ADAPTER_ERROR]));
  }
}
