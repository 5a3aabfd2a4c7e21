import { at, buildDefinition, buildRun, T0 } from '../../../../test/support/run-builder';
import { Freshness, STALE_ACTIVE_GUIDANCE } from './freshness';
import { OperationRun, RunContext } from './operation-run';
import { deriveProgress, RunProgress } from './progress-contract';

const NOW = at(30);
const LEAK = 'zz_raw_internal_key';

const phasedDefinition = buildDefinition({
  type: 'baseline.capture',
  progress_mode: 'phased',
  phases: [
    { key: 'collect', label: 'Collecting inventory' },
    { key: 'capture', label: 'Capturing policy evidence' },
    { key: 'store', label: 'Storing snapshot' },
  ],
});

const phase = (key: string, index = 9, count = 99) => ({ key, index, count, started_at: T0.toISOString() });
const parts = [
  { key: 'inventory', label: 'Inventory', state: 'ready' as const },
  { key: 'baseline', label: 'Baseline', state: 'ready' as const },
  { key: 'findings', label: 'Findings', state: 'pending' as const },
];

function running(context: unknown = {}, summaryCounts: unknown = {}): OperationRun {
  return buildRun({
    status: 'running',
    startedAt: T0,
    lastHeartbeatAt: at(25),
    context: context as RunContext,
    summaryCounts: summaryCounts as OperationRun['summaryCounts'],
  });
}

function progressOf(run: OperationRun, freshness: Freshness = 'fresh', def = phasedDefinition): RunProgress {
  return deriveProgress(run, def, NOW, freshness);
}

describe('deriveProgress', () => {
  describe('non-running runs', () => {
    it('completed runs report no progress mode, even with counts and phases stored', () => {
      const run = buildRun({
        status: 'completed',
        outcome: 'succeeded',
        context: { progress: { phase: phase('store') } },
        summaryCounts: { processed: 10, total: 10 },
      });
      expect(progressOf(run, 'terminal')).toEqual({ mode: 'none', label: 'Completed.' });
    });

    it('fresh queued runs wait for a worker', () => {
      expect(progressOf(buildRun())).toEqual({ mode: 'none', label: 'Waiting for worker.' });
    });
  });

  describe('modes and precedence for running runs', () => {
    it('phase + composite + counts → phased, with index and count from the catalog', () => {
      const run = running({ progress: { phase: phase('capture', 7, 42), composite: { parts } } }, { processed: 4, total: 10 });
      expect(progressOf(run)).toEqual({
        mode: 'phased',
        label: 'Capturing policy evidence',
        phase: { key: 'capture', label: 'Capturing policy evidence', index: 2, count: 3 },
      });
    });

    it('composite + counts → composite, with no percentage anywhere', () => {
      const run = running({ progress: { composite: { parts } } }, { processed: 4, total: 10 });
      const progress = progressOf(run);
      expect(progress).toEqual({
        mode: 'composite',
        label: '2 of 3 parts ready',
        composite: { parts, ready: 2, total: 3 },
      });
      expect(JSON.stringify(progress)).not.toMatch(/percent|%/);
    });

    it('counts only → counted with a floored percentage', () => {
      const progress = progressOf(running({}, { processed: 2, total: 3 }));
      expect(progress).toEqual({
        mode: 'counted',
        label: '2 / 3 processed (66%)',
        counted: { processed: 2, total: 3, percent: 66 },
      });
    });

    it.each([
      [0, 10, '0 / 10 processed (0%)'],
      [10, 10, '10 / 10 processed (100%)'],
      [1, 3, '1 / 3 processed (33%)'],
    ])('counted boundaries: %i of %i', (processed, total, label) => {
      expect(progressOf(running({}, { processed, total })).label).toBe(label);
    });

    it('nothing usable → activity', () => {
      expect(progressOf(running())).toEqual({ mode: 'activity', label: 'Progress details pending.' });
    });

    it('composite parts drop unknown fields instead of passing them through', () => {
      const noisy = [{ ...parts[0], secret: LEAK }];
      const progress = progressOf(running({ progress: { composite: { parts: noisy } } }));
      expect(progress.composite?.parts).toEqual([parts[0]]);
      expect(JSON.stringify(progress)).not.toContain(LEAK);
    });

    it('counts every composite state honestly', () => {
      const mixed = [
        { key: 'a', label: 'A', state: 'missing' },
        { key: 'b', label: 'B', state: 'pending' },
      ];
      expect(progressOf(running({ progress: { composite: { parts: mixed } } })).label).toBe('0 of 2 parts ready');
    });
  });

  describe('composite unit from the catalog', () => {
    const compositeDefinition = (composite_unit?: string) =>
      buildDefinition({
        type: 'environment.review.compose',
        progress_mode: 'composite',
        ...(composite_unit !== undefined ? { composite_unit } : {}),
      });
    const run = () => running({ progress: { composite: { parts } } });

    it('labels parts with the catalog unit', () => {
      const progress = progressOf(run(), 'fresh', compositeDefinition('evidence sections'));
      expect(progress).toEqual({
        mode: 'composite',
        label: '2 of 3 evidence sections ready',
        composite: { parts, ready: 2, total: 3 },
      });
    });

    it('falls back to "parts" without a unit, with a blank unit, or without a definition', () => {
      expect(progressOf(run(), 'fresh', compositeDefinition()).label).toBe('2 of 3 parts ready');
      expect(progressOf(run(), 'fresh', compositeDefinition('  ')).label).toBe('2 of 3 parts ready');
      expect(deriveProgress(run(), null, NOW, 'fresh').label).toBe('2 of 3 parts ready');
    });

    it('counts missing parts as not ready', () => {
      const mixed = [
        { key: 'a', label: 'A', state: 'ready' },
        { key: 'b', label: 'B', state: 'missing' },
        { key: 'c', label: 'C', state: 'missing' },
      ];
      const progress = progressOf(running({ progress: { composite: { parts: mixed } } }), 'fresh', compositeDefinition('evidence sections'));
      expect(progress.label).toBe('1 of 3 evidence sections ready');
    });

    it('a stale run still shows the cautious label, not the unit label', () => {
      expect(progressOf(run(), 'likely_stale', compositeDefinition('evidence sections')).label).toBe(STALE_ACTIVE_GUIDANCE);
    });
  });

  describe('phase trust', () => {
    it('a phase key missing from the catalog is not phased and never shows the key', () => {
      const run = running({ progress: { phase: phase(LEAK) } }, { processed: 1, total: 4 });
      const progress = progressOf(run);
      expect(progress.mode).toBe('counted');
      expect(JSON.stringify(progress)).not.toContain(LEAK);
    });

    it('without a definition a phase cannot be labelled, so it is not shown', () => {
      const progress = deriveProgress(running({ progress: { phase: phase('capture') } }), null, NOW, 'unknown');
      expect(progress).toEqual({ mode: 'activity', label: 'Progress details pending.' });
    });

    it('a definition without phases never yields phased', () => {
      const progress = progressOf(running({ progress: { phase: phase('capture') } }), 'fresh', buildDefinition());
      expect(progress.mode).toBe('activity');
      expect(JSON.stringify(progress)).not.toContain('capture');
    });
  });

  describe('malformed metadata degrades without throwing or leaking keys', () => {
    const cases: [string, unknown, unknown, RunProgress['mode']][] = [
      ['context is null', null, {}, 'activity'],
      ['context is an array', [LEAK], {}, 'activity'],
      ['progress is a string', { progress: LEAK }, {}, 'activity'],
      ['progress is an array', { progress: [{ phase: phase('capture') }] }, {}, 'activity'],
      ['phase is null', { progress: { phase: null } }, {}, 'activity'],
      ['phase key is a number', { progress: { phase: { key: 2, index: 2 } } }, {}, 'activity'],
      ['phase is an array', { progress: { phase: ['capture'] } }, {}, 'activity'],
      ['composite is null', { progress: { composite: null } }, {}, 'activity'],
      ['composite parts is an object', { progress: { composite: { parts: { a: 1 } } } }, {}, 'activity'],
      ['composite parts is empty', { progress: { composite: { parts: [] } } }, {}, 'activity'],
      ['composite part state unknown', { progress: { composite: { parts: [{ key: 'a', label: 'A', state: LEAK }] } } }, {}, 'activity'],
      ['composite part label empty', { progress: { composite: { parts: [{ key: LEAK, label: '  ', state: 'ready' }] } } }, {}, 'activity'],
      ['composite part is null', { progress: { composite: { parts: [parts[0], null] } } }, {}, 'activity'],
      ['composite part key missing', { progress: { composite: { parts: [{ label: 'A', state: 'ready' }] } } }, {}, 'activity'],
      ['counts are strings', {}, { processed: '4', total: '10' }, 'activity'],
      ['processed is NaN', {}, { processed: NaN, total: 10 }, 'activity'],
      ['total is Infinity', {}, { processed: 1, total: Infinity }, 'activity'],
      ['processed > total', {}, { processed: 11, total: 10 }, 'activity'],
      ['total is 0', {}, { processed: 0, total: 0 }, 'activity'],
      ['processed is negative', {}, { processed: -1, total: 10 }, 'activity'],
      ['processed missing', {}, { total: 10 }, 'activity'],
      ['summary counts is null', {}, null, 'activity'],
      ['summary counts is an array', {}, [4, 10], 'activity'],
      ['bad composite falls through to valid counts', { progress: { composite: { parts: 'x' } } }, { processed: 1, total: 2 }, 'counted'],
      ['unknown phase falls through to valid composite', { progress: { phase: phase(LEAK), composite: { parts } } }, {}, 'composite'],
    ];

    it.each(cases)('%s → %s', (_name, context, counts, mode) => {
      const run = running(context, counts);
      let progress: RunProgress | undefined;
      expect(() => {
        progress = progressOf(run);
      }).not.toThrow();
      expect(progress?.mode).toBe(mode);
      expect(JSON.stringify(progress)).not.toContain(LEAK);
      expect(progress?.label).not.toMatch(/NaN|undefined|null|Infinity|\[object/);
    });
  });

  describe('stale-active honesty', () => {
    it('a stale queued run is mode none with the cautious label', () => {
      expect(progressOf(buildRun(), 'likely_stale')).toEqual({ mode: 'none', label: STALE_ACTIVE_GUIDANCE });
    });

    it('a stale running counted run has no live count or percentage: its counts are dated history', () => {
      const stale = progressOf(running({}, { processed: 4, total: 10 }), 'likely_stale');
      expect(stale).toEqual({
        mode: 'counted',
        label: STALE_ACTIVE_GUIDANCE,
        last_reported: {
          processed: 4,
          total: 10,
          reported_at: at(25).toISOString(),
          label: 'Last reported 4 of 10 processed, less than a minute ago',
        },
      });
      expect(stale).not.toHaveProperty('counted');
      expect(JSON.stringify(stale)).not.toMatch(/percent|%/);
    });

    it('dates the last report from the heartbeat, else the start, and leaves the age out without either', () => {
      const now = at(25 + 6 * 60 + 30);
      const beat = deriveProgress(running({}, { processed: 4, total: 10 }), phasedDefinition, now, 'likely_stale');
      expect(beat.last_reported?.label).toBe('Last reported 4 of 10 processed, 6 min ago');
      const noBeat = buildRun({ status: 'running', startedAt: T0, lastHeartbeatAt: null, summaryCounts: { processed: 4, total: 10 } });
      expect(deriveProgress(noBeat, phasedDefinition, at(3 * 3600), 'likely_stale').last_reported).toEqual({
        processed: 4,
        total: 10,
        reported_at: T0.toISOString(),
        label: 'Last reported 4 of 10 processed, 3 hours ago',
      });
      const never = buildRun({ status: 'running', startedAt: null, lastHeartbeatAt: null, summaryCounts: { processed: 4, total: 10 } });
      expect(deriveProgress(never, phasedDefinition, now, 'likely_stale').last_reported).toEqual({
        processed: 4,
        total: 10,
        reported_at: null,
        label: 'Last reported 4 of 10 processed',
      });
    });

    it('malformed counts on a stale run give no history at all', () => {
      const stale = progressOf(running({}, { processed: 11, total: 10 }), 'likely_stale');
      expect(stale).toEqual({ mode: 'activity', label: STALE_ACTIVE_GUIDANCE });
    });

    it.each([
      ['phased', running({ progress: { phase: phase('collect') } })],
      ['composite', running({ progress: { composite: { parts } } })],
      ['activity', running()],
    ])('a stale running %s run keeps its detail but not its calm label', (mode, run) => {
      const fresh = progressOf(run, 'fresh');
      const stale = progressOf(run, 'likely_stale');
      expect(stale.mode).toBe(mode);
      expect(stale.label).toBe(STALE_ACTIVE_GUIDANCE);
      expect(stale).toEqual({ ...fresh, label: STALE_ACTIVE_GUIDANCE });
    });

    it('past_expected and unknown keep the normal label (they are late, not stale)', () => {
      const run = running({}, { processed: 4, total: 10 });
      expect(progressOf(run, 'past_expected').label).toBe('4 / 10 processed (40%)');
      expect(progressOf(run, 'unknown').label).toBe('4 / 10 processed (40%)');
    });

    it('is exactly the SPEC sentence', () => {
      expect(STALE_ACTIVE_GUIDANCE).toBe('Past the lifecycle window. Review worker health and logs before retrying.');
    });
  });
});
