import { isRecord } from '../../../shared/core/json-guards';
import { EnvironmentReviewErrors as Errors } from './environment-reviews-errors';

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
    throw Errors.inputNotObject();
  }
  const input = Object.fromEntries(
    Object.entries(raw as Record<string, unknown>).filter(([, v]) => v !== undefined),
  );
  const unknown = Object.keys(input).filter((k) => !['period', 'from', 'to'].includes(k));
  if (unknown.length > 0) {
    throw Errors.unknownInputField(unknown[0]);
  }
  const hasRange = 'from' in input || 'to' in input;
  if ('period' in input && hasRange) {
    throw Errors.periodAndRange();
  }
  if ('period' in input) return { period: readPeriod(input.period, now) };
  if (hasRange) return { period: readRange(input.from, input.to, now) };
  return { period: currentMonth(now) };
}

function readPeriod(value: unknown, now: Date): ReviewPeriod {
  if (typeof value === 'string') return monthPeriod(value, now);
  if (isRecord(value)) return readNormalized(value, now);
  throw Errors.periodNotMonth();
}

function monthPeriod(text: string, now: Date): ReviewPeriod {
  const match = MONTH.exec(text);
  const year = match ? Number(match[1]) : NaN;
  const month = match ? Number(match[2]) : NaN;
  if (!match || month < 1 || month > 12) {
    throw Errors.periodMalformed(clip(text));
  }
  if (year < MIN_YEAR || Date.UTC(year, month - 1, 1) > Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)) {
    throw Errors.periodOutOfBounds(MIN_YEAR, currentMonth(now).label, clip(text));
  }
  return monthOf(year, month);
}

function readRange(fromRaw: unknown, toRaw: unknown, now: Date): ReviewPeriod {
  if (fromRaw === undefined) throw Errors.fromMissing();
  if (toRaw === undefined) throw Errors.toMissing();
  const from = readDay(fromRaw, 'from');
  const last = readDay(toRaw, 'to');
  if (last < from) throw Errors.rangeReversed(isoDay(last), isoDay(from));
  const to = new Date(last.getTime() + DAY_MS);
  if (to.getTime() > Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)) {
    throw Errors.rangeBeyondCurrentMonth(isoDay(last), currentMonth(now).label);
  }
  const month = exactMonth(from, to);
  if (month) return month;
  return { from: isoDay(from), to: isoDay(to), label: `${isoDay(from)} – ${isoDay(last)}` };
}

/** Accepts a stored period only when it is exactly what parsing its days would produce. */
function readNormalized(value: Record<string, unknown>, now: Date): ReviewPeriod {
  const bad = Errors.periodNotMonth;
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
  if (!day) throw Errors.invalidDay(field, MIN_YEAR, typeof value === 'string' ? clip(value) : undefined);
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
