/**
 * True for an ISO 8601 UTC instant as keyset cursors carry it (`2026-11-22T07:40:11.932123Z`,
 * up to microseconds like PostgreSQL's timestamptz) that names a real moment between 1970 and
 * 9999. JavaScript's Date rolls impossible dates over (31 February becomes 3 March) and accepts
 * year 0, which PostgreSQL refuses; a cursor must be checked here before it reaches a query.
 */
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?Z$/;
const MIN_YEAR = 1970;

export function isUtcInstant(text: string): boolean {
  const match = INSTANT.exec(text);
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  if (year < MIN_YEAR || hour > 23 || minute > 59 || second > 59) return false;
  // A day that does not exist comes back from Date.UTC as another month's day.
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
