import { at, buildDefinition, buildRun, T0 } from '../../../../test/support/run-builder';
import { RunContext } from '../../operations/core/operation-run';
import { deriveProgress } from '../../operations/core/progress-contract';
import { EvidenceSectionKey } from './evidence';
import { compositeParts, SectionProgressState } from './review-progress';

const STATES: SectionProgressState[] = ['pending', 'ready', 'missing'];
const KEYS: EvidenceSectionKey[] = ['baseline_drift', 'operations_health', 'inventory_coverage'];

const definition = buildDefinition({
  type: 'environment.review.compose',
  progress_mode: 'composite',
  composite_unit: 'evidence sections',
});

/** All 27 combinations of the three sections' states. */
const COMBINATIONS: [SectionProgressState, SectionProgressState, SectionProgressState][] = STATES.flatMap((a) =>
  STATES.flatMap((b) => STATES.map((c) => [a, b, c] as [SectionProgressState, SectionProgressState, SectionProgressState])),
);

function labelFor(parts: ReturnType<typeof compositeParts>): string {
  const run = buildRun({
    type: 'environment.review.compose',
    status: 'running',
    startedAt: T0,
    lastHeartbeatAt: at(25),
    context: { progress: { composite: { parts } } } as unknown as RunContext,
  });
  return deriveProgress(run, definition, at(30), 'fresh').label;
}

describe('compositeParts', () => {
  it('lists every section in order, pending when absent', () => {
    expect(compositeParts({})).toEqual([
      { key: 'baseline_drift', label: 'Baseline drift', state: 'pending' },
      { key: 'operations_health', label: 'Operations health', state: 'pending' },
      { key: 'inventory_coverage', label: 'Inventory coverage', state: 'pending' },
    ]);
  });

  it('keeps the given states and fills the rest', () => {
    expect(compositeParts({ inventory_coverage: 'missing', baseline_drift: 'ready' }).map((p) => p.state)).toEqual([
      'ready',
      'pending',
      'missing',
    ]);
  });

  it('covers all 27 combinations', () => {
    expect(new Set(COMBINATIONS.map((c) => c.join())).size).toBe(27);
  });

  it.each(COMBINATIONS)('%s / %s / %s → "N of 3 evidence sections ready"', (drift, ops, inventory) => {
    const parts = compositeParts({ baseline_drift: drift, operations_health: ops, inventory_coverage: inventory });
    expect(parts.map((p) => p.key)).toEqual(KEYS);
    expect(parts.map((p) => p.state)).toEqual([drift, ops, inventory]);
    const ready = [drift, ops, inventory].filter((s) => s === 'ready').length;
    const label = labelFor(parts);
    expect(label).toBe(`${ready} of 3 evidence sections ready`);
    expect(label).not.toMatch(/%|percent/);
  });
});
