import { Inject, Injectable } from '@nestjs/common';
import { OperationRun } from '../../../operations/core/operation-run';
import { RegisterReconciliationAdapter } from '../../../reconciliation/adapters/register-reconciliation-adapter.decorator';
import { AdapterDecision, ReconciliationAdapter } from '../../../reconciliation/core/ports/reconciliation-adapter.port';
import { compareResultRef } from '../../core/baseline-compare';
import { BASELINE_COMPARE_REPOSITORY, BaselineCompareRepository, CompareResult } from '../../core/ports/baseline-compare.repository.port';

/**
 * A stale compare: only a complete result counts; partial findings are marked unusable once the
 * run's failure is applied. Deciding only reads.
 */
@Injectable()
@RegisterReconciliationAdapter()
export class BaselineCompareReconciliationAdapter implements ReconciliationAdapter {
  readonly type = 'baseline.compare';
  readonly name = 'baseline-compare';

  constructor(@Inject(BASELINE_COMPARE_REPOSITORY) private readonly results: BaselineCompareRepository) {}

  async decide(run: OperationRun): Promise<AdapterDecision> {
    return this.verdict(await this.results.findByRun(run.id));
  }

  /** One read for the batch. */
  async decideMany(runs: OperationRun[]): Promise<Map<string, AdapterDecision>> {
    const results = await this.results.findByRuns(runs.map((r) => r.id));
    return new Map(runs.map((run) => [run.id, this.verdict(results.get(run.id) ?? null)]));
  }

  private verdict(result: CompareResult | null): AdapterDecision {
    if (result?.status === 'complete') {
      const pairs = result.totalPairs ?? 0;
      return {
        decision: 'succeeded',
        reason: 'compare_complete',
        message: `Reconciled: the compare was complete (${result.findingsCount} finding${result.findingsCount === 1 ? '' : 's'}) although the run was not closed.`,
        related: compareResultRef(result),
        summaryCounts: { total: pairs, processed: pairs, findings: result.findingsCount },
      };
    }
    if (!result) {
      return { decision: 'failed', reason: 'incomplete_compare', message: 'Reconciled: the worker stopped before the compare recorded anything.' };
    }
    return {
      decision: 'failed',
      reason: 'incomplete_compare',
      message: 'Reconciled: the worker stopped before the compare was complete; its partial findings are marked unusable.',
      apply: () => this.results.markUnusable(result.id),
    };
  }
}
