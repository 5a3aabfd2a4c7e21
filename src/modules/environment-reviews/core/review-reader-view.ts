import { reviewBasis } from './compose-review';
import { EvidenceSection, missingSection, NO_COMPARE_IN_PERIOD } from './evidence';
import { DriftProvenance, FindingCount } from './ports/drift-provenance.port';
import { StoredReview } from './ports/environment-review.repository.port';
import { reviewFingerprint } from './review-fingerprint';
import { asRecord, recordsIn } from '../../../shared/core/json-guards';

/** Whether a reader may see an environment of the review's workspace; null: every environment. */
export type EnvironmentVisibility = ((environmentId: string) => boolean) | null;

/**
 * Reviews as one reader may see them (SPEC 1 deny-as-not-found; issue 14 item 11).
 *
 * The composer is a worker: it gathers drift evidence from every baseline compared against the
 * environment, whatever the baseline's source. A reader who may not see a baseline's source
 * environment reads the review exactly as if that baseline had never existed: its compare results
 * (name, id, counts) are gone, the findings table counts only the results left, the fingerprint
 * is the one a compose without them would have computed, and a drift section left with no result
 * is missing with the composer's own explanation. Nothing says that something was left out: even a
 * count of omitted baselines would tell the reader that a hidden one was compared here.
 *
 * A compare result no longer on record (its profile deleted) counts as hidden: its source can no
 * longer be checked. Readers who see every environment get the stored reviews untouched, and no
 * statement is spent on them.
 */
export class ReviewReaderView {
  constructor(private readonly provenance: DriftProvenance) {}

  async forReader(reviews: StoredReview[], sees: EnvironmentVisibility): Promise<StoredReview[]> {
    if (!sees) return reviews;
    const cited = [...new Set(reviews.flatMap(citedCompareIds))];
    if (cited.length === 0) return reviews;
    const sources = await this.provenance.sourcesOf(cited);
    const hidden = new Set(cited.filter((id) => !sources.has(id) || !sees(sources.get(id)!)));
    if (hidden.size === 0) return reviews;
    const affected = reviews.filter((r) => citedCompareIds(r).some((id) => hidden.has(id)));
    const findings = await this.provenance.findingsOf(affected.map((r) => citedCompareIds(r).filter((id) => !hidden.has(id))));
    const visibleFindings = new Map(affected.map((r, i) => [r.id, findings[i] ?? []]));
    return reviews.map((r) => (visibleFindings.has(r.id) ? withoutHidden(r, hidden, visibleFindings.get(r.id)!) : r));
  }
}

function withoutHidden(review: StoredReview, hidden: Set<string>, findings: FindingCount[]): StoredReview {
  const sections = review.sections.map((s) => (isDrift(s) ? driftWithout(s, hidden, findings) : s));
  return {
    ...review,
    sections,
    basis: reviewBasis(sections),
    fingerprint: reviewFingerprint(review.environmentId, review.period, sections),
  };
}

/** The drift section a compose would have written without the hidden results. */
function driftWithout(section: EvidenceSection, hidden: Set<string>, findings: FindingCount[]): EvidenceSection {
  const data = section.data ?? {};
  const results = recordsIn(data.compare_results).filter((r) => typeof r.id === 'string' && !hidden.has(r.id));
  if (results.length === 0) return missingSection('baseline_drift', NO_COMPARE_IN_PERIOD);
  const basis = asRecord(section.basis) ?? {};
  return {
    ...section,
    data: { ...data, compare_results: results, findings },
    basis: { ...basis, compare_results: recordsIn(basis.compare_results).filter((r) => typeof r.id === 'string' && !hidden.has(r.id)) },
  };
}

const isDrift = (s: EvidenceSection) => s.key === 'baseline_drift' && s.state === 'ready';

/** Every compare result id a review's drift section names, in its data or in its basis. */
function citedCompareIds(review: StoredReview): string[] {
  const drift = review.sections.find(isDrift);
  if (!drift) return [];
  const ids = [...recordsIn(drift.data?.compare_results), ...recordsIn(asRecord(drift.basis)?.compare_results)]
    .map((r) => r.id)
    .filter((id): id is string => typeof id === 'string');
  return [...new Set(ids)];
}
