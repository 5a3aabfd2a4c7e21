import { DomainError } from '../../../shared/core/domain-error';
import { isRecord } from '../../../shared/core/json-guards';

/** The only keys `summary_counts` may hold; every value is a finite, non-negative number. */
export const SUMMARY_COUNT_KEYS = [
  'total',
  'processed',
  'succeeded',
  'failed',
  'skipped',
  'created',
  'updated',
  'deleted',
  'unchanged',
  'findings',
  'items',
  'errors',
] as const;
export type SummaryCountKey = (typeof SUMMARY_COUNT_KEYS)[number];
export type SummaryCounts = Partial<Record<SummaryCountKey, number>>;

const KNOWN = new Set<string>(SUMMARY_COUNT_KEYS);

export function isSummaryCountKey(key: string): key is SummaryCountKey {
  return KNOWN.has(key);
}

/** Rejects unknown keys and non-numeric values: counts are facts, never free-form text. */
export function validateSummaryCounts(input: Record<string, unknown>): SummaryCounts {
  const out: SummaryCounts = {};
  for (const [key, value] of Object.entries(input)) {
    if (!isSummaryCountKey(key)) {
      throw new DomainError('invalid_summary_counts', `Unknown summary count key "${key}".`);
    }
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new DomainError(
        'invalid_summary_counts',
        `Summary count "${key}" must be a non-negative number.`,
      );
    }
    out[key] = value;
  }
  return out;
}

/** Reading side: drops anything that is not a known numeric count (old or foreign rows). */
export function readSummaryCounts(raw: unknown): SummaryCounts {
  const out: SummaryCounts = {};
  if (!isRecord(raw)) return out;
  for (const [key, value] of Object.entries(raw)) {
    if (isSummaryCountKey(key) && typeof value === 'number' && Number.isFinite(value) && value >= 0) {
      out[key] = value;
    }
  }
  return out;
}
