import { Inject, Injectable } from '@nestjs/common';
import { OperationRun } from '../../../operations/core/operation-run';
import { RegisterReconciliationAdapter } from '../../../reconciliation/adapters/register-reconciliation-adapter.decorator';
import { AdapterDecision, ReconciliationAdapter } from '../../../reconciliation/core/ports/reconciliation-adapter.port';
import { BASELINE_COMPARE_REPOSITORY, BaselineCompareRepository, CompareResult } from '../../core/ports/baseline-compare.repository.port';

/** A stale compare: only a complete result counts; partial findings are marked unusable. */
@Injectable()
@RegisterReconciliationAdapter()
export class BaselineCompareReconciliationAdapter implements ReconciliationAdapter {
  readonly type = 'baseline.compare';
  readonly name = 'baseline_compare';

  constructor(@Inject(BASELINE_COMPARE_REPOSITORY) private readonly results: BaselineCompareRepository) {}

  async decide(run: OperationRun): Promise<AdapterDecision> {
    return this.verdict(await this.results.findByRun(run.id));
  }

  /** One read for the batch; only a partial result (rare) costs a write of its own. */
  async decideMany(runs: OperationRun[]): Promise<Map<string, AdapterDecision>> {
    const results = await this.results.findByRuns(runs.map((r) => r.id));
    const verdicts = new Map<string, AdapterDecision>();
    for (const run of runs) verdicts.set(run.id, await this.verdict(results.get(run.id) ?? null));
    return verdicts;
  }

  private async verdict(result: CompareResult | null): Promise<AdapterDecision> {
    if (result?.status === 'complete') {
      const pairs = result.totalPairs ?? 0;
      return {
        decision: 'succeeded',
        reason: 'compare_complete',
        message: `Reconciled: the compare was complete (${result.findingsCount} finding${result.findingsCount === 1 ? '' : 's'}) although the run was not closed.`,
        related: { type: 'baseline_compare_result', id: result.id },
        summaryCounts: { total: pairs, processed: pairs, findings: result.findingsCount },
      };
    }
    if (result) await this.results.markUnusable(result.id);
    return {
      decision: 'failed',
      reason: 'incomplete_compare',
      message: result
        ? 'Reconciled: the worker stopped before the compare was complete; its partial findings are marked unusable.'
        : 'Reconciled: the worker stopped before the compare recorded anything.',
    };
  }
}
