import { at, buildReconciliation, buildRun, T0 } from '../../../../test/support/run-builder';
import { Freshness } from './freshness';
import { OperationRun, RunOutcome, RunStatus } from './operation-run';
import { deriveProblemClass, isProblemClass, PROBLEM_CLASSES } from './problem-class';

const reconciliation = buildReconciliation();

function completed(outcome: RunOutcome, context: OperationRun['context'] = {}): OperationRun {
  return buildRun({ status: 'completed', outcome, startedAt: T0, completedAt: at(30), context });
}

describe('deriveProblemClass', () => {
  it('lists every class once, in tab order', () => {
    expect(PROBLEM_CLASSES).toEqual(['none', 'active_stale_attention', 'terminal_follow_up', 'reconciled']);
  });

  describe('active runs', () => {
    it.each<RunStatus>(['queued', 'running'])('%s + likely_stale needs stale attention', (status) => {
      expect(deriveProblemClass(buildRun({ status }), 'likely_stale')).toBe('active_stale_attention');
    });

    it.each<[RunStatus, Freshness]>([
      ['queued', 'fresh'],
      ['running', 'fresh'],
      ['running', 'past_expected'],
      ['running', 'unknown'],
      ['queued', 'unknown'],
    ])('%s + %s is none (late or unknown is not a problem yet)', (status, freshness) => {
      expect(deriveProblemClass(buildRun({ status }), freshness)).toBe('none');
    });

    it('ignores a stray reconciliation block on an active run', () => {
      const run = buildRun({ status: 'running', context: { reconciliation } });
      expect(deriveProblemClass(run, 'fresh')).toBe('none');
    });
  });

  describe('completed runs', () => {
    it.each<RunOutcome>(['failed', 'blocked', 'partially_succeeded'])(
      '%s needs follow-up while not superseded',
      (outcome) => {
        expect(deriveProblemClass(completed(outcome), 'terminal')).toBe('terminal_follow_up');
        expect(deriveProblemClass(completed(outcome), 'terminal', { superseded: false })).toBe(
          'terminal_follow_up',
        );
      },
    );

    it.each<RunOutcome>(['failed', 'blocked', 'partially_succeeded'])(
      '%s needs no follow-up once superseded',
      (outcome) => {
        expect(deriveProblemClass(completed(outcome), 'terminal', { superseded: true })).toBe('none');
      },
    );

    it.each<RunOutcome>(['failed', 'blocked', 'partially_succeeded'])(
      '%s that records the later success superseding it needs no follow-up (it stays a plain run)',
      (outcome) => {
        const superseded = { ...completed(outcome), supersededBy: 'later-success-id' };
        expect(deriveProblemClass(superseded, 'terminal')).toBe('none');
        expect(deriveProblemClass({ ...superseded, supersededBy: null }, 'terminal')).toBe('terminal_follow_up');
      },
    );

    it('a reconciled run stays reconciled when a later success supersedes it', () => {
      const run = { ...completed('failed', { reconciliation }), supersededBy: 'later-success-id' };
      expect(deriveProblemClass(run, 'reconciled_failed')).toBe('reconciled');
    });

    it.each<RunOutcome>(['succeeded', 'cancelled'])('%s is none', (outcome) => {
      expect(deriveProblemClass(completed(outcome), 'terminal')).toBe('none');
    });

    it.each<RunOutcome>(['failed', 'blocked', 'succeeded'])(
      'reconciled %s is reconciled, even when superseded',
      (outcome) => {
        const run = completed(outcome, { reconciliation });
        const freshness: Freshness = outcome === 'succeeded' ? 'terminal' : 'reconciled_failed';
        expect(deriveProblemClass(run, freshness)).toBe('reconciled');
        expect(deriveProblemClass(run, freshness, { superseded: true })).toBe('reconciled');
      },
    );

    it('is never stale attention, whatever freshness is passed', () => {
      expect(deriveProblemClass(completed('succeeded'), 'likely_stale')).toBe('none');
    });
  });
});

describe('isProblemClass', () => {
  it('accepts exactly the known classes (used to validate tab/filter query values)', () => {
    for (const c of PROBLEM_CLASSES) expect(isProblemClass(c)).toBe(true);
    for (const v of ['stale', '', 'NONE', 3, null, undefined]) expect(isProblemClass(v)).toBe(false);
  });
});
