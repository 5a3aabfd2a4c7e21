import { sha256Hex, stableStringify } from '../../../shared/core/stable-json';
import { EVIDENCE_SECTIONS, EvidenceSection } from './evidence';
import { ReviewPeriod } from './review-period';

const ORDER = new Map(EVIDENCE_SECTIONS.map((s, i) => [s.key, i]));

/**
 * Identity of a review's evidence: environment, period days and each section's key, state and
 * basis. Data (with its read timestamps), labels, explanation wording and the period label are
 * left out, so composing twice over unchanged evidence gives the same fingerprint. Sections are
 * ordered by their catalog position, so the caller's order does not matter.
 */
export function reviewFingerprint(environmentId: string, period: ReviewPeriod, sections: EvidenceSection[]): string {
  const basis = [...sections]
    .sort((a, b) => (ORDER.get(a.key) ?? 99) - (ORDER.get(b.key) ?? 99) || a.key.localeCompare(b.key))
    .map((s) => ({ key: s.key, state: s.state, basis: s.basis ?? null }));
  return sha256Hex(
    stableStringify({
      v: 1,
      environment_id: environmentId,
      period: { from: period.from, to: period.to },
      sections: basis,
    }),
  );
}
