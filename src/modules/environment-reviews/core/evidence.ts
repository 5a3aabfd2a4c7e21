/** The evidence a review is composed from (SPEC 5), one section per source. */
export type EvidenceSectionKey = 'baseline_drift' | 'operations_health' | 'inventory_coverage';

/** Every section, in document and progress order. */
export const EVIDENCE_SECTIONS: readonly { key: EvidenceSectionKey; label: string }[] = [
  { key: 'baseline_drift', label: 'Baseline drift' },
  { key: 'operations_health', label: 'Operations health' },
  { key: 'inventory_coverage', label: 'Inventory coverage' },
];

/**
 * One composed section. `missing` sections carry an operator-safe `explanation` and null `data`.
 * `basis` is the stable identity of the evidence used (ids, counts) and feeds the fingerprint;
 * it never holds timestamps of when the evidence was read, and arrays in it must be in a
 * deterministic order (e.g. sorted by id). `data` is what the document shows (shapes below).
 */
export interface EvidenceSection {
  key: EvidenceSectionKey;
  label: string;
  state: 'ready' | 'missing';
  explanation: string | null;
  data: Record<string, unknown> | null;
  basis: unknown;
}

/** `data` of a ready `baseline_drift` section: the latest compare results in the period. */
export interface BaselineDriftData {
  compare_results: {
    id: string;
    baseline_name: string;
    completed_at: string | null;
    findings: number;
    /** When the compared inventory was synced; absent in reviews composed before it was recorded. */
    inventory_synced_at?: string | null;
  }[];
  /** Findings of those results, counted by finding type and item kind. */
  findings: { type: string; kind: string; count: number }[];
}

/** Outcome counts of one operation type's runs in the period. */
export interface OperationTypeHealth {
  type: string;
  /** Catalog label; the type is shown when absent. */
  label?: string;
  succeeded: number;
  partially_succeeded: number;
  failed: number;
  blocked: number;
  reconciled: number;
  /** Runs that went likely stale before finishing (whatever their outcome). */
  went_stale: number;
}

/**
 * `data` of a ready `operations_health` section. Review compose runs are left out: they are not
 * evidence of their own reviews.
 */
export interface OperationsHealthData {
  runs: OperationTypeHealth[];
}

/** `data` of a ready `inventory_coverage` section. */
export interface InventoryCoverageData {
  items: { kind: string; count: number }[];
  last_successful_sync_at: string | null;
}

/** Why a drift section is missing: no compare of the environment finished in the period. */
export const NO_COMPARE_IN_PERIOD = 'No baseline compare finished in this period.';

const LABELS = new Map(EVIDENCE_SECTIONS.map((s) => [s.key, s.label]));

/** A ready section with its label from EVIDENCE_SECTIONS. */
export function readySection(key: EvidenceSectionKey, data: Record<string, unknown>, basis: unknown): EvidenceSection {
  return { key, label: LABELS.get(key) ?? key, state: 'ready', explanation: null, data, basis };
}

/** A missing section: no data, no basis, and a sentence an operator can act on. */
export function missingSection(key: EvidenceSectionKey, explanation: string): EvidenceSection {
  return { key, label: LABELS.get(key) ?? key, state: 'missing', explanation, data: null, basis: null };
}
