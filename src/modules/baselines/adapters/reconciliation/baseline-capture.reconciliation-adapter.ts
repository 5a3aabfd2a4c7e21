import { Inject, Injectable } from '@nestjs/common';
import { OperationRun } from '../../../operations/core/operation-run';
import { RegisterReconciliationAdapter } from '../../../reconciliation/adapters/register-reconciliation-adapter.decorator';
import { AdapterDecision, ReconciliationAdapter } from '../../../reconciliation/core/ports/reconciliation-adapter.port';
import { BASELINE_SNAPSHOT_REPOSITORY, BaselineSnapshot, BaselineSnapshotRepository } from '../../core/ports/baseline-snapshot.repository.port';

/**
 * A stale capture whose worker is gone: a complete snapshot proves success; a partial one must
 * never be compared against, so the run fails and, once that is applied, the snapshot is marked
 * unusable. Deciding only reads.
 */
@Injectable()
@RegisterReconciliationAdapter()
export class BaselineCaptureReconciliationAdapter implements ReconciliationAdapter {
  readonly type = 'baseline.capture';
  readonly name = 'baseline-capture';

  constructor(@Inject(BASELINE_SNAPSHOT_REPOSITORY) private readonly snapshots: BaselineSnapshotRepository) {}

  async decide(run: OperationRun): Promise<AdapterDecision> {
    return this.verdict(await this.snapshots.findByRun(run.id));
  }

  /** One read for the batch. */
  async decideMany(runs: OperationRun[]): Promise<Map<string, AdapterDecision>> {
    const snapshots = await this.snapshots.findByRuns(runs.map((r) => r.id));
    return new Map(runs.map((run) => [run.id, this.verdict(snapshots.get(run.id) ?? null)]));
  }

  private verdict(snapshot: BaselineSnapshot | null): AdapterDecision {
    if (snapshot?.status === 'complete') {
      return {
        decision: 'succeeded',
        reason: 'snapshot_complete',
        message: `Reconciled: the snapshot was complete (${snapshot.itemCount} item${snapshot.itemCount === 1 ? '' : 's'}) although the run was not closed.`,
        related: { type: 'baseline_snapshot', id: snapshot.id },
        summaryCounts: { total: snapshot.itemCount, processed: snapshot.itemCount },
      };
    }
    if (snapshot) {
      return {
        decision: 'failed',
        reason: 'incomplete_snapshot',
        message: 'Reconciled: the worker stopped before the snapshot was complete; the partial snapshot is marked unusable.',
        apply: () => this.snapshots.markUnusable(snapshot.id),
      };
    }
    return {
      decision: 'failed',
      reason: 'no_snapshot_recorded',
      message: 'Reconciled: the worker stopped before any snapshot was recorded.',
    };
  }
}
