import { AuditCursor } from './ports/audit-event-query.port';

/**
 * The audit list's cursor as clients see it: an opaque base64url string of the last event's
 * timestamp and id. The id alone fixes the position (the query reads that event's exact time);
 * the timestamp is the fallback should the id be unknown.
 */
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;
const ID = /^\d{1,19}$/;

export function encodeAuditCursor(cursor: AuditCursor): string {
  return Buffer.from(`${cursor.at.toISOString()}|${cursor.id}`, 'utf8').toString('base64url');
}

/** Null for anything that is not a cursor this API issued (the caller answers 400). */
export function decodeAuditCursor(raw: string): AuditCursor | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(raw)) return null;
  const parts = Buffer.from(raw, 'base64url').toString('utf8').split('|');
  if (parts.length !== 2) return null;
  const [at, id] = parts;
  if (!ISO.test(at) || !ID.test(id)) return null;
  const date = new Date(at);
  return Number.isFinite(date.getTime()) ? { at: date, id } : null;
}
