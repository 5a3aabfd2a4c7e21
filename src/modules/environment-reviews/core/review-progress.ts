import { EVIDENCE_SECTIONS, EvidenceSectionKey } from './evidence';

export type SectionProgressState = 'pending' | 'ready' | 'missing';

/**
 * Composite progress parts for `environment.review.compose`: every evidence section in document
 * order, `pending` until composed. The shared progress contract turns these into
 * "N of 3 evidence sections ready" (catalog `composite_unit`); `missing` is not ready.
 */
export function compositeParts(
  states: Partial<Record<EvidenceSectionKey, SectionProgressState>>,
): { key: string; label: string; state: SectionProgressState }[] {
  return EVIDENCE_SECTIONS.map(({ key, label }) => ({ key, label, state: states[key] ?? 'pending' }));
}
