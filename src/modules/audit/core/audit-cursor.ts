import { isUtcInstant } from '../../../shared/core/utc-instant';
import { AuditCursor } from './ports/audit-event-query.port';
import { isUuid } from '../../../shared/core/uuid';

/**
 * The audit list's cursor as clients see it: an opaque base64url string of the last event's time
 * (with microseconds) and public id — in-scope positions only, no sequential id.
 */
export function encodeAuditCursor(cursor: AuditCursor): string {
  return Buffer.from(`${cursor.at}|${cursor.id}`, 'utf8').toString('base64url');
}

/** Null for anything that is not a cursor this API issued (the caller answers 400). */
export function decodeAuditCursor(raw: string): AuditCursor | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(raw)) return null;
  const parts = Buffer.from(raw, 'base64url').toString('utf8').split('|');
  if (parts.length !== 2) return null;
  const [at, id] = parts;
  if (!isUtcInstant(at) || !isUuid(id)) return null;
  return { at, id: id.toLowerCase() };
}
