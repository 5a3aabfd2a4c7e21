import { at, buildRun, DEFAULT_POLICY, T0 } from '../../../../test/support/run-builder';
import { OperationRun } from '../../operations/core/operation-run';
import { LifecyclePolicy } from '../../operations/core/operation-type';
import { JobLiveness } from '../../operations/core/ports/job-liveness';
import {
  decideReconciliation,
  DecisionInput,
  deferCeiling,
  STALE_QUEUED_MESSAGE,
  STALE_RUNNING_MESSAGE,
} from './reconciliation-decision';
import { AdapterDecision } from './ports/reconciliation-adapter.port';

/** DEFAULT_POLICY: queued window 300 s, running window 90 s. */
const policy: LifecyclePolicy = DEFAULT_POLICY;

const queuedRun = (o: Partial<OperationRun> = {}) => buildRun({ status: 'queued', createdAt: T0, ...o });
/** Running since T0, last heartbeat at T0. */
const runningRun = (o: Partial<OperationRun> = {}) =>
  buildRun({ status: 'running', createdAt: at(-10), startedAt: T0, lastHeartbeatAt: T0, attempts: 1, ...o });

/** Well past both windows (and before any defer ceiling). */
const STALE_NOW = at(1000);

function decide(o: Partial<DecisionInput> & { run: OperationRun }) {
  return decideReconciliation({ policy, liveness: 'missing', now: STALE_NOW, ...o });
}

type TerminalAdapterDecision = Exclude<AdapterDecision, { decision: 'defer' }>;

const terminal = (o: Partial<TerminalAdapterDecision> = {}): AdapterDecision => ({
  decision: 'failed',
  reason: 'domain_failed',
  message: 'The domain recorded a failure.',
  ...o,
});

describe('the exact operator messages', () => {
  it('are the SPEC 3 sentences', () => {
    expect(STALE_RUNNING_MESSAGE).toBe('Reconciled: the worker stopped reporting; no result was recorded');
    expect(STALE_QUEUED_MESSAGE).toBe(
      'Reconciled: no worker picked up this run within its lifecycle window; no result was recorded',
    );
  });
});

describe('decideReconciliation: not stale', () => {
  const cases: Array<[string, OperationRun, Date, LifecyclePolicy | null]> = [
    ['a fresh queued run', queuedRun(), at(10), policy],
    ['a queued run exactly at its 300 s window', queuedRun(), at(300), policy],
    ['a fresh running run', runningRun(), at(30), policy],
    ['a running run exactly at its 90 s window (heartbeat)', runningRun(), at(90), policy],
    ['a running run exactly at its 90 s window (no heartbeat, judged from start)', runningRun({ lastHeartbeatAt: null }), at(90), policy],
    ['a long-running run whose heartbeat is fresh', runningRun({ startedAt: at(-5000), lastHeartbeatAt: at(950) }), STALE_NOW, policy],
    ['a completed run, however old', buildRun({ status: 'completed', outcome: 'succeeded', completedAt: T0 }), STALE_NOW, policy],
    ['a completed failed run, however old', buildRun({ status: 'completed', outcome: 'failed', completedAt: T0 }), STALE_NOW, policy],
    ['a run whose type has no policy', runningRun(), STALE_NOW, null],
    ['a queued run without a policy', queuedRun(), STALE_NOW, null],
    ['a running run with neither heartbeat nor start', runningRun({ startedAt: null, lastHeartbeatAt: null }), STALE_NOW, policy],
    ['a queued run with an unparseable creation time', queuedRun({ createdAt: new Date(Number.NaN) }), STALE_NOW, policy],
  ];

  it.each(cases)('%s → not_stale, even when the job is gone', (_label, run, now, runPolicy) => {
    expect(decideReconciliation({ run, policy: runPolicy, liveness: 'missing', now })).toEqual({ kind: 'not_stale' });
  });

  it.each(cases)('%s → not_stale, even with a terminal adapter decision', (_label, run, now, runPolicy) => {
    expect(
      decideReconciliation({ run, policy: runPolicy, liveness: 'missing', now, adapter: { name: 'a', decision: terminal() } }),
    ).toEqual({ kind: 'not_stale' });
  });

  it.each([
    ['queued, 1 ms past 300 s', queuedRun(), at(300.001), 'stale_queued'],
    ['running, 1 ms past 90 s since the heartbeat', runningRun(), at(90.001), 'stale_running'],
    ['running without heartbeat, 1 ms past 90 s since the start', runningRun({ lastHeartbeatAt: null }), at(90.001), 'stale_running'],
  ])('just past the boundary (%s) it is stale', (_label, run, now, reason) => {
    expect(decideReconciliation({ run, policy, liveness: 'missing', now })).toMatchObject({ kind: 'reconcile', reason });
  });
});

describe('decideReconciliation: the queue decides whether the job is alive', () => {
  it.each([queuedRun(), runningRun()])('an unreachable queue → skip_unverified (%#)', (run) => {
    expect(decide({ run, liveness: 'unreachable' })).toEqual({ kind: 'skip_unverified', reason: 'queue_unreachable' });
  });

  it.each<[JobLiveness, string]>([
    ['active_locked', 'job_active'],
    ['delayed_retry', 'job_retry_pending'],
  ])('%s → skip_alive %s', (liveness, reason) => {
    expect(decide({ run: runningRun(), liveness })).toEqual({ kind: 'skip_alive', reason });
    expect(decide({ run: queuedRun(), liveness })).toEqual({ kind: 'skip_alive', reason });
  });

  it('a live job beats an adapter: neither a terminal decision nor a defer closes it', () => {
    for (const decision of [terminal({ decision: 'succeeded' }), { decision: 'defer', reason: 'x' } as AdapterDecision]) {
      expect(decide({ run: runningRun(), liveness: 'active_locked', adapter: { name: 'a', decision } })).toEqual({
        kind: 'skip_alive',
        reason: 'job_active',
      });
      expect(decide({ run: runningRun(), liveness: 'unreachable', adapter: { name: 'a', decision } })).toEqual({
        kind: 'skip_unverified',
        reason: 'queue_unreachable',
      });
    }
  });
});

describe('decideReconciliation: generic force-fail (no adapter)', () => {
  const livenessCases: Array<[JobLiveness, boolean]> = [
    ['waiting', true],
    ['active_unlocked', true],
    ['missing', false],
    ['completed', false],
    ['failed', false],
  ];

  it.each(livenessCases)('a stale queued run with job %s → failed stale_queued, removeJob %s', (liveness, removeJob) => {
    expect(decide({ run: queuedRun(), liveness })).toStrictEqual({
      kind: 'reconcile',
      outcome: 'failed',
      reason: 'stale_queued',
      message: 'Reconciled: no worker picked up this run within its lifecycle window; no result was recorded',
      source: 'scheduled_reconciler',
      removeJob,
    });
  });

  it.each(livenessCases)('a stale running run with job %s → failed stale_running, removeJob %s', (liveness, removeJob) => {
    expect(decide({ run: runningRun(), liveness })).toStrictEqual({
      kind: 'reconcile',
      outcome: 'failed',
      reason: 'stale_running',
      message: 'Reconciled: the worker stopped reporting; no result was recorded',
      source: 'scheduled_reconciler',
      removeJob,
    });
  });
});

describe('decideReconciliation: adapter decisions', () => {
  const related = { type: 'baseline_snapshot', id: '00000000-0000-4000-8000-00000000c0de' };

  it.each<[string, AdapterDecision]>([
    ['succeeded with related', { decision: 'succeeded', reason: 'snapshot_complete', message: 'The snapshot was stored.', related }],
    [
      'partially_succeeded with counts',
      {
        decision: 'partially_succeeded',
        reason: 'snapshot_incomplete',
        message: 'Some policies were captured.',
        summaryCounts: { processed: 7, total: 10 },
      },
    ],
    ['failed', { decision: 'failed', reason: 'snapshot_missing', message: 'No snapshot was stored.' }],
    ['blocked', { decision: 'blocked', reason: 'environment_locked', message: 'The environment was locked.' }],
  ])('%s → reconcile from the adapter, with its reason, message and extras', (_label, decision) => {
    const { decision: outcome, ...rest } = decision as TerminalAdapterDecision;
    for (const [liveness, removeJob] of [['missing', false], ['waiting', true]] as Array<[JobLiveness, boolean]>) {
      expect(decide({ run: runningRun(), liveness, adapter: { name: 'capture-adapter', decision } })).toEqual({
        kind: 'reconcile',
        outcome,
        reason: rest.reason,
        message: rest.message,
        source: 'adapter',
        adapter: 'capture-adapter',
        related: rest.related,
        summaryCounts: rest.summaryCounts,
        removeJob,
      });
    }
  });

  it('a terminal adapter decision applies to a stale queued run too', () => {
    expect(decide({ run: queuedRun(), adapter: { name: 'a', decision: terminal() } })).toMatchObject({
      kind: 'reconcile',
      source: 'adapter',
      adapter: 'a',
      reason: 'domain_failed',
      message: 'The domain recorded a failure.',
    });
  });

  it("carries the adapter's apply effect to the sweep without running it", () => {
    const apply = jest.fn(async () => undefined);
    const action = decide({ run: runningRun(), adapter: { name: 'a', decision: { ...(terminal() as TerminalAdapterDecision), apply } } });
    expect(action).toMatchObject({ kind: 'reconcile', source: 'adapter', apply });
    expect(apply).not.toHaveBeenCalled();
  });

  it('a terminal adapter decision is honoured even past the defer ceiling', () => {
    const run = runningRun({ createdAt: T0 });
    const late = at(1, deferCeiling(run, policy));
    expect(decide({ run, now: late, adapter: { name: 'a', decision: terminal({ decision: 'succeeded' }) } })).toMatchObject({
      outcome: 'succeeded',
      source: 'adapter',
    });
  });

  describe('defer', () => {
    const run = runningRun({ createdAt: T0 });
    const ceiling = deferCeiling(run, policy);
    const defer: AdapterDecision = { decision: 'defer', reason: 'capture_progressing', message: 'Still hashing.' };

    it('before the ceiling → defer, naming the adapter', () => {
      expect(decide({ run, now: STALE_NOW, adapter: { name: 'capture-adapter', decision: defer } })).toStrictEqual({
        kind: 'defer',
        reason: 'capture_progressing',
        adapter: 'capture-adapter',
      });
      expect(decide({ run, now: at(-0.001, ceiling), adapter: { name: 'capture-adapter', decision: defer } })).toMatchObject({
        kind: 'defer',
      });
    });

    it.each([
      ['exactly at', 0],
      ['after', 3600],
    ])('%s the ceiling → the generic force-fail, not the adapter', (_label, offset) => {
      expect(decide({ run, liveness: 'waiting', now: at(offset, ceiling), adapter: { name: 'capture-adapter', decision: defer } })).toStrictEqual({
        kind: 'reconcile',
        outcome: 'failed',
        reason: 'stale_running',
        message: STALE_RUNNING_MESSAGE,
        source: 'scheduled_reconciler',
        removeJob: true,
      });
    });

    it('a queued run deferred past its ceiling is force-failed as stale_queued', () => {
      const queued = queuedRun();
      expect(decide({ run: queued, now: deferCeiling(queued, policy), adapter: { name: 'a', decision: defer } })).toMatchObject({
        kind: 'reconcile',
        reason: 'stale_queued',
        message: STALE_QUEUED_MESSAGE,
        source: 'scheduled_reconciler',
      });
    });
  });
});

describe('deferCeiling', () => {
  const base = { ...DEFAULT_POLICY, stale_queued_after_s: 300, job_timeout_s: 600 };

  it.each<[string, Partial<LifecyclePolicy>, number]>([
    // queue wait + attempts × timeout + longest backoff × (attempts − 1)
    ['fixed 30 s, 3 attempts', { max_attempts: 3, backoff: { type: 'fixed', delay_s: 30 } }, 300 + 3 * 600 + 30 * 2],
    ['fixed 30 s, 1 attempt (no backoff)', { max_attempts: 1, backoff: { type: 'fixed', delay_s: 30 } }, 300 + 600],
    // exponential: the longest wait is delay × 2^(attempts − 2) = 5 × 4
    ['exponential 5 s, 4 attempts', { max_attempts: 4, backoff: { type: 'exponential', delay_s: 5 } }, 300 + 4 * 600 + 20 * 3],
    ['exponential 5 s, 2 attempts', { max_attempts: 2, backoff: { type: 'exponential', delay_s: 5 } }, 300 + 2 * 600 + 5],
    ['exponential 5 s, 1 attempt', { max_attempts: 1, backoff: { type: 'exponential', delay_s: 5 } }, 300 + 600],
  ])('%s', (_label, patch, seconds) => {
    const createdAt = at(123);
    expect(deferCeiling({ createdAt }, { ...base, ...patch })).toEqual(at(seconds, createdAt));
  });

  it('counts from the run’s creation, not from now or the last heartbeat', () => {
    const p = { ...base, max_attempts: 1 };
    expect(deferCeiling({ createdAt: T0 }, p).getTime() - deferCeiling({ createdAt: at(-60) }, p).getTime()).toBe(60_000);
  });
});

describe('decideReconciliation: a cancel-requested run whose worker is gone', () => {
  const cancellation = { requested_by: null, requested_at: at(-1).toISOString() };
  const requested = () => runningRun({ context: { cancellation } });

  it('ends cancelled, not failed, and its job is removed if it still sits in Redis', () => {
    expect(decide({ run: requested(), liveness: 'active_unlocked' })).toEqual({
      kind: 'reconcile',
      outcome: 'cancelled',
      reason: 'cancel_requested_worker_gone',
      message: 'Reconciled: cancel was requested and the worker stopped; the run is cancelled and no result was recorded.',
      source: 'scheduled_reconciler',
      removeJob: true,
    });
  });

  it('is left alone while its job is alive: the worker will acknowledge it itself', () => {
    expect(decide({ run: requested(), liveness: 'active_locked' })).toEqual({ kind: 'skip_alive', reason: 'job_active' });
  });

  it('keeps the adapter cleanup of a failed verdict, but says cancelled', () => {
    const apply = jest.fn();
    const action = decide({ run: requested(), adapter: { name: 'capture', decision: terminal({ apply }) } });
    expect(action).toMatchObject({ kind: 'reconcile', outcome: 'cancelled', source: 'adapter', adapter: 'capture', apply });
  });

  it('a finished artifact still wins: the work was done before the worker was lost', () => {
    const action = decide({ run: requested(), adapter: { name: 'capture', decision: terminal({ decision: 'succeeded', reason: 'snapshot_complete' }) } });
    expect(action).toMatchObject({ kind: 'reconcile', outcome: 'succeeded', reason: 'snapshot_complete' });
  });
});
