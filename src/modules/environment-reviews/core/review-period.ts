import { DomainError } from '../../../shared/core/domain-error';
import { isRecord } from '../../../shared/core/json-guards';

/**
 * The period a review covers. `from` is inclusive and `to` exclusive (both `YYYY-MM-DD`, UTC
 * days), so months and ranges compare and query the same way. `label` is `YYYY-MM` for a
 * calendar month, otherwise `YYYY-MM-DD – YYYY-MM-DD` with the last day included.
 */
export interface ReviewPeriod {
  from: string;
  to: string;
  label: string;
}

const MONTH = /^(\d{4})-(\d{2})$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Reviews cover 2000 onwards and never a month that has not begun (9999-12 would fail only later, in the run). */
const MIN_YEAR = 2000;
const DAY_MS = 86_400_000;

/**
 * Reads `environment.review.compose` input into a normalized period:
 * - nothing (`undefined`, `null`, `{}`) → the current UTC month of `now`;
 * - `{ period: 'YYYY-MM' }` → that month;
 * - `{ from: 'YYYY-MM-DD', to: 'YYYY-MM-DD' }` → those days, `to` included (stored as the day after);
 * - the normalized output itself (`{ period: { from, to, label } }`) → unchanged, so parsing twice
 *   is harmless.
 * A range covering exactly one calendar month is that month (same label as `{ period }`).
 * Periods start in 2000 or later and end by the end of `now`'s month.
 * Anything else throws DomainError('invalid_input') naming the field.
 */
export function parseReviewInput(raw: unknown, now: Date): { period: ReviewPeriod } {
  if (raw === undefined || raw === null) return { period: currentMonth(now) };
  if (!isRecord(raw)) {
    throw invalid('input', 'Review input must be an object: { period: "YYYY-MM" } or { from: "YYYY-MM-DD", to: "YYYY-MM-DD" }.');
  }
  const input = Object.fromEntries(
    Object.entries(raw as Record<string, unknown>).filter(([, v]) => v !== undefined),
  );
  const unknown = Object.keys(input).filter((k) => !['period', 'from', 'to'].includes(k));
  if (unknown.length > 0) {
    throw invalid(unknown[0], `Unknown review input field "${unknown[0]}"; expected period, or from and to.`);
  }
  const hasRange = 'from' in input || 'to' in input;
  if ('period' in input && hasRange) {
    throw invalid('period', 'Give either period or from and to, not both.');
  }
  if ('period' in input) return { period: readPeriod(input.period, now) };
  if (hasRange) return { period: readRange(input.from, input.to, now) };
  return { period: currentMonth(now) };
}

function readPeriod(value: unknown, now: Date): ReviewPeriod {
  if (typeof value === 'string') return monthPeriod(value, now);
  if (isRecord(value)) return readNormalized(value, now);
  throw invalid('period', 'period must be a month written as YYYY-MM, e.g. "2024-03".');
}

function monthPeriod(text: string, now: Date): ReviewPeriod {
  const match = MONTH.exec(text);
  const year = match ? Number(match[1]) : NaN;
  const month = match ? Number(match[2]) : NaN;
  if (!match || month < 1 || month > 12) {
    throw invalid('period', `period must be a month written as YYYY-MM, e.g. "2024-03" (got "${clip(text)}").`);
  }
  if (year < MIN_YEAR || Date.UTC(year, month - 1, 1) > Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)) {
    throw invalid('period', `period must be a month from ${MIN_YEAR}-01 to ${currentMonth(now).label} (got "${clip(text)}").`);
  }
  return monthOf(year, month);
}

function readRange(fromRaw: unknown, toRaw: unknown, now: Date): ReviewPeriod {
  if (fromRaw === undefined) throw invalid('from', 'from is required with to (YYYY-MM-DD).');
  if (toRaw === undefined) throw invalid('to', 'to is required with from (YYYY-MM-DD).');
  const from = readDay(fromRaw, 'from');
  const last = readDay(toRaw, 'to');
  if (last < from) throw invalid('to', `to (${isoDay(last)}) must be on or after from (${isoDay(from)}).`);
  const to = new Date(last.getTime() + DAY_MS);
  if (to.getTime() > Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)) {
    throw invalid('to', `to (${isoDay(last)}) must not be later than the end of the current month (${currentMonth(now).label}).`);
  }
  const month = exactMonth(from, to);
  if (month) return month;
  return { from: isoDay(from), to: isoDay(to), label: `${isoDay(from)} – ${isoDay(last)}` };
}

/** Accepts a stored period only when it is exactly what parsing its days would produce. */
function readNormalized(value: Record<string, unknown>, now: Date): ReviewPeriod {
  const bad = () => invalid('period', 'period must be a month written as YYYY-MM, e.g. "2024-03".');
  const keys = Object.keys(value).sort().join(',');
  if (keys !== 'from,label,to' || typeof value.to !== 'string') throw bad();
  const to = dayOrNull(value.to);
  if (!to) throw bad();
  const expected = readRange(value.from, isoDay(new Date(to.getTime() - DAY_MS)), now);
  if (expected.from !== value.from || expected.to !== value.to || expected.label !== value.label) throw bad();
  return expected;
}

function readDay(value: unknown, field: 'from' | 'to'): Date {
  const day = dayOrNull(value);
  if (!day) {
    const got = typeof value === 'string' ? ` (got "${clip(value)}")` : '';
    throw invalid(field, `${field} must be a calendar date from ${MIN_YEAR}-01-01 written as YYYY-MM-DD, e.g. "2024-03-31"${got}.`);
  }
  return day;
}

function dayOrNull(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const match = DAY.exec(value);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < MIN_YEAR) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  // Round-trip rejects days that do not exist (2023-02-29, 2024-04-31).
  return isoDay(date) === value ? date : null;
}

function currentMonth(now: Date): ReviewPeriod {
  return monthOf(now.getUTCFullYear(), now.getUTCMonth() + 1);
}

function monthOf(year: number, month: number): ReviewPeriod {
  const from = new Date(Date.UTC(year, month - 1, 1));
  const to = new Date(Date.UTC(year, month, 1)); // Date.UTC rolls December over into January.
  return { from: isoDay(from), to: isoDay(to), label: isoDay(from).slice(0, 7) };
}

function exactMonth(from: Date, to: Date): ReviewPeriod | null {
  if (from.getUTCDate() !== 1) return null;
  const month = monthOf(from.getUTCFullYear(), from.getUTCMonth() + 1);
  return month.to === isoDay(to) ? month : null;
}

const isoDay = (date: Date): string => date.toISOString().slice(0, 10);
const clip = (text: string): string => (text.length > 40 ? `${text.slice(0, 40)}…` : text);

function invalid(field: string, message: string): DomainError {
  return new DomainError('invalid_input', message, 'invalid', { field });
}
