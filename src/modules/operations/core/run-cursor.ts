import { isUtcInstant } from '../../../shared/core/utc-instant';
import { isUuid } from '../../../shared/core/uuid';

/**
 * Keyset position in a newest-first run list: the last row's (created_at, id). `createdAt` keeps
 * the database's microseconds (an ISO string), so rows written within one millisecond are never
 * skipped or repeated. Clients see only an opaque base64url string.
 */
export interface RunCursor {
  createdAt: string;
  id: string;
}

export function encodeRunCursor(cursor: RunCursor): string {
  return Buffer.from(`${cursor.createdAt}|${cursor.id}`, 'utf8').toString('base64url');
}

/** Null for anything that is not a cursor this API issued (the caller answers 400). */
export function decodeRunCursor(raw: string): RunCursor | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(raw)) return null;
  const parts = Buffer.from(raw, 'base64url').toString('utf8').split('|');
  if (parts.length !== 2) return null;
  const [createdAt, id] = parts;
  if (!isUtcInstant(createdAt) || !isUuid(id)) return null;
  return { createdAt, id: id.toLowerCase() };
}
