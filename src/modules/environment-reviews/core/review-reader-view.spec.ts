import { reviewBasis } from './compose-review';
import { EvidenceSection, missingSection, NO_COMPARE_IN_PERIOD, readySection } from './evidence';
import { DriftProvenance, FindingCount } from './ports/drift-provenance.port';
import { StoredReview } from './ports/environment-review.repository.port';
import { reviewFingerprint } from './review-fingerprint';
import { ReviewReaderView } from './review-reader-view';

const HQ = 'env-hq';
const NORTHWIND = 'env-northwind';
const FABRIKAM = 'env-fabrikam';
const period = { from: '2026-11-01', to: '2026-12-01', label: '2026-11' };

interface Compare {
  id: string;
  name: string;
  source: string;
  findings: FindingCount[];
}

const hq: Compare = { id: 'c-hq', name: 'HQ baseline', source: HQ, findings: [{ type: 'setting_differs', kind: 'deviceConfiguration', count: 2 }] };
const northwind: Compare = {
  id: 'c-nw',
  name: 'Northwind secret',
  source: NORTHWIND,
  findings: [
    { type: 'missing_in_target', kind: 'secretKind', count: 4 },
    { type: 'setting_differs', kind: 'deviceConfiguration', count: 3 },
  ],
};
const total = (c: Compare) => c.findings.reduce((n, f) => n + f.count, 0);

/** Findings of several compares counted together, ordered by type and kind as the composer's SQL does. */
function aggregate(compares: Compare[]): FindingCount[] {
  const sums = new Map<string, FindingCount>();
  for (const f of compares.flatMap((c) => c.findings)) {
    const key = `${f.type}\u0000${f.kind}`;
    sums.set(key, { ...f, count: (sums.get(key)?.count ?? 0) + f.count });
  }
  return [...sums.values()].sort((a, b) => a.type.localeCompare(b.type) || a.kind.localeCompare(b.kind));
}

/** The drift section exactly as PostgresEvidenceSource composes it over these compares. */
function drift(compares: Compare[]): EvidenceSection {
  if (compares.length === 0) return missingSection('baseline_drift', NO_COMPARE_IN_PERIOD);
  const byName = [...compares].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  return readySection(
    'baseline_drift',
    {
      compare_results: byName.map((c) => ({ id: c.id, baseline_name: c.name, completed_at: '2026-11-20T10:00:00.000Z', findings: total(c), inventory_synced_at: '2026-11-20T09:00:00.000Z' })),
      findings: aggregate(compares),
    },
    { compare_results: [...compares].sort((a, b) => a.id.localeCompare(b.id)).map((c) => ({ id: c.id, findings_count: total(c) })) },
  );
}

/** A review as ComposeReview stores it over these compares. */
function composed(id: string, compares: Compare[]): StoredReview {
  const sections = [
    drift(compares),
    readySection('operations_health', { runs: [{ type: 'inventory.sync', succeeded: 1 }] }, { runs: [{ type: 'inventory.sync', succeeded: 1 }] }),
    readySection('inventory_coverage', { items: [{ kind: 'deviceConfiguration', count: 3 }] }, { items: [{ kind: 'deviceConfiguration', count: 3 }] }),
  ];
  return {
    id,
    workspaceId: 'ws',
    environmentId: FABRIKAM,
    period,
    status: 'ready',
    fingerprint: reviewFingerprint(FABRIKAM, period, sections),
    sections,
    basis: reviewBasis(sections),
    supersedesReviewId: null,
    runId: null,
    createdAt: new Date('2026-11-20T11:00:00Z'),
    readyAt: new Date('2026-11-20T11:00:01Z'),
    supersededAt: null,
  };
}

class FakeProvenance implements DriftProvenance {
  readonly calls: string[] = [];
  constructor(private readonly compares: Compare[]) {}
  async sourcesOf(ids: string[]): Promise<Map<string, string>> {
    this.calls.push(`sourcesOf ${ids.join(',')}`);
    return new Map(this.compares.filter((c) => ids.includes(c.id)).map((c) => [c.id, c.source]));
  }
  async findingsOf(sets: string[][]): Promise<FindingCount[][]> {
    this.calls.push(`findingsOf ${sets.map((s) => s.join(',')).join(' | ')}`);
    return sets.map((set) => aggregate(this.compares.filter((c) => set.includes(c.id))));
  }
}

const operatorSees = (env: string) => env === HQ || env === FABRIKAM;

describe('ReviewReaderView', () => {
  it('shows a limited reader exactly the review a compose without the hidden baseline would have stored', async () => {
    const provenance = new FakeProvenance([hq, northwind]);
    const [seen] = await new ReviewReaderView(provenance).forReader([composed('r1', [hq, northwind])], operatorSees);
    const reference = composed('r1', [hq]);
    expect(seen.sections).toEqual(reference.sections);
    expect(seen.fingerprint).toBe(reference.fingerprint);
    expect(seen.basis).toEqual(reference.basis);
    expect(JSON.stringify(seen)).not.toMatch(/Northwind secret|c-nw|secretKind/);
  });

  it('a drift section with only hidden results is missing, as if no compare had finished', async () => {
    const [seen] = await new ReviewReaderView(new FakeProvenance([northwind])).forReader([composed('r1', [northwind])], operatorSees);
    const reference = composed('r1', []);
    expect(seen.sections).toEqual(reference.sections);
    expect(seen.fingerprint).toBe(reference.fingerprint);
  });

  it('treats a result no longer on record as hidden (its source cannot be checked)', async () => {
    const [seen] = await new ReviewReaderView(new FakeProvenance([hq])).forReader([composed('r1', [hq, northwind])], operatorSees);
    expect(seen.sections).toEqual(composed('r1', [hq]).sections);
  });

  it('leaves reviews untouched, at no cost, for readers who see every environment', async () => {
    const provenance = new FakeProvenance([hq, northwind]);
    const stored = [composed('r1', [hq, northwind])];
    expect(await new ReviewReaderView(provenance).forReader(stored, null)).toBe(stored);
    expect(provenance.calls).toEqual([]);
  });

  it('leaves reviews untouched when every cited source is visible; reads sources once for a whole list', async () => {
    const provenance = new FakeProvenance([hq, northwind]);
    const stored = [composed('r1', [hq]), composed('r2', [hq, northwind]), composed('r3', [])];
    const seen = await new ReviewReaderView(provenance).forReader(stored, operatorSees);
    expect(seen[0]).toBe(stored[0]);
    expect(seen[2]).toBe(stored[2]);
    expect(seen[1].fingerprint).toBe(composed('r2', [hq]).fingerprint);
    expect(provenance.calls).toEqual(['sourcesOf c-hq,c-nw', 'findingsOf c-hq']);
    const everyone = await new ReviewReaderView(provenance).forReader([stored[0]], (env) => env !== NORTHWIND);
    expect(everyone[0]).toBe(stored[0]);
  });
});
