import { thrown } from '../../../../test/support/domain-errors';
import { at, buildRun, T0 } from '../../../../test/support/run-builder';
import { AttemptRecord, OperationRun, ReconciliationRecord, RunOutcome, TerminalOutcome } from './operation-run';
import { beginAttempt, beginFirstAttempt, completeRun, failAttempt } from './run-transitions';

const iso = (seconds: number) => at(seconds).toISOString();

function running(overrides: Partial<OperationRun> = {}): OperationRun {
  return buildRun({
    status: 'running',
    attempts: 1,
    startedAt: T0,
    lastHeartbeatAt: T0,
    context: { attempts: [{ n: 1, started_at: T0.toISOString(), ended_at: null, error_code: null }] },
    ...overrides,
  });
}

describe('beginAttempt', () => {
  it('first attempt of a queued run: running, started now, attempt 1 opened', () => {
    const now = at(5);
    const { expectedStatus, change } = beginAttempt(buildRun(), now);
    expect(expectedStatus).toBe('queued');
    expect(change).toEqual({
      status: 'running',
      startedAt: now,
      lastHeartbeatAt: now,
      attempts: 1,
      contextMerge: { attempts: [{ n: 1, started_at: iso(5), ended_at: null, error_code: null }] },
    });
  });

  it('a retry keeps the original startedAt, counts the attempt and keeps the closed history', () => {
    const history: AttemptRecord[] = [{ n: 1, started_at: iso(0), ended_at: iso(10), error_code: 'job_failed' }];
    const run = running({ context: { attempts: history } });
    const { expectedStatus, change } = beginAttempt(run, at(30));
    expect(expectedStatus).toBe('running');
    expect(change.status).toBe('running');
    expect(change.startedAt).toEqual(T0);
    expect(change.lastHeartbeatAt).toEqual(at(30));
    expect(change.attempts).toBe(2);
    expect(change.contextMerge?.attempts).toEqual([
      { n: 1, started_at: iso(0), ended_at: iso(10), error_code: 'job_failed' },
      { n: 2, started_at: iso(30), ended_at: null, error_code: null },
    ]);
  });

  it('closes a dangling open attempt as attempt_abandoned before opening the next', () => {
    const run = running(); // attempt 1 never closed: its worker died without failing the attempt
    const { change } = beginAttempt(run, at(120));
    expect(change.attempts).toBe(2);
    expect(change.contextMerge?.attempts).toEqual([
      { n: 1, started_at: iso(0), ended_at: iso(120), error_code: 'attempt_abandoned' },
      { n: 2, started_at: iso(120), ended_at: null, error_code: null },
    ]);
  });

  it('numbers the attempt from run.attempts, not from the length of the history', () => {
    const run = running({ attempts: 4, context: {} });
    const { change } = beginAttempt(run, at(1));
    expect(change.attempts).toBe(5);
    expect(change.contextMerge?.attempts).toEqual([{ n: 5, started_at: iso(1), ended_at: null, error_code: null }]);
  });

  it('refuses a completed run', () => {
    const run = buildRun({ status: 'completed', outcome: 'succeeded', completedAt: at(1) });
    const error = thrown(() => beginAttempt(run, at(2)));
    expect(error.code).toBe('illegal_run_transition');
    expect(error.kind).toBe('conflict');
  });

  it('does not mutate the run it is given', () => {
    const run = running();
    const before = structuredClone(run);
    beginAttempt(run, at(60));
    expect(run).toEqual(before);
  });
});

describe('failAttempt', () => {
  it('closes the open attempt with the error code and leaves status, attempts and counts alone', () => {
    const { expectedStatus, change } = failAttempt(running(), 'job_timeout', at(600));
    expect(expectedStatus).toBe('running');
    expect(change).toEqual({
      contextMerge: { attempts: [{ n: 1, started_at: iso(0), ended_at: iso(600), error_code: 'job_timeout' }] },
    });
  });

  it('leaves an already-closed last attempt untouched', () => {
    const attempts: AttemptRecord[] = [{ n: 1, started_at: iso(0), ended_at: iso(3), error_code: 'job_failed' }];
    const { change } = failAttempt(running({ context: { attempts } }), 'job_timeout', at(9));
    expect(change.contextMerge?.attempts).toEqual(attempts);
  });

  it('closes the open last attempt and keeps the earlier closed ones as they were', () => {
    const attempts: AttemptRecord[] = [
      { n: 1, started_at: iso(0), ended_at: iso(3), error_code: 'job_failed' },
      { n: 2, started_at: iso(10), ended_at: null, error_code: null },
    ];
    const { change } = failAttempt(running({ attempts: 2, context: { attempts } }), 'job_failed', at(20));
    expect(change.contextMerge?.attempts).toEqual([
      attempts[0],
      { n: 2, started_at: iso(10), ended_at: iso(20), error_code: 'job_failed' },
    ]);
  });

  it('works on a running run without attempt history', () => {
    const { change } = failAttempt(running({ context: {} }), 'job_failed', at(1));
    expect(change.contextMerge).toEqual({ attempts: [] });
  });

  it.each(['queued', 'completed'] as const)('refuses a %s run', (status) => {
    const run = buildRun({ status, outcome: status === 'completed' ? 'failed' : 'pending' });
    const error = thrown(() => failAttempt(run, 'job_failed', at(1)));
    expect(error.code).toBe('illegal_run_transition');
    expect(error.kind).toBe('conflict');
  });
});

describe('completeRun', () => {
  const terminal: TerminalOutcome[] = ['succeeded', 'partially_succeeded', 'failed', 'blocked', 'cancelled'];

  it.each(terminal)('completes a running run as %s at now', (outcome) => {
    const { expectedStatus, change } = completeRun(running(), { outcome }, at(42));
    expect(expectedStatus).toBe('running');
    expect(change.status).toBe('completed');
    expect(change.outcome).toBe(outcome);
    expect(change.completedAt).toEqual(at(42));
  });

  it('asks the completion to supersede earlier follow-up runs of the same work only when it succeeded', () => {
    expect(completeRun(running(), { outcome: 'succeeded' }, at(42)).change.supersedesFollowUps).toBe(true);
    for (const outcome of terminal.filter((o) => o !== 'succeeded')) {
      expect(completeRun(running(), { outcome }, at(42)).change.supersedesFollowUps).toBeUndefined();
    }
  });

  it("rejects the 'pending' outcome", () => {
    const error = thrown(() => completeRun(running(), { outcome: 'pending' as RunOutcome as TerminalOutcome }, at(1)));
    expect(error.code).toBe('illegal_run_transition');
    expect(error.kind).toBe('conflict');
  });

  it('rejects a run that is already completed', () => {
    const run = buildRun({ status: 'completed', outcome: 'succeeded', completedAt: at(1) });
    const error = thrown(() => completeRun(run, { outcome: 'failed' }, at(2)));
    expect(error.code).toBe('illegal_run_transition');
    expect(error.details).toEqual({ from: 'completed', to: 'completed' });
  });

  it('completes a queued run directly (dispatch failure) without inventing an attempt', () => {
    const { expectedStatus, change } = completeRun(buildRun(), { outcome: 'failed', attemptErrorCode: 'x' }, at(1));
    expect(expectedStatus).toBe('queued');
    expect(change.contextMerge).toEqual({});
    expect(change.contextMerge).not.toHaveProperty('attempts');
  });

  it('closes the open attempt with attemptErrorCode', () => {
    const { change } = completeRun(running(), { outcome: 'failed', attemptErrorCode: 'job_timeout' }, at(600));
    expect(change.contextMerge?.attempts).toEqual([
      { n: 1, started_at: iso(0), ended_at: iso(600), error_code: 'job_timeout' },
    ]);
  });

  it('closes the open attempt with a null code when none is given', () => {
    const { change } = completeRun(running(), { outcome: 'succeeded' }, at(50));
    expect(change.contextMerge?.attempts).toEqual([{ n: 1, started_at: iso(0), ended_at: iso(50), error_code: null }]);
  });

  it('merges the result counts over the existing counts', () => {
    const run = running({ summaryCounts: { total: 10, processed: 4, skipped: 1 } });
    const { change } = completeRun(run, { outcome: 'succeeded', summaryCounts: { processed: 10, succeeded: 9 } }, at(5));
    expect(change.summaryCounts).toEqual({ total: 10, processed: 10, skipped: 1, succeeded: 9 });
  });

  it('keeps the existing counts when the result has none', () => {
    const run = running({ summaryCounts: { total: 3, processed: 3 } });
    expect(completeRun(run, { outcome: 'succeeded' }, at(5)).change.summaryCounts).toEqual({ total: 3, processed: 3 });
  });

  it.each<[string, Record<string, unknown>]>([
    ['an unknown key', { widgets: 1 }],
    ['a string value', { processed: '10' }],
    ['a negative value', { failed: -1 }],
    ['NaN', { total: Number.NaN }],
    ['Infinity', { total: Number.POSITIVE_INFINITY }],
    ['null', { total: null }],
  ])('rejects counts with %s', (_label, summaryCounts) => {
    const error = thrown(() => completeRun(running(), { outcome: 'succeeded', summaryCounts }, at(1)));
    expect(error.code).toBe('invalid_summary_counts');
  });

  it('appends failures to the existing ones and sets related and reconciliation', () => {
    const reconciliation: ReconciliationRecord = {
      version: 1,
      reason: 'worker_lost',
      source: 'failed_job_bridge',
      decision: 'failed',
      reconciled_at: iso(9),
      previous_status: 'running',
      previous_outcome: 'pending',
    };
    const run = running({
      context: {
        attempts: [{ n: 1, started_at: iso(0), ended_at: null, error_code: null }],
        failures: [{ code: 'earlier', message: 'Earlier problem.' }],
      },
    });
    const { change } = completeRun(
      run,
      {
        outcome: 'failed',
        failures: [{ code: 'worker_lost', message: 'The worker stopped.' }],
        related: { type: 'baseline_snapshot', id: 'snap-1' },
        reconciliation,
      },
      at(9),
    );
    expect(change.contextMerge?.failures).toEqual([
      { code: 'earlier', message: 'Earlier problem.' },
      { code: 'worker_lost', message: 'The worker stopped.' },
    ]);
    expect(change.contextMerge?.related).toEqual({ type: 'baseline_snapshot', id: 'snap-1' });
    expect(change.contextMerge?.reconciliation).toEqual(reconciliation);
  });

  it('hands diagnostics to the store as a key-by-key merge, never a replacement of all diagnostics', () => {
    const run = running({
      context: { diagnostics: { last_error: { class: 'Error', message: 'boom' }, lost_transitions: [{ a: 1 }] } },
    });
    const { change } = completeRun(run, { outcome: 'failed', diagnostics: { final_error: { class: 'X' } } }, at(1));
    expect(change.contextMerge?.diagnostics).toBeUndefined();
    expect(change.diagnosticsMerge).toEqual({ final_error: { class: 'X' } });
  });

  it('leaves context keys it has nothing for out of the merge', () => {
    const run = running({ context: { failures: [{ code: 'old', message: 'Old.' }], diagnostics: { a: 1 } } });
    const { change } = completeRun(run, { outcome: 'succeeded', failures: [] }, at(1));
    expect(Object.keys(change.contextMerge ?? {})).toEqual([]);
  });

  it('does not mutate the run it is given', () => {
    const run = running({ summaryCounts: { total: 1 }, context: { failures: [], diagnostics: { a: 1 } } });
    const before = structuredClone(run);
    completeRun(run, { outcome: 'failed', summaryCounts: { total: 2 }, failures: [{ code: 'c', message: 'm' }] }, at(1));
    expect(run).toEqual(before);
  });
});

describe('beginFirstAttempt', () => {
  it('is exactly beginAttempt for a queued run that never started', () => {
    const run = buildRun({ status: 'queued', outcome: 'pending', attempts: 0, startedAt: null, lastHeartbeatAt: null, context: { inputs: { full: true } } });
    expect(beginFirstAttempt(at(7))).toEqual(beginAttempt(run, at(7)));
  });

  it('differs from beginAttempt once a run has an attempt: that case must read the run', () => {
    const retried = buildRun({
      status: 'running',
      attempts: 1,
      startedAt: at(1),
      context: { attempts: [{ n: 1, started_at: at(1).toISOString(), ended_at: null, error_code: null }] },
    });
    expect(beginFirstAttempt(at(7))).not.toEqual(beginAttempt(retried, at(7)));
  });
});
