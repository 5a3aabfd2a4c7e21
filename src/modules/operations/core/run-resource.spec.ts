import { at, buildDefinition, buildRun, T0 } from '../../../../test/support/run-builder';
import { OperationRun, ReconciliationRecord, RunContext } from './operation-run';
import { STALE_ACTIVE_GUIDANCE } from './freshness';
import { presentRun } from './run-presenter';
import { RunResourceRefs, toRunResource } from './run-resource';

const definition = buildDefinition();
const refs: RunResourceRefs = {
  workspace: { id: 'ws-1', slug: 'acme', name: 'Acme MSP' },
  environment: { id: 'env-1', slug: 'contoso', name: 'Contoso tenant' },
  initiator: { id: 'user-1', name: 'Ada Operator' },
};
const noRefs: RunResourceRefs = { workspace: null, environment: null, initiator: null };

const diagnostics = { exception: 'TypeError', message: 'Cannot read properties of undefined' };

function runningRun(overrides: Partial<OperationRun> = {}): OperationRun {
  return buildRun({
    status: 'running',
    startedAt: at(5),
    lastHeartbeatAt: at(20),
    attempts: 1,
    summaryCounts: { processed: 3, total: 12 },
    context: { diagnostics },
    ...overrides,
  });
}

describe('toRunResource', () => {
  it('serves the full snake_case document for a running run', () => {
    const resource = toRunResource(runningRun(), refs, definition, at(30));
    expect(resource).toEqual({
      id: '00000000-0000-4000-8000-000000000001',
      workspace: refs.workspace,
      environment: refs.environment,
      type: 'inventory.sync',
      type_label: 'Inventory sync',
      status: 'running',
      outcome: 'pending',
      initiator: refs.initiator,
      created_at: T0.toISOString(),
      started_at: at(5).toISOString(),
      last_heartbeat_at: at(20).toISOString(),
      completed_at: null,
      attempts: 1,
      summary_counts: { processed: 3, total: 12 },
      freshness: 'fresh',
      problem_class: 'none',
      progress: { mode: 'counted', label: '3 / 12 processed (25%)', counted: { processed: 3, total: 12, percent: 25 } },
      presentation: {
        banner: null,
        headline: '3 / 12 processed (25%)',
        guidance: null,
        badges: [
          { kind: 'status', value: 'running', label: 'Running', tone: 'info' },
          { kind: 'outcome', value: 'pending', label: 'Pending', tone: 'neutral' },
          { kind: 'freshness', value: 'fresh', label: 'Fresh', tone: 'info' },
        ],
        links: { self: '/operations/00000000-0000-4000-8000-000000000001' },
      },
      reconciliation: null,
      related: null,
      failures: [],
      cancellation: null,
      retry_of: null,
      retried_as: null,
    });
  });

  it('agrees with the presenter (one truth), including when stale', () => {
    const run = runningRun();
    const now = at(200);
    const resource = toRunResource(run, refs, definition, now);
    const view = presentRun(run, definition, now);
    expect(resource.presentation.headline).toBe(STALE_ACTIVE_GUIDANCE);
    expect(resource).toMatchObject({
      freshness: view.freshness,
      problem_class: view.problem_class,
      progress: view.progress,
      presentation: { headline: view.headline, guidance: view.guidance, badges: view.badges },
    });
  });

  it('gives a likely stale counted run no percentage anywhere, its counts only as last reported, and the banner', () => {
    const resource = toRunResource(runningRun(), refs, definition, at(20 + 6 * 60));
    expect(resource.progress).toEqual({
      mode: 'counted',
      label: STALE_ACTIVE_GUIDANCE,
      last_reported: { processed: 3, total: 12, reported_at: at(20).toISOString(), label: 'Last reported 3 of 12 processed, 6 min ago' },
    });
    expect(resource.presentation.banner).toBe('Likely stale operation');
    expect(JSON.stringify(resource)).not.toMatch(/percent|%/);
  });

  describe('diagnostics', () => {
    it('are absent as a key unless asked for', () => {
      for (const opts of [undefined, {}, { includeDiagnostics: false }]) {
        const resource = toRunResource(runningRun(), refs, definition, at(30), opts);
        expect(resource).not.toHaveProperty('diagnostics');
        expect(JSON.stringify(resource)).not.toContain('TypeError');
      }
    });

    it('are included verbatim when asked for', () => {
      const resource = toRunResource(runningRun(), refs, definition, at(30), { includeDiagnostics: true });
      expect(resource.diagnostics).toEqual(diagnostics);
    });

    it('are an empty object when asked for but none (or garbage) were recorded', () => {
      for (const context of [{}, { diagnostics: 'boom' }, { diagnostics: ['x'] }]) {
        const run = runningRun({ context: context as RunContext });
        expect(toRunResource(run, refs, definition, at(30), { includeDiagnostics: true }).diagnostics).toEqual({});
      }
    });
  });

  it('reports the canonical type and label from the catalog for a legacy alias row', () => {
    const resource = toRunResource(runningRun({ type: 'inventory_sync' }), refs, definition, at(30));
    expect(resource.type).toBe('inventory.sync');
    expect(resource.type_label).toBe('Inventory sync');
  });

  it('falls back to the stored type without a definition', () => {
    const resource = toRunResource(runningRun({ type: 'mystery.op' }), noRefs, null, at(30));
    expect(resource).toMatchObject({ type: 'mystery.op', type_label: 'mystery.op', freshness: 'unknown' });
    expect(resource).toMatchObject({ workspace: null, environment: null, initiator: null });
  });

  it('serves a completed reconciled run with related artifact and failures', () => {
    const reconciliation: ReconciliationRecord = {
      version: 1,
      reason: 'job_timeout',
      source: 'failed_job_bridge',
      decision: 'fail',
      reconciled_at: at(700).toISOString(),
      previous_status: 'running',
      previous_outcome: 'pending',
    };
    const run = runningRun({
      status: 'completed',
      outcome: 'failed',
      completedAt: at(700),
      context: {
        reconciliation,
        related: { type: 'baseline_snapshot', id: 'snap-1' },
        failures: [{ code: 'job_timeout', message: 'The job ran out of time.' }],
        diagnostics,
      },
    });
    const resource = toRunResource(run, refs, definition, at(800));
    expect(resource).toMatchObject({
      completed_at: at(700).toISOString(),
      freshness: 'reconciled_failed',
      problem_class: 'reconciled',
      related: { type: 'baseline_snapshot', id: 'snap-1' },
      failures: [{ code: 'job_timeout', message: 'The job ran out of time.' }],
      presentation: { guidance: `Reconciled by the failed-job bridge at ${at(700).toISOString()}.` },
      reconciliation: { reason: 'job_timeout', source_label: 'the failed-job bridge' },
    });
  });

  it.each([
    ['null', null],
    ['missing id', { type: 'baseline_snapshot' }],
    ['numeric id', { type: 'baseline_snapshot', id: 7 }],
    ['an array', ['baseline_snapshot', 'snap-1']],
  ])('related is null when it is %s', (_name, related) => {
    const run = runningRun({ context: { related } as unknown as RunContext });
    expect(toRunResource(run, refs, definition, at(30)).related).toBeNull();
  });

  it('strips related and failures to their declared fields', () => {
    const context = {
      related: { type: 't', id: 'i', internal: 'x' },
      failures: [{ code: 'c', message: 'm', stack: 'at foo()' }, { code: 1, message: 'bad' }, 'oops'],
    };
    const resource = toRunResource(runningRun({ context: context as unknown as RunContext }), refs, definition, at(30));
    expect(resource.related).toEqual({ type: 't', id: 'i' });
    expect(resource.failures).toEqual([{ code: 'c', message: 'm' }]);
  });

  it('failures is [] when the stored value is not an array', () => {
    const run = runningRun({ context: { failures: { code: 'c', message: 'm' } } as unknown as RunContext });
    expect(toRunResource(run, refs, definition, at(30)).failures).toEqual([]);
  });

  it('drops unknown and non-numeric summary counts', () => {
    const summaryCounts = { processed: 1, total: 2, note: 'hello', failed: '3', errors: -1 };
    const run = runningRun({ summaryCounts: summaryCounts as unknown as OperationRun['summaryCounts'] });
    expect(toRunResource(run, refs, definition, at(30)).summary_counts).toEqual({ processed: 1, total: 2 });
  });

  it('renders unparseable timestamps as null rather than "Invalid Date"', () => {
    const run = runningRun({ lastHeartbeatAt: new Date(NaN) });
    const resource = toRunResource(run, refs, definition, at(30));
    expect(resource.last_heartbeat_at).toBeNull();
    expect(JSON.stringify(resource)).not.toContain('Invalid');
  });

  it('passes superseded through to the problem class', () => {
    const run = runningRun({ status: 'completed', outcome: 'partially_succeeded', completedAt: at(40) });
    expect(toRunResource(run, refs, definition, at(50)).problem_class).toBe('terminal_follow_up');
    expect(toRunResource(run, refs, definition, at(50), { superseded: true }).problem_class).toBe('none');
  });
});

describe('toRunResource: run control fields', () => {
  it('carries the cancel request and the retry lineage, and the presenter links both runs', () => {
    const cancellation = { requested_by: null, requested_at: at(25).toISOString() };
    const before = '00000000-0000-4000-8000-0000000000f1';
    const after = '00000000-0000-4000-8000-0000000000f2';
    const resource = toRunResource(runningRun({ context: { cancellation, retry_of: before, retried_as: after } }), refs, definition, at(30));
    expect(resource).toMatchObject({ cancellation, retry_of: before, retried_as: after });
    expect(resource.presentation.links).toMatchObject({ retry_of: `/operations/${before}`, retried_as: `/operations/${after}` });
    expect(resource.presentation.guidance).toBe('Cancel requested 5 s ago — waiting for the worker to stop.');
    expect(resource.presentation.badges.map((b) => b.label)).toContain('Cancel requested');
    // Once the run has ended, the request is history: no badge.
    const ended = toRunResource(
      runningRun({ status: 'completed', outcome: 'cancelled', completedAt: at(29), context: { cancellation } }),
      refs,
      definition,
      at(30),
    );
    expect(ended.presentation.badges.map((b) => b.kind)).toEqual(['status', 'outcome', 'freshness']);
  });
});
