import { at, buildDefinition, buildRun, T0 } from '../../../../test/support/run-builder';
import { OperationRun, ReconciliationRecord, RunOutcome, RunStatus } from './operation-run';
import { STALE_ACTIVE_GUIDANCE } from './freshness';
import { Badge, presentRun, RECONCILED_DEFAULT_MESSAGE, RunPresentation } from './run-presenter';

const definition = buildDefinition(); // queued stale after 300s, running after 90s, expected 60s
const CALM = ['Waiting for worker.', 'Progress details pending.'];
const COUNTED_HEADLINE = /\d+ \/ \d+ processed/;

function running(overrides: Partial<OperationRun> = {}): OperationRun {
  return buildRun({ status: 'running', startedAt: T0, lastHeartbeatAt: T0, attempts: 1, ...overrides });
}

function badgeOf(p: RunPresentation, kind: Badge['kind']): Badge | undefined {
  return p.badges.find((b) => b.kind === kind);
}

function expectStaleHonesty(p: RunPresentation): void {
  expect(p.headline).toBe(STALE_ACTIVE_GUIDANCE);
  expect(CALM).not.toContain(p.headline);
  expect(p.headline).not.toMatch(COUNTED_HEADLINE);
  expect(p.progress.label).toBe(STALE_ACTIVE_GUIDANCE);
  for (const text of [p.headline, p.guidance ?? '']) {
    expect(text).not.toMatch(/orphan|\bdone\b|\bcompleted\b|\b(is|was|has) failed/i);
  }
  expect(p.guidance).toMatch(/has not been confirmed as failed/);
  expect(badgeOf(p, 'freshness')).toEqual({ kind: 'freshness', value: 'likely_stale', label: 'Likely stale', tone: 'danger' });
  expect(p.problem_class).toBe('active_stale_attention');
}

describe('presentRun — active runs', () => {
  it('fresh queued: calm waiting copy', () => {
    const p = presentRun(buildRun(), definition, at(10));
    expect(p).toMatchObject({
      freshness: 'fresh',
      problem_class: 'none',
      headline: 'Waiting for worker.',
      guidance: 'The run starts when a worker picks it up.',
      links: { self: '/operations/00000000-0000-4000-8000-000000000001' },
      reconciliation: null,
    });
    expect(p.badges).toEqual([
      { kind: 'status', value: 'queued', label: 'Queued', tone: 'neutral' },
      { kind: 'outcome', value: 'pending', label: 'Pending', tone: 'neutral' },
      { kind: 'freshness', value: 'fresh', label: 'Fresh', tone: 'info' },
    ]);
  });

  it('stale queued: cautious line, never "Waiting for worker."', () => {
    const p = presentRun(buildRun(), definition, at(301));
    expectStaleHonesty(p);
    expect(p.guidance).toBe(
      'No worker picked it up within the lifecycle window; the run has not been confirmed as failed.',
    );
    expect(p.progress.mode).toBe('none');
  });

  it('fresh running counted: the progress label is the headline', () => {
    const p = presentRun(running({ summaryCounts: { processed: 4, total: 10 } }), definition, at(30));
    expect(p.headline).toBe('4 / 10 processed (40%)');
    expect(p.guidance).toBeNull();
    expect(badgeOf(p, 'status')).toEqual({ kind: 'status', value: 'running', label: 'Running', tone: 'info' });
  });

  it('fresh running activity: details pending', () => {
    expect(presentRun(running(), definition, at(30)).headline).toBe('Progress details pending.');
  });

  it.each([
    ['counted', { summaryCounts: { processed: 4, total: 10 } }],
    ['activity', {}],
    ['phased', { context: { progress: { phase: { key: 'collect', index: 1, count: 1, started_at: '' } } } }],
  ])('stale running (%s): cautious line replaces the calm headline', (_mode, overrides) => {
    const def = buildDefinition({ phases: [{ key: 'collect', label: 'Collecting inventory' }] });
    const p = presentRun(running(overrides as Partial<OperationRun>), def, at(91));
    expectStaleHonesty(p);
    expect(p.guidance).toBe('No heartbeat within the lifecycle window; the run has not been confirmed as failed.');
  });

  it('stale running counted: no live count or percentage, the last reported counts only as dated history', () => {
    const p = presentRun(running({ summaryCounts: { processed: 4, total: 10 } }), definition, at(6 * 60 + 5));
    expect(p.progress).toEqual({
      mode: 'counted',
      label: STALE_ACTIVE_GUIDANCE,
      last_reported: { processed: 4, total: 10, reported_at: T0.toISOString(), label: 'Last reported 4 of 10 processed, 6 min ago' },
    });
    expect(JSON.stringify(p)).not.toMatch(/percent|%/);
  });

  it.each([
    ['stale queued', buildRun(), at(301)],
    ['stale running', running({ summaryCounts: { processed: 4, total: 10 } }), at(91)],
  ])('%s: the run page opens with the "Likely stale operation" banner', (_name, run, now) => {
    expect(presentRun(run, definition, now).banner).toBe('Likely stale operation');
  });

  it.each([
    ['fresh queued', buildRun(), at(10)],
    ['fresh running', running(), at(30)],
    ['past expected', running({ lastHeartbeatAt: at(70) }), at(75)],
    ['unknown', running(), at(1e6), null],
  ])('%s: no banner', (_name, run, now, def: typeof definition | null = definition) => {
    expect(presentRun(run, def, now).banner).toBeNull();
  });

  it('past expected: progress headline with a "still reporting" note', () => {
    const run = running({ lastHeartbeatAt: at(70), summaryCounts: { processed: 9, total: 10 } });
    const p = presentRun(run, definition, at(75));
    expect(p).toMatchObject({
      freshness: 'past_expected',
      problem_class: 'none',
      headline: '9 / 10 processed (90%)',
      guidance: 'Taking longer than expected, but the worker is still reporting.',
    });
    expect(badgeOf(p, 'freshness')).toMatchObject({ label: 'Past expected', tone: 'warning' });
  });

  it('no definition: freshness unknown, says no policy is known', () => {
    const p = presentRun(running(), null, at(1e6));
    expect(p).toMatchObject({
      freshness: 'unknown',
      problem_class: 'none',
      headline: 'Progress details pending.',
      guidance: 'No lifecycle policy is known for this operation type.',
    });
    expect(badgeOf(p, 'freshness')).toMatchObject({ label: 'Unknown', tone: 'neutral' });
  });

  it('policy known but timestamps missing: does not blame a missing policy', () => {
    const p = presentRun(running({ startedAt: null, lastHeartbeatAt: null }), definition, at(30));
    expect(p.freshness).toBe('unknown');
    expect(p.guidance).not.toBe('No lifecycle policy is known for this operation type.');
    expect(p.guidance).toMatch(/cannot be judged/);
  });
});

describe('presentRun — completed runs', () => {
  it.each<[RunOutcome, string, string, Badge['tone']]>([
    ['succeeded', 'Completed successfully.', 'Succeeded', 'success'],
    ['partially_succeeded', 'Completed with partial success.', 'Partially succeeded', 'warning'],
    ['failed', 'Failed.', 'Failed', 'danger'],
    ['blocked', 'Blocked.', 'Blocked', 'warning'],
    ['cancelled', 'Cancelled.', 'Cancelled', 'neutral'],
  ])('%s → "%s"', (outcome, headline, label, tone) => {
    const run = buildRun({ status: 'completed', outcome, completedAt: at(30) });
    const p = presentRun(run, definition, at(1e6));
    expect(p.headline).toBe(headline);
    expect(p.guidance).toBeNull();
    expect(p.freshness).toBe('terminal');
    expect(p.banner).toBeNull();
    expect(p.badges).toEqual([
      { kind: 'status', value: 'completed', label: 'Completed', tone: 'neutral' },
      { kind: 'outcome', value: outcome, label, tone },
      { kind: 'freshness', value: 'terminal', label: 'Final', tone: 'neutral' },
    ]);
  });

  it('guidance is the first operator-safe failure message', () => {
    const run = buildRun({
      status: 'completed',
      outcome: 'failed',
      context: {
        failures: [
          { code: 'provider_unavailable', message: 'The provider did not answer.' },
          { code: 'second', message: 'Second failure.' },
        ],
      },
    });
    const p = presentRun(run, definition, at(1));
    expect(p.guidance).toBe('The provider did not answer.');
    expect(p.problem_class).toBe('terminal_follow_up');
  });

  it('skips malformed failure entries when choosing guidance', () => {
    const failures = [null, { code: 'x', message: 42 }, 'boom', { code: 'ok', message: 'Usable message.' }];
    const run = buildRun({ status: 'completed', outcome: 'failed', context: { failures } as never });
    expect(presentRun(run, definition, at(1)).guidance).toBe('Usable message.');
  });

  it('passes superseded through to the problem class', () => {
    const run = buildRun({ status: 'completed', outcome: 'failed' });
    expect(presentRun(run, definition, at(1), { superseded: true }).problem_class).toBe('none');
  });

  it('a run a later success superseded is no problem any more, keeps its outcome and links to that success', () => {
    const run = { ...buildRun({ status: 'completed', outcome: 'failed' }), supersededBy: '00000000-0000-4000-8000-00000000000b' };
    const p = presentRun(run, definition, at(1));
    expect(p.problem_class).toBe('none');
    expect(p.headline).toBe('Failed.');
    expect(p.links).toEqual({ self: `/operations/${run.id}`, superseded_by: '/operations/00000000-0000-4000-8000-00000000000b' });
    expect(presentRun({ ...run, supersededBy: null }, definition, at(1)).links).toEqual({ self: `/operations/${run.id}` });
  });

  describe('diagnostics never become copy', () => {
    const diagnostics = { message: 'ECONNRESET at Socket.read (internal.js:42)', exception: 'TypeError' };
    const statuses: [RunStatus, RunOutcome, number][] = [
      ['queued', 'pending', 10],
      ['queued', 'pending', 301],
      ['running', 'pending', 30],
      ['running', 'pending', 91],
      ['completed', 'failed', 30],
      ['completed', 'blocked', 30],
    ];
    it.each(statuses)('%s/%s at +%is', (status, outcome, seconds) => {
      const run = buildRun({ status, outcome, startedAt: status === 'queued' ? null : T0, context: { diagnostics } });
      const p = presentRun(run, definition, at(seconds));
      const copy = JSON.stringify(p);
      expect(copy).not.toContain('ECONNRESET');
      expect(copy).not.toContain('TypeError');
    });

    it('a reconciled run with diagnostics still uses its reconciliation message', () => {
      const run = buildRun({
        status: 'completed',
        outcome: 'failed',
        context: { diagnostics, reconciliation: { version: 1, source: 'failed_job_bridge' } as ReconciliationRecord },
      });
      const p = presentRun(run, definition, at(1));
      expect(p.headline).toBe(RECONCILED_DEFAULT_MESSAGE);
      expect(JSON.stringify(p)).not.toContain('ECONNRESET');
    });
  });
});

describe('presentRun — reconciled runs', () => {
  const record: ReconciliationRecord = {
    version: 1,
    reason: 'stale_running',
    source: 'scheduled_reconciler',
    decision: 'fail',
    reconciled_at: '2025-01-15T10:05:00.000Z',
    previous_status: 'running',
    previous_outcome: 'pending',
    message: 'The worker stopped reporting; the run was marked failed.',
  };

  function reconciled(rec: Partial<ReconciliationRecord> | unknown, outcome: RunOutcome = 'failed'): OperationRun {
    return buildRun({
      status: 'completed',
      outcome,
      startedAt: T0,
      completedAt: at(300),
      context: { reconciliation: rec as ReconciliationRecord },
    });
  }

  it('uses the recorded message and names who reconciled it and when', () => {
    const p = presentRun(reconciled(record), definition, at(400));
    expect(p).toMatchObject({
      freshness: 'reconciled_failed',
      problem_class: 'reconciled',
      headline: 'The worker stopped reporting; the run was marked failed.',
      guidance: 'Reconciled by the lifecycle reconciler at 2025-01-15T10:05:00.000Z.',
    });
    expect(p.reconciliation).toEqual({
      reason: 'stale_running',
      source: 'scheduled_reconciler',
      source_label: 'the lifecycle reconciler',
      adapter: null,
      decision: 'fail',
      reconciled_at: '2025-01-15T10:05:00.000Z',
      previous_status: 'running',
      previous_outcome: 'pending',
      message: 'The worker stopped reporting; the run was marked failed.',
    });
    expect(badgeOf(p, 'freshness')).toEqual({ kind: 'freshness', value: 'reconciled_failed', label: 'Reconciled', tone: 'warning' });
    expect(badgeOf(p, 'outcome')).toMatchObject({ label: 'Failed', tone: 'danger' });
  });

  it.each([
    [{ source: 'failed_job_bridge' }, 'the failed-job bridge'],
    [{ source: 'adapter', adapter: 'baseline.compare' }, 'the baseline.compare adapter'],
    [{ source: 'adapter' }, 'reconciliation'],
    [{ source: 'martian' }, 'reconciliation'],
    [{ source: 42 }, 'reconciliation'],
  ])('source %j is labelled "%s"', (source, label) => {
    const p = presentRun(reconciled({ ...record, adapter: undefined, ...source }), definition, at(400));
    expect(p.reconciliation?.source_label).toBe(label);
    expect(p.guidance).toBe(`Reconciled by ${label} at 2025-01-15T10:05:00.000Z.`);
  });

  it.each([undefined, '', '   ', 17])('falls back to the default line when message is %j', (message) => {
    const p = presentRun(reconciled({ ...record, message }), definition, at(400));
    expect(p.headline).toBe('Reconciled: the worker stopped reporting; no result was recorded');
    expect(p.reconciliation?.message).toBe(p.headline);
  });

  it('normalizes reconciled_at to ISO and falls back to completed_at when unparseable', () => {
    const offset = presentRun(reconciled({ ...record, reconciled_at: '2025-01-15T11:05:00+01:00' }), definition, at(400));
    expect(offset.guidance).toBe('Reconciled by the lifecycle reconciler at 2025-01-15T10:05:00.000Z.');
    const garbage = presentRun(reconciled({ ...record, reconciled_at: 'yesterday' }), definition, at(400));
    expect(garbage.reconciliation?.reconciled_at).toBeNull();
    expect(garbage.guidance).toBe(`Reconciled by the lifecycle reconciler at ${at(300).toISOString()}.`);
  });

  it('sanitizes a hostile block to strings and nulls', () => {
    const p = presentRun(reconciled({ reason: { nested: true }, decision: ['x'], previous_status: 3 }), definition, at(400));
    expect(p.reconciliation).toEqual({
      reason: null,
      source: null,
      source_label: 'reconciliation',
      adapter: null,
      decision: null,
      reconciled_at: null,
      previous_status: null,
      previous_outcome: null,
      message: RECONCILED_DEFAULT_MESSAGE,
    });
  });

  it('a reconciled success without a message does not claim no result was recorded', () => {
    const p = presentRun(reconciled({ ...record, message: undefined }, 'succeeded'), definition, at(400));
    expect(p.problem_class).toBe('reconciled');
    expect(p.freshness).toBe('terminal');
    expect(p.headline).toBe('Completed successfully.');
  });

  it('no reconciliation block → reconciliation is null', () => {
    const p = presentRun(buildRun({ status: 'completed', outcome: 'failed' }), definition, at(1));
    expect(p.reconciliation).toBeNull();
  });
});
