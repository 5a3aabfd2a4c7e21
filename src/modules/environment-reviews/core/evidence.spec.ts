import { EVIDENCE_SECTIONS, missingSection, readySection } from './evidence';

describe('evidence sections', () => {
  it('lists the three sections in document order with their labels', () => {
    expect(EVIDENCE_SECTIONS).toEqual([
      { key: 'baseline_drift', label: 'Baseline drift' },
      { key: 'operations_health', label: 'Operations health' },
      { key: 'inventory_coverage', label: 'Inventory coverage' },
    ]);
  });

  it('builds a ready section with its label', () => {
    expect(readySection('operations_health', { runs: [] }, { a: 1 })).toEqual({
      key: 'operations_health',
      label: 'Operations health',
      state: 'ready',
      explanation: null,
      data: { runs: [] },
      basis: { a: 1 },
    });
  });

  it('builds a missing section with an explanation and no data or basis', () => {
    expect(missingSection('inventory_coverage', 'No inventory sync has succeeded yet.')).toEqual({
      key: 'inventory_coverage',
      label: 'Inventory coverage',
      state: 'missing',
      explanation: 'No inventory sync has succeeded yet.',
      data: null,
      basis: null,
    });
  });
});
