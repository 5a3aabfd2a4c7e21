import { isUtcInstant } from '../../../shared/core/utc-instant';
import { NotificationCursor } from './ports/notification-inbox.port';
import { isUuid } from '../../../shared/core/uuid';

/**
 * The "Older" link's cursor: base64url of the last notification's time and id. The id fixes the
 * position (the query reads that row's exact time); the time is the fallback if the row is gone.
 */
export function encodeNotificationCursor(cursor: NotificationCursor): string {
  return Buffer.from(`${cursor.createdAt.toISOString()}|${cursor.id}`, 'utf8').toString('base64url');
}

/** Null for anything this page did not issue. */
export function decodeNotificationCursor(raw: unknown): NotificationCursor | null {
  if (typeof raw !== 'string' || !/^[A-Za-z0-9_-]{1,200}$/.test(raw)) return null;
  const parts = Buffer.from(raw, 'base64url').toString('utf8').split('|');
  if (parts.length !== 2) return null;
  const [at, id] = parts;
  if (!isUtcInstant(at) || !isUuid(id)) return null;
  return { createdAt: new Date(at), id: id.toLowerCase() };
}
