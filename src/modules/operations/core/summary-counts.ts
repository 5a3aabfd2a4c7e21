import { isRecord } from '../../../shared/core/json-guards';
import { OperationErrors } from './operations-errors';

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
      throw OperationErrors.unknownSummaryCountKey(key);
    }
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw OperationErrors.invalidSummaryCount(key);
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
