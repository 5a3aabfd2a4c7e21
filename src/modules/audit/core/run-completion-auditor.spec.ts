import { buildRun } from '../../../../test/support/run-builder';
import { OPERATION_COMPLETED } from '../../../shared/core/audit-trail/audit-actions';
import { RunCompletionAuditor } from './run-completion-auditor';

describe('RunCompletionAuditor', () => {
  it('describes a completed run with every column of the audit log filled', () => {
    const run = buildRun({ status: 'completed', outcome: 'succeeded', initiatorUserId: null, environmentId: null });
    expect(new RunCompletionAuditor().eventFor(run)).toEqual({
      actorUserId: null,
      actorLabel: 'system',
      workspaceId: run.workspaceId,
      environmentId: null,
      action: OPERATION_COMPLETED,
      subjectType: 'operation_run',
      subjectId: run.id,
      metadata: { type: run.type, outcome: 'succeeded', failure_codes: [] },
    });
  });

  it('scrubs secret-named keys from the metadata, as every audit write does', () => {
    const run = buildRun({
      status: 'completed',
      outcome: 'failed',
      context: { reconciliation: { version: 1, reason: 'stale_running', source: 'scheduled_reconciler', decision: 'failed',
        reconciled_at: '2026-01-01T00:00:00Z', previous_status: 'running', previous_outcome: 'pending',
        adapter: { token: 'odk_secret', name: 'x' } as unknown as string } },
    });
    const event = new RunCompletionAuditor().eventFor(run);
    expect(JSON.stringify(event)).not.toContain('odk_secret');
    expect(event.metadata).toMatchObject({ reason: 'stale_running', adapter: { name: 'x' } });
  });
});
