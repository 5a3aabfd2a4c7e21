import { at, buildRun, T0 } from '../../../../test/support/run-builder';
import { ReconciliationRecord } from './operation-run';
import { buildReconciliationRecord, mergeReconciliation } from './reconciliation-record';
import { completeRun } from './run-transitions';

const MESSAGE = 'Reconciled: the worker stopped reporting; no result was recorded';
const NOW = at(600);

describe('buildReconciliationRecord', () => {
  it('builds the canonical version-1 record from the run it closes, without optional fields when absent', () => {
    const run = buildRun({ status: 'running', outcome: 'pending', startedAt: T0 });
    const record = buildReconciliationRecord(
      run,
      { reason: 'stale_running', source: 'scheduled_reconciler', decision: 'failed', message: MESSAGE },
      NOW,
    );
    expect(record).toStrictEqual({
      version: 1,
      reason: 'stale_running',
      source: 'scheduled_reconciler',
      decision: 'failed',
      reconciled_at: '2025-01-15T10:10:00.000Z',
      previous_status: 'running',
      previous_outcome: 'pending',
      message: MESSAGE,
    });
    expect(Object.keys(record)).not.toContain('adapter');
    expect(Object.keys(record)).not.toContain('related');
  });

  it('takes previous_status and previous_outcome from the run, whatever they are', () => {
    const queued = buildReconciliationRecord(
      buildRun({ status: 'queued', outcome: 'pending' }),
      { reason: 'stale_queued', source: 'scheduled_reconciler', decision: 'failed', message: 'm' },
      NOW,
    );
    expect(queued).toMatchObject({ previous_status: 'queued', previous_outcome: 'pending' });
    const odd = buildReconciliationRecord(
      { status: 'completed', outcome: 'cancelled' },
      { reason: 'r', source: 'failed_job_bridge', decision: 'failed', message: 'm' },
      NOW,
    );
    expect(odd).toMatchObject({ previous_status: 'completed', previous_outcome: 'cancelled', source: 'failed_job_bridge' });
  });

  it('includes the adapter and related reference when given', () => {
    const related = { type: 'baseline_snapshot', id: '00000000-0000-4000-8000-00000000c0de' };
    const record = buildReconciliationRecord(
      buildRun({ status: 'running' }),
      {
        reason: 'snapshot_complete',
        source: 'adapter',
        adapter: 'baseline.capture',
        decision: 'succeeded',
        message: 'The snapshot was stored.',
        related,
      },
      NOW,
    );
    expect(record).toStrictEqual({
      version: 1,
      reason: 'snapshot_complete',
      source: 'adapter',
      adapter: 'baseline.capture',
      decision: 'succeeded',
      reconciled_at: NOW.toISOString(),
      previous_status: 'running',
      previous_outcome: 'pending',
      related,
      message: 'The snapshot was stored.',
    });
  });

  it('records the time it is given, not the run’s own timestamps', () => {
    const run = buildRun({ status: 'running', createdAt: at(-100), updatedAt: at(-50) });
    const record = buildReconciliationRecord(
      run,
      { reason: 'r', source: 'scheduled_reconciler', decision: 'failed', message: 'm' },
      at(42),
    );
    expect(record.reconciled_at).toBe(at(42).toISOString());
  });
});

describe('mergeReconciliation', () => {
  const existing: ReconciliationRecord = {
    version: 1,
    reason: 'worker_lost',
    source: 'failed_job_bridge',
    decision: 'failed',
    reconciled_at: at(100).toISOString(),
    previous_status: 'queued',
    previous_outcome: 'pending',
    message: MESSAGE,
  };
  const incoming: ReconciliationRecord = {
    version: 1,
    reason: 'stale_running',
    source: 'scheduled_reconciler',
    decision: 'failed',
    reconciled_at: at(900).toISOString(),
    previous_status: 'running',
    previous_outcome: 'pending',
    related: { type: 'x', id: 'y' },
    message: 'other',
  };

  it('uses the incoming record when there is none yet', () => {
    expect(mergeReconciliation(undefined, incoming)).toBe(incoming);
  });

  it('keeps the existing record whole: previous status, time and source are never overwritten', () => {
    const snapshot = JSON.parse(JSON.stringify(existing)) as ReconciliationRecord;
    const merged = mergeReconciliation(existing, incoming);
    expect(merged).toBe(existing);
    expect(merged).toStrictEqual(snapshot);
    expect(merged?.previous_status).toBe('queued');
    expect(merged?.reconciled_at).toBe(at(100).toISOString());
    expect(merged).not.toHaveProperty('related');
  });

  it('is idempotent: merging again and again yields the same single record', () => {
    let merged = mergeReconciliation(undefined, existing);
    for (let i = 0; i < 3; i++) merged = mergeReconciliation(merged, { ...incoming, reconciled_at: at(1000 + i).toISOString() });
    expect(merged).toStrictEqual(existing);
    expect(Object.keys(merged!).sort()).toEqual(Object.keys(existing).sort());
  });

  it('keeps an existing record when nothing new comes in, and yields nothing from nothing', () => {
    expect(mergeReconciliation(existing, undefined)).toBe(existing);
    expect(mergeReconciliation(undefined, undefined)).toBeUndefined();
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['a string', 'reconciled'],
    ['a number', 1],
  ])('a stray non-object (%s) in the column does not count as a record', (_label, junk) => {
    expect(mergeReconciliation(junk as ReconciliationRecord, incoming)).toBe(incoming);
  });

  it('completing an already-reconciled run neither rewrites nor duplicates the record', () => {
    const run = buildRun({ status: 'running', attempts: 1, startedAt: T0, context: { reconciliation: existing } });
    const { change } = completeRun(run, { outcome: 'failed', reconciliation: incoming }, NOW);
    // The existing record stays as stored: the change does not touch the key at all.
    expect(change.contextMerge).not.toHaveProperty('reconciliation');

    const fresh = buildRun({ status: 'running', attempts: 1, startedAt: T0 });
    const first = completeRun(fresh, { outcome: 'failed', reconciliation: incoming }, NOW);
    expect(first.change.contextMerge?.reconciliation).toStrictEqual(incoming);
  });
});

describe('mergeReconciliation with a malformed stored record', () => {
  it('treats a stray array as no record, so the real record is written', () => {
    const incoming = buildReconciliationRecord(
      { status: 'running', outcome: 'pending' },
      { reason: 'stale_running', source: 'scheduled_reconciler', decision: 'failed', message: 'M.' },
      new Date('2026-01-01T00:00:00Z'),
    );
    expect(mergeReconciliation([] as never, incoming)).toBe(incoming);
  });
});
