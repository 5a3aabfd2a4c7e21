import { at, buildDefinition, buildReconciliation, buildRun, T0 } from '../../../../test/support/run-builder';
import { deriveFreshness, hasReconciliation, isLikelyStale, STALE_ACTIVE_GUIDANCE, staleActiveCopy } from './freshness';
import { OperationRun, ReconciliationRecord, RunOutcome } from './operation-run';

const policy = buildDefinition().policy; // queued 300s, running 90s, expected 60s

const reconciliation = buildReconciliation();

function running(overrides: Partial<OperationRun> = {}): OperationRun {
  return buildRun({ status: 'running', startedAt: T0, lastHeartbeatAt: T0, ...overrides });
}

function completed(outcome: RunOutcome, withReconciliation: boolean): OperationRun {
  return buildRun({
    status: 'completed',
    outcome,
    startedAt: T0,
    completedAt: at(30),
    context: withReconciliation ? { reconciliation } : {},
  });
}

describe('deriveFreshness', () => {
  describe('queued runs (measured from creation)', () => {
    it('is fresh inside the window', () => {
      expect(deriveFreshness(buildRun(), policy, at(10))).toBe('fresh');
    });

    it('is fresh exactly at the window', () => {
      expect(deriveFreshness(buildRun(), policy, at(300))).toBe('fresh');
    });

    it('is likely stale one millisecond past the window', () => {
      expect(deriveFreshness(buildRun(), policy, at(300.001))).toBe('likely_stale');
    });

    it('ignores heartbeat fields: a queued run is judged from created_at only', () => {
      const run = buildRun({ lastHeartbeatAt: at(900) });
      expect(deriveFreshness(run, policy, at(1000))).toBe('likely_stale');
    });

    it('never becomes past_expected while still queued', () => {
      expect(deriveFreshness(buildRun(), policy, at(200))).toBe('fresh');
    });

    it('is unknown when created_at is not a valid date', () => {
      const run = buildRun({ createdAt: new Date('not a date') });
      expect(deriveFreshness(run, policy, at(10_000))).toBe('unknown');
    });
  });

  describe('running runs (measured from the last heartbeat)', () => {
    it('is fresh with a recent heartbeat', () => {
      expect(deriveFreshness(running({ lastHeartbeatAt: at(20) }), policy, at(30))).toBe('fresh');
    });

    it('is fresh exactly at the running window', () => {
      const run = running({ startedAt: at(0), lastHeartbeatAt: at(0) });
      // expected_duration would already be exceeded, so raise it to isolate the stale boundary.
      const relaxed = { ...policy, expected_duration_s: 1000 };
      expect(deriveFreshness(run, relaxed, at(90))).toBe('fresh');
    });

    it('is likely stale just past the running window since the last heartbeat', () => {
      expect(deriveFreshness(running(), policy, at(90.001))).toBe('likely_stale');
    });

    it('measures from the heartbeat, not the start, when both exist', () => {
      const run = running({ startedAt: T0, lastHeartbeatAt: at(500) });
      // 520s after start but only 20s after the last heartbeat: late, not stale.
      expect(deriveFreshness(run, policy, at(520))).toBe('past_expected');
    });

    it('falls back to started_at when no heartbeat was ever recorded', () => {
      const run = running({ lastHeartbeatAt: null });
      expect(deriveFreshness(run, policy, at(91))).toBe('likely_stale');
      expect(deriveFreshness(run, policy, at(30))).toBe('fresh');
    });

    it('is past expected once beyond expected_duration_s while still beating', () => {
      const run = running({ lastHeartbeatAt: at(55) });
      expect(deriveFreshness(run, policy, at(60))).toBe('fresh');
      expect(deriveFreshness(run, policy, at(60.001))).toBe('past_expected');
    });

    it('stays fresh (not past expected) with a heartbeat but no started_at', () => {
      const run = running({ startedAt: null, lastHeartbeatAt: at(500) });
      expect(deriveFreshness(run, policy, at(510))).toBe('fresh');
    });

    it('prefers likely_stale over past_expected when both windows are exceeded', () => {
      expect(deriveFreshness(running(), policy, at(5000))).toBe('likely_stale');
    });

    it('is unknown with neither heartbeat nor start time', () => {
      const run = running({ startedAt: null, lastHeartbeatAt: null });
      expect(deriveFreshness(run, policy, at(10_000))).toBe('unknown');
    });

    it('is unknown when the reference timestamp is an invalid date', () => {
      const run = running({ startedAt: null, lastHeartbeatAt: new Date(NaN) });
      expect(deriveFreshness(run, policy, at(10_000))).toBe('unknown');
    });

    it('uses started_at when the heartbeat is invalid but the start is valid', () => {
      const run = running({ lastHeartbeatAt: new Date(NaN) });
      expect(deriveFreshness(run, policy, at(91))).toBe('likely_stale');
    });

    it('accepts ISO strings from loosely mapped rows', () => {
      const run = running({ lastHeartbeatAt: at(0).toISOString() as unknown as Date });
      expect(deriveFreshness(run, policy, at(91))).toBe('likely_stale');
    });
  });

  describe('without a lifecycle policy', () => {
    it('is unknown for queued and running runs, however old', () => {
      expect(deriveFreshness(buildRun(), null, at(1e6))).toBe('unknown');
      expect(deriveFreshness(running(), null, at(1e6))).toBe('unknown');
    });

    it('still reports terminal truth for completed runs', () => {
      expect(deriveFreshness(completed('succeeded', false), null, at(1e6))).toBe('terminal');
      expect(deriveFreshness(completed('failed', true), null, at(1e6))).toBe('reconciled_failed');
    });
  });

  it('is unknown when a window in the policy is not a number', () => {
    const broken = { ...policy, stale_running_after_s: Number.NaN };
    expect(deriveFreshness(running(), broken, at(1e6))).toBe('unknown');
  });

  it('is unknown when now itself is invalid', () => {
    expect(deriveFreshness(buildRun(), policy, new Date(NaN))).toBe('unknown');
  });

  describe('completed runs', () => {
    it.each<RunOutcome>(['failed', 'blocked'])('reconciled + %s is reconciled_failed', (outcome) => {
      expect(deriveFreshness(completed(outcome, true), policy, at(1e6))).toBe('reconciled_failed');
    });

    it.each<RunOutcome>(['succeeded', 'partially_succeeded', 'cancelled'])(
      'reconciled + %s is plain terminal',
      (outcome) => {
        expect(deriveFreshness(completed(outcome, true), policy, at(1e6))).toBe('terminal');
      },
    );

    it.each<RunOutcome>(['succeeded', 'partially_succeeded', 'failed', 'blocked', 'cancelled'])(
      'non-reconciled %s is terminal, never stale however old',
      (outcome) => {
        expect(deriveFreshness(completed(outcome, false), policy, at(1e6))).toBe('terminal');
      },
    );

    it('does not treat a null or array reconciliation value as reconciliation metadata', () => {
      for (const value of [null, [], 'yes']) {
        const run = buildRun({
          status: 'completed',
          outcome: 'failed',
          context: { reconciliation: value as unknown as ReconciliationRecord },
        });
        expect(deriveFreshness(run, policy, at(1))).toBe('terminal');
      }
    });
  });
});

describe('isLikelyStale', () => {
  it('is true only for likely_stale', () => {
    expect(isLikelyStale('likely_stale')).toBe(true);
    for (const f of ['fresh', 'past_expected', 'reconciled_failed', 'terminal', 'unknown'] as const) {
      expect(isLikelyStale(f)).toBe(false);
    }
  });
});

describe('hasReconciliation', () => {
  it('survives a null context from a malformed row', () => {
    expect(hasReconciliation(buildRun({ context: null as unknown as OperationRun['context'] }))).toBe(
      false,
    );
  });

  it('is true for an object reconciliation block', () => {
    expect(hasReconciliation(buildRun({ context: { reconciliation } }))).toBe(true);
  });
});

describe('staleActiveCopy', () => {
  it('gives every surface the same cautious line, whatever the status', () => {
    expect(staleActiveCopy('queued').headline).toBe(STALE_ACTIVE_GUIDANCE);
    expect(staleActiveCopy('running').headline).toBe(STALE_ACTIVE_GUIDANCE);
    expect(staleActiveCopy('running').banner).toBe('Likely stale operation');
  });

  it('explains the judgement by where the run stopped: never picked up, or silent', () => {
    expect(staleActiveCopy('queued').guidance).toBe(
      'No worker picked it up within the lifecycle window; the run has not been confirmed as failed.',
    );
    expect(staleActiveCopy('running').guidance).toBe(
      'No heartbeat within the lifecycle window; the run has not been confirmed as failed.',
    );
  });
});
