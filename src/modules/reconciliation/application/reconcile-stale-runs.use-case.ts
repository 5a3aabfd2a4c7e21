import { Inject, Injectable } from '@nestjs/common';
import { LifecycleReconciler, SweepSummary } from '../core/lifecycle-reconciler';

/**
 * One reconciliation sweep, for the scheduler's interval and the `reconcile` CLI alike. Within a
 * process, a sweep asked for while one runs joins it (its summary answers both callers) rather
 * than queueing a second pass behind it; across processes the reconciler's sweep lock keeps a
 * second sweeper out. A dry run never joins a real one, nor the reverse.
 */
@Injectable()
export class ReconcileStaleRuns {
  private readonly inFlight = new Map<boolean, Promise<SweepSummary>>();

  constructor(@Inject(LifecycleReconciler) private readonly reconciler: LifecycleReconciler) {}

  execute({ dryRun = false }: { dryRun?: boolean } = {}): Promise<SweepSummary> {
    const running = this.inFlight.get(dryRun);
    if (running) return running;
    const sweep = this.reconciler.sweep({ dryRun }).finally(() => this.inFlight.delete(dryRun));
    this.inFlight.set(dryRun, sweep);
    return sweep;
  }
}
