import { at, buildDefinition, buildRun, T0 } from '../../../../test/support/run-builder';
import { OperationRun } from '../../operations/core/operation-run';
import { notificationForCompletedRun, runLink } from './notification-rules';

const compare = buildDefinition({ type: 'baseline.compare', label: 'Baseline compare', progress_mode: 'phased' });
const facts = { definition: compare, environmentName: 'Fabrikam', now: at(120) };
const completed = (overrides: Partial<OperationRun> = {}) =>
  buildRun({ type: 'baseline.compare', status: 'completed', outcome: 'failed', startedAt: at(1), completedAt: at(60), ...overrides });

describe('notificationForCompletedRun', () => {
  it('notifies the initiator of a failed run in the presenter wording, never the raw error text', () => {
    const run = completed({
      context: {
        failures: [{ code: 'provider_error', message: 'Graph said 500' }],
        diagnostics: { last_error: { message: 'ECONNRESET at socket.ts:12' } },
      },
    });
    const draft = notificationForCompletedRun(run, facts);
    expect(draft).toEqual({
      userId: run.initiatorUserId,
      runId: run.id,
      workspaceId: run.workspaceId,
      environmentId: run.environmentId,
      title: 'Baseline compare on Fabrikam failed.',
      body: 'Failed.',
      tone: 'danger',
    });
    expect(JSON.stringify(draft)).not.toMatch(/Graph said|ECONNRESET/);
  });

  it.each([
    ['succeeded', 'Baseline compare on Fabrikam succeeded.', 'Completed successfully.', 'success'],
    ['partially_succeeded', 'Baseline compare on Fabrikam partially succeeded.', 'Completed with partial success.', 'warning'],
    ['blocked', 'Baseline compare on Fabrikam blocked.', 'Blocked.', 'warning'],
    ['cancelled', 'Baseline compare on Fabrikam cancelled.', 'Cancelled.', 'neutral'],
  ] as const)('words a %s run from the outcome badge and headline', (outcome, title, body, tone) => {
    expect(notificationForCompletedRun(completed({ outcome }), facts)).toMatchObject({ title, body, tone });
  });

  it('a run cancelled by someone else tells its initiator so; cancelling one\'s own run notifies nobody', () => {
    const other = '00000000-0000-4000-8000-0000000000c9';
    const byOther = completed({ outcome: 'cancelled', context: { cancellation: { requested_by: other, requested_at: at(30).toISOString() } } });
    expect(notificationForCompletedRun(byOther, facts)).toMatchObject({
      userId: byOther.initiatorUserId,
      title: 'Baseline compare on Fabrikam cancelled.',
      body: 'Cancelled. Another member of the workspace cancelled it.',
    });
    const bySelf = completed({
      outcome: 'cancelled',
      context: { cancellation: { requested_by: byOther.initiatorUserId, requested_at: at(30).toISOString() } },
    });
    expect(notificationForCompletedRun(bySelf, facts)).toBeNull();
  });

  it('uses the reconciliation headline for a reconciled run', () => {
    const run = completed({
      context: {
        reconciliation: {
          version: 1,
          reason: 'worker_lost',
          source: 'scheduled_reconciler',
          decision: 'failed',
          reconciled_at: at(60).toISOString(),
          previous_status: 'running',
          previous_outcome: 'pending',
        },
      },
    });
    expect(notificationForCompletedRun(run, facts)).toMatchObject({
      title: 'Baseline compare on Fabrikam failed.',
      body: 'Reconciled: the worker stopped reporting; no result was recorded',
    });
  });

  it.each(['queued', 'running'] as const)('notifies nobody while the run is %s', (status) => {
    expect(notificationForCompletedRun(buildRun({ status, outcome: 'pending' }), facts)).toBeNull();
  });

  it('notifies nobody for a completed run that still claims a pending outcome', () => {
    expect(notificationForCompletedRun(completed({ outcome: 'pending' }), facts)).toBeNull();
  });

  it('notifies nobody for a system run (no initiator)', () => {
    expect(notificationForCompletedRun(completed({ initiatorUserId: null }), facts)).toBeNull();
  });

  it('goes to the initiator only: exactly one recipient, the initiator', () => {
    const run = completed({ initiatorUserId: '00000000-0000-4000-8000-0000000000b9' });
    expect(notificationForCompletedRun(run, facts)?.userId).toBe('00000000-0000-4000-8000-0000000000b9');
  });

  it('names no environment for a workspace-level run and falls back to the raw type when the catalog lost it', () => {
    const run = completed({ environmentId: null, outcome: 'succeeded' });
    expect(notificationForCompletedRun(run, { definition: null, environmentName: null, now: T0 })).toMatchObject({
      title: 'baseline.compare succeeded.',
      environmentId: null,
    });
  });

  it('links to the canonical run page', () => {
    expect(runLink('00000000-0000-4000-8000-000000000001')).toBe('/operations/00000000-0000-4000-8000-000000000001');
  });
});
