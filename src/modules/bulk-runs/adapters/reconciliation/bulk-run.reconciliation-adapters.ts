import { Inject, Injectable } from '@nestjs/common';
import { OperationRun } from '../../../operations/core/operation-run';
import { RegisterReconciliationAdapter } from '../../../reconciliation/adapters/register-reconciliation-adapter.decorator';
import { AdapterDecision, ReconciliationAdapter } from '../../../reconciliation/core/ports/reconciliation-adapter.port';
import { RUN_CHILDREN_ARTIFACT } from '../../application/act-on-each';
import { BULK_CANCEL_TYPE, BULK_RETRY_TYPE, FAN_OUT_TYPE } from '../../core/bulk-run-types';
import { RUN_CHILDREN, RunChildren } from '../../core/ports/run-children.port';

/**
 * A stale bulk or fan-out run whose worker is gone: the children it recorded prove what it did
 * (those runs stand as they are, each with its own truth); none prove it did nothing.
 */
abstract class BulkRunReconciliation implements ReconciliationAdapter {
  abstract readonly type: string;
  abstract readonly name: string;

  constructor(@Inject(RUN_CHILDREN) private readonly children: RunChildren) {}

  async decide(run: OperationRun): Promise<AdapterDecision> {
    return verdict(run, (await this.children.countByParents([run.id])).get(run.id) ?? 0);
  }

  async decideMany(runs: OperationRun[]): Promise<Map<string, AdapterDecision>> {
    const counts = await this.children.countByParents(runs.map((r) => r.id));
    return new Map(runs.map((r) => [r.id, verdict(r, counts.get(r.id) ?? 0)]));
  }
}

function verdict(run: OperationRun, touched: number): AdapterDecision {
  if (touched > 0) {
    return {
      decision: 'partially_succeeded',
      reason: 'bulk_run_incomplete',
      message: `Reconciled: the worker stopped after ${touched} run${touched === 1 ? ' was' : 's were'} acted on; the rest were not touched.`,
      summaryCounts: { processed: touched },
      related: { type: RUN_CHILDREN_ARTIFACT, id: run.id },
    };
  }
  return { decision: 'failed', reason: 'bulk_run_nothing_done', message: 'Reconciled: the worker stopped before acting on any run.' };
}

@Injectable()
@RegisterReconciliationAdapter()
export class BulkCancelReconciliationAdapter extends BulkRunReconciliation {
  readonly type = BULK_CANCEL_TYPE;
  readonly name = 'bulk-cancel';
}

@Injectable()
@RegisterReconciliationAdapter()
export class BulkRetryReconciliationAdapter extends BulkRunReconciliation {
  readonly type = BULK_RETRY_TYPE;
  readonly name = 'bulk-retry';
}

@Injectable()
@RegisterReconciliationAdapter()
export class FanOutReconciliationAdapter extends BulkRunReconciliation {
  readonly type = FAN_OUT_TYPE;
  readonly name = 'fan-out';
}
