import { Injectable, Module } from '@nestjs/common';
import { OperationRun } from '../../src/modules/operations/core/operation-run';
import { RegisterReconciliationAdapter } from '../../src/modules/reconciliation/adapters/register-reconciliation-adapter.decorator';
import { AdapterDecision, ReconciliationAdapter } from '../../src/modules/reconciliation/core/ports/reconciliation-adapter.port';

/** A test-only adapter whose decision per run the test chooses (default: failed). */
export const adapterDecisions = new Map<string, AdapterDecision>();

@Injectable()
@RegisterReconciliationAdapter()
export class ScriptedReconciliationAdapter implements ReconciliationAdapter {
  readonly type = 'test.adapter_managed';
  readonly name = 'scripted';

  async decide(run: OperationRun): Promise<AdapterDecision> {
    return adapterDecisions.get(run.id) ?? { decision: 'failed', reason: 'scripted_failure', message: 'Scripted failure.' };
  }
}

@Module({ providers: [ScriptedReconciliationAdapter] })
export class TestReconciliationModule {}
