import { buildRun, T0 } from '../../../../test/support/run-builder';
import { ReconciliationRecord } from '../../operations/core/operation-run';
import { OPERATION_COMPLETED, OPERATION_RECONCILED } from '../../../shared/core/audit-trail/audit-actions';
import { auditEventForCompletedRun } from './run-audit';

const completedAt = new Date(T0.getTime() + 60_000);

const reconciliation: ReconciliationRecord = {
  version: 1,
  reason: 'worker_lost',
  source: 'failed_job_bridge',
  decision: 'failed',
  reconciled_at: completedAt.toISOString(),
  previous_status: 'running',
  previous_outcome: 'pending',
  message: 'Reconciled: the worker stopped reporting; no result was recorded',
};

describe('auditEventForCompletedRun', () => {
  it('records a completed run as operation.completed by its initiator, with outcome and failure codes', () => {
    const run = buildRun({
      status: 'completed',
      outcome: 'failed',
      completedAt,
      context: {
        failures: [
          { code: 'job_failed', message: 'The run failed after 3 attempts.' },
          { code: 'job_timeout', message: 'Stopped.' },
        ],
      },
    });
    expect(auditEventForCompletedRun(run)).toEqual({
      actorUserId: run.initiatorUserId,
      actorLabel: 'user',
      workspaceId: run.workspaceId,
      environmentId: run.environmentId,
      action: OPERATION_COMPLETED,
      subjectType: 'operation_run',
      subjectId: run.id,
      metadata: { type: 'inventory.sync', outcome: 'failed', failure_codes: ['job_failed', 'job_timeout'] },
    });
  });

  it('attributes a run without initiator to the system', () => {
    const event = auditEventForCompletedRun(
      buildRun({ status: 'completed', outcome: 'succeeded', initiatorUserId: null }),
    );
    expect(event).toMatchObject({ actorUserId: null, actorLabel: 'system', action: OPERATION_COMPLETED });
    expect(event.metadata).toEqual({ type: 'inventory.sync', outcome: 'succeeded', failure_codes: [] });
  });

  it('records a reconciled run as operation.reconciled with how it was closed', () => {
    const run = buildRun({
      status: 'completed',
      outcome: 'failed',
      initiatorUserId: null,
      context: { reconciliation, failures: [{ code: 'worker_lost', message: 'The worker stopped.' }] },
    });
    expect(auditEventForCompletedRun(run)).toMatchObject({
      actorUserId: null,
      actorLabel: 'system',
      action: OPERATION_RECONCILED,
      subjectType: 'operation_run',
      subjectId: run.id,
      metadata: {
        type: 'inventory.sync',
        outcome: 'failed',
        reason: 'worker_lost',
        source: 'failed_job_bridge',
        adapter: null,
        previous_status: 'running',
      },
    });
  });

  it('names the reconciliation adapter when one decided', () => {
    const run = buildRun({
      status: 'completed',
      outcome: 'succeeded',
      context: { reconciliation: { ...reconciliation, source: 'adapter', adapter: 'inventory.sync', reason: 'stale_running' } },
    });
    expect(auditEventForCompletedRun(run).metadata).toMatchObject({ source: 'adapter', adapter: 'inventory.sync', reason: 'stale_running' });
  });

  it('keeps workspace-level runs workspace-level', () => {
    const event = auditEventForCompletedRun(buildRun({ status: 'completed', outcome: 'succeeded', environmentId: null }));
    expect(event.environmentId).toBeNull();
    expect(event.workspaceId).toBe(buildRun().workspaceId);
  });

  it('never copies diagnostics (raw errors) or inputs into the event', () => {
    const run = buildRun({
      status: 'completed',
      outcome: 'failed',
      context: {
        inputs: { api_key: 'k-123' },
        failures: [{ code: 'job_failed', message: 'The run failed after 1 attempt.' }],
        diagnostics: { final_error: { class: 'Error', message: 'connect ECONNREFUSED 10.0.0.7:443 secret detail' } },
      },
    });
    const serialized = JSON.stringify(auditEventForCompletedRun(run));
    expect(serialized).not.toMatch(/ECONNREFUSED|secret detail|k-123|diagnostics|final_error/);
    const reconciled = JSON.stringify(
      auditEventForCompletedRun({ ...run, context: { ...run.context, reconciliation } }),
    );
    expect(reconciled).not.toMatch(/ECONNREFUSED|secret detail|k-123|diagnostics|final_error/);
  });
});
