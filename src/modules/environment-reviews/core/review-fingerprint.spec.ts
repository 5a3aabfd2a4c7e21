import { EvidenceSection, missingSection, readySection } from './evidence';
import { reviewFingerprint } from './review-fingerprint';
import { ReviewPeriod } from './review-period';

const MARCH: ReviewPeriod = { from: '2024-03-01', to: '2024-04-01', label: '2024-03' };
const ENV = 'env-1';

function sections(
  over: { drift?: unknown; ops?: unknown; readAt?: string; missingInventory?: string } = {},
): EvidenceSection[] {
  const readAt = over.readAt ?? '2024-03-20T10:00:00.000Z';
  return [
    readySection(
      'baseline_drift',
      { compare_results: [{ id: 'cr-1', baseline_name: 'Prod', completed_at: '2024-03-10T00:00:00Z', findings: 2 }], read_at: readAt },
      over.drift ?? { compare_result_ids: ['cr-1'] },
    ),
    readySection('operations_health', { runs: [], read_at: readAt }, over.ops ?? { 'inventory.sync': { succeeded: 3, failed: 1 } }),
    over.missingInventory !== undefined
      ? missingSection('inventory_coverage', over.missingInventory)
      : readySection('inventory_coverage', { items: [], last_successful_sync_at: readAt }, { sync_run_id: 'run-9', items: { device: 4 } }),
  ];
}

describe('reviewFingerprint', () => {
  const base = reviewFingerprint(ENV, MARCH, sections());

  it('is a sha256 hex digest', () => {
    expect(base).toMatch(/^[0-9a-f]{64}$/);
  });

  describe('stability', () => {
    it('is the same for the same evidence', () => {
      expect(reviewFingerprint(ENV, MARCH, sections())).toBe(base);
    });

    it('ignores timestamps in data (when the evidence was read)', () => {
      expect(reviewFingerprint(ENV, MARCH, sections({ readAt: '2024-03-29T23:00:00.000Z' }))).toBe(base);
    });

    it('ignores the order of sections and the key order inside the basis', () => {
      const reordered = sections({ ops: { 'inventory.sync': { failed: 1, succeeded: 3 } } }).reverse();
      expect(reviewFingerprint(ENV, MARCH, reordered)).toBe(base);
    });

    it('ignores the period label (a range equal to the month is the same period)', () => {
      expect(reviewFingerprint(ENV, { ...MARCH, label: '2024-03-01 – 2024-03-31' }, sections())).toBe(base);
    });

    it('ignores labels and the wording of a missing explanation', () => {
      const a = reviewFingerprint(ENV, MARCH, sections({ missingInventory: 'No inventory sync has succeeded yet.' }));
      const b = reviewFingerprint(ENV, MARCH, sections({ missingInventory: 'Inventory has never been synced.' }));
      expect(a).toBe(b);
      const relabeled = sections().map((s) => ({ ...s, label: s.label.toUpperCase() }));
      expect(reviewFingerprint(ENV, MARCH, relabeled)).toBe(base);
    });
  });

  describe('sensitivity', () => {
    it.each([
      ['another environment', () => reviewFingerprint('env-2', MARCH, sections())],
      ['another period start', () => reviewFingerprint(ENV, { ...MARCH, from: '2024-03-02' }, sections())],
      ['another period end', () => reviewFingerprint(ENV, { ...MARCH, to: '2024-03-31' }, sections())],
      ['a new compare result', () => reviewFingerprint(ENV, MARCH, sections({ drift: { compare_result_ids: ['cr-2'] } }))],
      ['an extra compare result', () => reviewFingerprint(ENV, MARCH, sections({ drift: { compare_result_ids: ['cr-1', 'cr-2'] } }))],
      ['a changed run count', () => reviewFingerprint(ENV, MARCH, sections({ ops: { 'inventory.sync': { succeeded: 4, failed: 1 } } }))],
      ['a section turning missing', () => reviewFingerprint(ENV, MARCH, sections({ missingInventory: 'No inventory yet.' }))],
      ['a section left out', () => reviewFingerprint(ENV, MARCH, sections().slice(0, 2))],
    ])('changes with %s', (_name, compute) => {
      expect(compute()).not.toBe(base);
    });

    it('changes when only the state changes with the same basis', () => {
      const flipped = sections().map((s) => (s.key === 'operations_health' ? { ...s, state: 'missing' as const } : s));
      expect(reviewFingerprint(ENV, MARCH, flipped)).not.toBe(base);
    });
  });
});
